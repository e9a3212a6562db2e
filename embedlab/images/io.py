"""Untrusted image input: decoding, uploads, zips and folders.

Every image becomes an :class:`ImageItem` (a key, its encoded bytes, an optional label and a content
hash); anything that cannot be used is listed in :attr:`ImageBatch.refused` with the reason, and the
rest is still processed. Pillow's decompression-bomb limit is set deliberately (:data:`MAX_PIXELS`).
"""

from __future__ import annotations

import hashlib
import io
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import numpy as np

from embedlab.errors import EmbedlabError, EmptyInputError, InputTooLargeError
from embedlab.uploads import MB, check_file_count, check_size, read_zip

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp")
#: The only Pillow decoders uploads may reach, whatever the bytes claim to be (MPO phone photos open as JPEG).
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP")
_ACCEPTED_NAMES = "JPEG, PNG, WebP, GIF or BMP"
# Magic numbers of formats people upload by mistake, only to name them in the message (never decoded).
_OTHER_MAGIC = {b"II*\x00": "TIFF", b"MM\x00*": "TIFF", b"%!PS": "PostScript/EPS", b"\xc5\xd0\xd3\xc6": "EPS",
                b"%PDF": "PDF", b"\x00\x00\x00\x0cjP  ": "JPEG 2000", b"8BPS": "Photoshop (PSD)",
                b"\x00\x00\x01\x00": "Windows icon (ICO)", b"icns": "Apple icon (ICNS)"}
MAX_PIXELS = 40_000_000  # ~6300 x 6300; bigger images are refused as possible decompression bombs
MAX_FILES = 2000  # images per upload (files + zip members)
MAX_FILE_BYTES = 25 * MB  # one image file
MAX_ZIP_BYTES = 200 * MB  # one zip, compressed
MAX_INFLATED_BYTES = 500 * MB  # one zip, inflated
MAX_TOTAL_BYTES = 500 * MB  # all images of one upload together


class ImageRefusedError(EmbedlabError):
    """One file could not be used as an image (not an image, corrupt, or a decompression bomb)."""


@dataclass(frozen=True)
class ImageItem:
    """One image: ``key`` (file name or relative path), encoded ``data``, folder ``label``."""

    key: str
    data: bytes
    label: str | None = None

    @property
    def digest(self) -> str:
        """Content hash of the file bytes (keys the on-disk feature cache)."""
        return content_hash(self.data)


@dataclass
class ImageBatch:
    """Images accepted from an upload, plus ``(name, reason)`` for each refused file."""

    items: list[ImageItem] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)

    @property
    def labels(self) -> list[str | None]:
        return [it.label for it in self.items]


def content_hash(data: bytes) -> str:
    """A short hex digest of file bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _not_accepted(data: bytes, name: str) -> ImageRefusedError:
    kind = next((k for magic, k in _OTHER_MAGIC.items() if data.startswith(magic)), None)
    what = f"a {kind} file" if kind else "not a readable image"
    return ImageRefusedError(f"'{name}' is {what}; expected {_ACCEPTED_NAMES}. Convert it to PNG or JPEG "
                             "and upload it again.")


def _open(data: bytes, name: str):
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # deliberate: Pillow warns at this and raises at 2x otherwise
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # only the decoders of the formats we accept may parse untrusted bytes (not TIFF, EPS, ...)
            img = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
            img.seek(0)  # GIF / WebP animations: the first frame
            if img.width * img.height > MAX_PIXELS:
                raise Image.DecompressionBombError("too many pixels")
            return img
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRefusedError(
            f"'{name}' declares more than {MAX_PIXELS / 1e6:.0f} million pixels (a possible decompression "
            "bomb); refused. Resize it below that and upload it again."
        ) from None
    except UnidentifiedImageError:
        raise _not_accepted(data, name) from None
    except Exception as exc:  # noqa: BLE001 - any decoder failure means "not a usable image"
        raise ImageRefusedError(
            f"'{name}' is not a readable image ({type(exc).__name__}); expected {_ACCEPTED_NAMES}."
        ) from None


def to_rgb(img, background: tuple[int, int, int] = (255, 255, 255), copy: bool = True):
    """EXIF orientation applied, palette/greyscale converted, alpha composited on ``background``.

    With ``copy=False`` an upright RGB image is returned as is instead of as a copy (for images the
    caller decoded itself; saves two full-size copies per photo).
    """
    from PIL import Image, ImageOps

    if copy or img.getexif().get(0x0112, 1) != 1:  # 0x0112: EXIF orientation; 1 = upright
        img = ImageOps.exif_transpose(img)
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        canvas = Image.new("RGBA", rgba.size, (*background, 255))
        canvas.alpha_composite(rgba)
        return canvas.convert("RGB")
    return img if img.mode == "RGB" and not copy else img.convert("RGB")


def decode(data: bytes, name: str = "image", draft: int | None = None):
    """Decode bytes into an RGB PIL image (first frame, EXIF-rotated, alpha on white).

    ``draft`` lets big JPEGs decode at a reduced scale (at least ``draft`` px), which is much faster.

    Raises
    ------
    ImageRefusedError
        Not an image, corrupt, larger than :data:`MAX_PIXELS` or than :data:`MAX_FILE_BYTES`.
    """
    if len(data) > MAX_FILE_BYTES:
        raise _too_big(name, len(data))
    img = _open(data, name)
    if draft and img.format == "JPEG":
        img.draft("RGB", (draft, draft))
    try:
        img.load()
        return to_rgb(img, copy=False)
    except Exception as exc:  # noqa: BLE001
        raise ImageRefusedError(f"'{name}' could not be decoded ({type(exc).__name__}: {exc}).") from None


def preprocess(img, size: int = 224, crop: float = 0.875) -> np.ndarray:
    """Centre crop (``crop`` of the short side, as EfficientNet's evaluation does) resized to ``size``.

    Returns a (size, size, 3) uint8 array.
    """
    from PIL import Image

    w, h = img.size
    side = max(1.0, min(w, h) * crop)
    box = ((w - side) / 2, (h - side) / 2, (w + side) / 2, (h + side) / 2)
    if side > 2 * size and hasattr(img, "reduce"):
        img = img.resize((size, size), Image.BILINEAR, box=box, reducing_gap=2.0)
    else:
        img = img.resize((size, size), Image.BILINEAR, box=box)
    return np.asarray(img, dtype=np.uint8)


def decode_for_model(data: bytes, name: str = "image", size: int = 224) -> np.ndarray:
    """Bytes to a model-ready (size, size, 3) uint8 array; JPEGs are decoded at reduced scale when large."""
    return preprocess(decode(data, name, draft=2 * size), size)


def _too_big(name: str, size: int) -> ImageRefusedError:
    return ImageRefusedError(f"'{name}' is {size / MB:,.1f} MB, larger than {MAX_FILE_BYTES / MB:.0f} MB for "
                             "one image; refused. Resize it and try again.")


def read_image_file(path: str | Path) -> bytes:
    """The bytes of an image file, refused unread when it is larger than :data:`MAX_FILE_BYTES`."""
    size = Path(path).stat().st_size
    if size > MAX_FILE_BYTES:
        raise _too_big(str(path), size)
    return Path(path).read_bytes()


def _label_of(path: str) -> str | None:
    parent = PurePosixPath(path).parent
    return parent.name if parent.name else None


def _check_count(n: int, max_files: int) -> None:
    if n > max_files:
        raise InputTooLargeError(
            f"{n:,} images were given; the limit is {max_files:,} per upload. Upload fewer, or embed the "
            "folder from the command line (embedlab images embed DIR --out NAME)."
        )


def check_picked(n: int) -> None:
    """Refuse more than :data:`~embedlab.uploads.MAX_FILES_AT_ONCE` files picked at once (use a zip)."""
    check_file_count(n, more=f"Put the pictures in one .zip (up to {MAX_FILES:,} images, "
                             f"{MAX_ZIP_BYTES / MB:,.0f} MB) and upload that instead.")


def read_uploads(files: Iterable[tuple[str, bytes]], max_files: int = MAX_FILES) -> ImageBatch:
    """Accept uploaded files: images directly, ``.zip`` archives unpacked safely (folders become labels).

    Non-images are listed in ``refused`` (the rest is kept); more than
    :data:`~embedlab.uploads.MAX_FILES_AT_ONCE` files (:func:`check_picked`: many pictures travel as a zip),
    an unsafe zip (escaping paths, inflating past :data:`MAX_INFLATED_BYTES`), more than ``max_files`` images
    or more than :data:`MAX_TOTAL_BYTES` of uploads raise instead.
    """
    files = list(files)
    check_picked(len(files))
    batch, total = ImageBatch(), 0
    for name, data in files:
        total += len(data)
        if total > MAX_TOTAL_BYTES:
            raise InputTooLargeError(
                f"The upload adds up to more than {MAX_TOTAL_BYTES / MB:,.0f} MB (at '{name}'); upload fewer "
                "or smaller pictures at a time.")
        if name.lower().endswith(".zip"):
            check_size(name, len(data), MAX_ZIP_BYTES)
            zc = read_zip(data, name, max_files=max_files, max_total_bytes=MAX_INFLATED_BYTES,
                          suffixes=IMAGE_SUFFIXES)
            batch.refused += [(f"{name}/{p}", why) for p, why in zc.skipped]
            batch.items += [ImageItem(p, b, _label_of(p)) for p, b in zc.files]
        elif Path(name).suffix.lower() in IMAGE_SUFFIXES:
            if len(data) > MAX_FILE_BYTES:
                batch.refused.append((name, f"larger than {MAX_FILE_BYTES / MB:.0f} MB"))
            else:
                batch.items.append(ImageItem(Path(name).name, data))
        else:
            batch.refused.append((name, f"not an image (expected {', '.join(IMAGE_SUFFIXES)} or .zip)"))
        _check_count(len(batch.items), max_files)
    return _dedupe(batch)


def _dedupe(batch: ImageBatch) -> ImageBatch:
    """Make keys unique (``a.png``, ``a (2).png``) so every image stays addressable."""
    seen: dict[str, int] = {}
    items = []
    for it in batch.items:
        key = it.key
        if key in seen:
            seen[key] += 1
            stem, suf = PurePosixPath(key).stem, PurePosixPath(key).suffix
            parent = str(PurePosixPath(key).parent)
            key = f"{'' if parent == '.' else parent + '/'}{stem} ({seen[it.key]}){suf}"
        seen.setdefault(key, 1)
        items.append(ImageItem(key, it.data, it.label))
    return ImageBatch(items, batch.refused)


def read_folder(folder: str | Path, max_files: int = 100_000) -> ImageBatch:
    """Images under ``folder`` (recursively); sub-folder names become labels, as torchvision's ImageFolder."""
    root = Path(folder).expanduser()
    if not root.is_dir():
        raise EmptyInputError(f"'{folder}' is not a folder. Give a folder of images (sub-folders = labels).")
    batch = ImageBatch()
    for p in sorted(root.rglob("*")):
        if not p.is_file() or p.name.startswith("."):
            continue
        rel = p.relative_to(root).as_posix()
        if p.suffix.lower() not in IMAGE_SUFFIXES:
            batch.refused.append((rel, "not an image file type"))
            continue
        batch.items.append(ImageItem(rel, p.read_bytes(), _label_of(rel)))
        _check_count(len(batch.items), max_files)
    if not batch.items:
        raise EmptyInputError(f"No images ({', '.join(IMAGE_SUFFIXES)}) found under '{folder}'.")
    return batch

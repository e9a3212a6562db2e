"""Untrusted image bytes to pixels: the one decoder of uploads, image sets and image encoders.

Only the Pillow decoders of :data:`ACCEPTED_FORMATS` may parse the bytes, whatever they claim to be;
Pillow's decompression-bomb limit is set deliberately (:data:`MAX_PIXELS`); anything unusable raises
:class:`ImageRefusedError` naming the file. :func:`decode_for_model` is what an image encoder eats.
It sits below both :mod:`embedlab.images` (uploads, sets, the pipeline) and
:mod:`embedlab.encoders.image` (the CNN), which both need it.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import numpy as np

from embedlab.errors import EmbedlabError

#: The only Pillow decoders uploads may reach, whatever the bytes claim to be (MPO phone photos open as JPEG).
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP")
_ACCEPTED_NAMES = "JPEG, PNG, WebP, GIF or BMP"
# Magic numbers of formats people upload by mistake, only to name them in the message (never decoded).
_OTHER_MAGIC = {b"II*\x00": "TIFF", b"MM\x00*": "TIFF", b"%!PS": "PostScript/EPS", b"\xc5\xd0\xd3\xc6": "EPS",
                b"%PDF": "PDF", b"\x00\x00\x00\x0cjP  ": "JPEG 2000", b"8BPS": "Photoshop (PSD)",
                b"\x00\x00\x01\x00": "Windows icon (ICO)", b"icns": "Apple icon (ICNS)"}
MAX_PIXELS = 40_000_000  # ~6300 x 6300; bigger images are refused as possible decompression bombs
MAX_FILE_BYTES = 25 * 2**20  # one image file (25 MB); bigger ones are refused unread


class ImageRefusedError(EmbedlabError):
    """One file could not be used as an image (not an image, corrupt, or a decompression bomb)."""


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
    limit = MAX_FILE_BYTES / 2**20
    return ImageRefusedError(f"'{name}' is {size / 2**20:,.1f} MB, larger than {limit:.0f} MB for one image; "
                             "refused. Resize it and try again.")


def read_image_file(path: str | Path) -> bytes:
    """The bytes of an image file, refused unread when it is larger than :data:`MAX_FILE_BYTES`."""
    size = Path(path).stat().st_size
    if size > MAX_FILE_BYTES:
        raise _too_big(str(path), size)
    return Path(path).read_bytes()

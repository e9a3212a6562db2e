"""Untrusted image input: uploads, zips and folders (decoding the bytes is :mod:`embedlab.pixels`).

Every image becomes an :class:`ImageItem` (a key, its encoded bytes, an optional label and a content
hash); anything that cannot be used is listed in :attr:`ImageBatch.refused` with the reason, and the
rest is still processed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from embedlab.errors import EmptyInputError, InputTooLargeError
from embedlab.pixels import MAX_FILE_BYTES
from embedlab.uploads import MB, check_file_count, check_size, read_zip

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp")
MAX_FILES = 2000  # images per upload (files + zip members)
MAX_ZIP_BYTES = 200 * MB  # one zip, compressed
MAX_INFLATED_BYTES = 500 * MB  # one zip, inflated
MAX_TOTAL_BYTES = 500 * MB  # all images of one upload together


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

"""Batch inputs cut into shards: a text file (one text a line), a CSV/Parquet with ``text`` (and ``id``), or
images (a folder, a zip, or a glob pattern).

Shards are deterministic: shard ``i`` always holds the same rows of the same input, so a re-run can skip
the shards already written. Inputs are streamed: a shard's rows are read only when the shard is needed
(image bytes are read only for shards still to do), so the client never holds the whole input.

Keys: the ``id`` column when there is one, else the 1-based line number (text file) or data-row number
(CSV/Parquet without ``id``), else the image's relative path (folder, zip member name, or path relative
to the glob's fixed prefix). Blank texts are skipped (their line numbers are simply absent). A text longer
than :data:`~embedlab.encoders.base.MAX_TEXT_CHARS` characters is cut to that many (a line is read in bounded
pieces, so one 10 MB line costs no more than a short one); no encoder reads further.
"""

from __future__ import annotations

import glob as globlib
import hashlib
import os
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from embedlab.encoders.base import MAX_TEXT_CHARS
from embedlab.errors import EmptyInputError, FormatError, InvalidParameterError
from embedlab.images.io import IMAGE_SUFFIXES
from embedlab.uploads import _safe_member_path

KINDS = ("text", "images")
TABLE_SUFFIXES = (".csv", ".tsv", ".parquet", ".pq")
MAX_IMAGE_BYTES = 25 * 1024 * 1024  # one image file (as the app's uploader)


@dataclass
class Shard:
    """Rows ``keys`` of one shard; ``load()`` returns the encoder inputs (texts or image bytes)."""

    index: int
    keys: list[str]
    load: Callable[[], list[Any]]
    meta: dict[str, list] = field(default_factory=dict)


@dataclass
class BatchInput:
    """A described input: kind, where it is, how it is read, and a signature to recognise it on re-runs."""

    path: str
    kind: str
    form: str  # "lines", "csv", "parquet", "folder", "zip", "glob"
    signature: dict

    def shards(self, shard_size: int) -> Iterator[Shard]:
        """The input's shards of ``shard_size`` rows, in order (the last may be shorter)."""
        if shard_size < 1:
            raise InvalidParameterError(f"shard_size must be at least 1; got {shard_size}.")
        reader = {"lines": _line_shards, "csv": _table_shards, "parquet": _table_shards}.get(self.form)
        if reader is not None:
            yield from reader(self, shard_size)
        else:
            yield from _image_shards(self, shard_size)


def _stat_signature(p: Path) -> dict:
    st = p.stat()
    return {"path": str(p.resolve()), "bytes": st.st_size, "mtime_ns": st.st_mtime_ns}


def describe(path: str | Path, kind: str) -> BatchInput:
    """Check ``path`` and say how it will be read (``kind`` is ``"text"`` or ``"images"``)."""
    if kind not in KINDS:
        raise InvalidParameterError(f"kind must be one of {', '.join(KINDS)}; got {kind!r}.")
    raw = str(path)
    p = Path(raw).expanduser()
    if kind == "text":
        if not p.is_file():
            raise EmptyInputError(f"'{raw}' is not a file. Give a text file (one text a line) or a "
                                  "CSV/Parquet with a 'text' column (and optionally 'id').")
        suffix = p.suffix.lower()
        form = ("parquet" if suffix in (".parquet", ".pq")
                else "csv" if suffix in (".csv", ".tsv") else "lines")
        src = BatchInput(str(p), kind, form, {"form": form, **_stat_signature(p)})
        _check_text(src)
        return src
    if p.is_dir():
        files = _need_images(_folder_images(p), raw)
        return BatchInput(str(p), kind, "folder", {"form": "folder", "path": str(p.resolve()),
                                                    "files": len(files), "digest": _digest(files)})
    if p.is_file() and zipfile.is_zipfile(p):
        _need_images(_zip_members(str(p)), raw)
        return BatchInput(str(p), kind, "zip", {"form": "zip", **_stat_signature(p)})
    if p.is_file():
        raise FormatError(raw, "is neither a folder, a zip archive nor a glob pattern of images.",
                          hint="Give a folder of images, a .zip of images, or a pattern like 'photos/*.jpg'.")
    if globlib.has_magic(raw):
        files = _need_images(_glob_images(raw)[1], raw)
        return BatchInput(raw, kind, "glob", {"form": "glob", "pattern": raw, "files": len(files),
                                               "digest": _digest(files)})
    raise EmptyInputError(f"'{raw}' does not exist. Give a folder, a .zip or a glob pattern of images.")


def _need_images(names: list[str], where: str) -> list[str]:
    if not names:
        raise EmptyInputError(f"No images found in '{where}' (looked for .jpg, .jpeg, .png, .webp, .gif, "
                              ".bmp).")
    return names


def _check_text(src: BatchInput) -> None:
    """Fail before any cluster starts: no text column, or no text at all in the first shard."""
    next(src.shards(1_000), None)


def _digest(names: list[str]) -> str:
    h = hashlib.blake2b(digest_size=12)
    for n in names:
        h.update(n.encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()


# ----------------------------------------------------------------- texts
def _line_shards(src: BatchInput, size: int) -> Iterator[Shard]:
    return _group(_line_rows(src), size, f"'{src.path}' has no non-blank lines to embed.")


def _bounded_lines(fh, limit: int) -> Iterator[bytes]:
    """The lines of a binary file, each cut to its first ``limit`` bytes (the rest is skipped unread)."""
    while True:
        raw = fh.readline(limit)
        if not raw:
            return
        if len(raw) == limit and not raw.endswith(b"\n"):
            while (more := fh.readline(limit)) and not more.endswith(b"\n"):
                pass  # the rest of an over-long line: read in bounded pieces and dropped
        yield raw


def _decode_line(raw: bytes, cut: bool) -> str:
    """UTF-8 text of a line; a line cut inside a character loses that character's first bytes only."""
    if cut:
        for back in range(4):  # a UTF-8 character is at most 4 bytes
            try:
                return raw[: len(raw) - back].decode("utf-8")
            except UnicodeDecodeError:
                continue
    return raw.decode("utf-8")


def _line_rows(src: BatchInput) -> Iterator[tuple[str, str]]:
    """``(line number, text)`` of every non-blank line, each at most :data:`MAX_TEXT_CHARS` characters."""
    limit = 4 * MAX_TEXT_CHARS  # bytes: UTF-8 takes at most 4 a character
    with open(src.path, "rb") as fh:
        for number, raw in enumerate(_bounded_lines(fh, limit), start=1):
            try:
                cut = len(raw) == limit and not raw.endswith(b"\n")
                text = _decode_line(raw, cut).rstrip("\r\n")[:MAX_TEXT_CHARS]
            except UnicodeDecodeError:
                raise FormatError(src.path, "is not valid UTF-8 text.", line=number,
                                  hint="Save the file as UTF-8 (one text a line).") from None
            if text.strip():
                yield str(number), text


def _group(rows: Iterator[tuple[str, str]], size: int, empty: str) -> Iterator[Shard]:
    """Shards of ``size`` ``(key, text)`` rows, numbered from 0; ``EmptyInputError(empty)`` if none."""
    keys: list[str] = []
    texts: list[str] = []
    index = 0
    for key, text in rows:
        keys.append(key)
        texts.append(text)
        if len(keys) == size:
            yield _text_shard(index, keys, texts)
            index, keys, texts = index + 1, [], []
    if keys:
        yield _text_shard(index, keys, texts)
    elif index == 0:
        raise EmptyInputError(empty)


def _text_shard(index: int, keys: list[str], texts: list[str]) -> Shard:
    return Shard(index, keys, lambda: texts, {"text": texts})


def _table_batches(src: BatchInput, size: int) -> Iterator[Any]:
    """pandas DataFrames of at most ``size`` rows with the input's ``id`` (if any) and ``text`` columns."""
    import pandas as pd

    if src.form == "csv":
        sep = "\t" if src.path.lower().endswith(".tsv") else ","
        try:
            header = pd.read_csv(src.path, sep=sep, nrows=0)
        except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
            raise FormatError(src.path, f"could not be read as CSV ({exc}).") from None
        cols = _columns(src, [str(c) for c in header.columns])
        yield from pd.read_csv(src.path, sep=sep, usecols=cols, dtype=str, keep_default_na=False,
                               chunksize=size)
        return
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(src.path)
    except Exception as exc:  # noqa: BLE001 - any pyarrow failure means "not a readable Parquet file"
        raise FormatError(src.path, f"is not a readable Parquet file ({type(exc).__name__}).") from None
    cols = _columns(src, list(pf.schema_arrow.names))
    buffer: list[Any] = []
    held = 0
    for batch in pf.iter_batches(batch_size=size, columns=cols):
        buffer.append(batch.to_pandas())
        held += batch.num_rows
        while held >= size:
            frame = pd.concat(buffer, ignore_index=True)
            yield frame.iloc[:size]
            buffer, held = [frame.iloc[size:]], held - size
    if held:
        yield pd.concat(buffer, ignore_index=True)


def _columns(src: BatchInput, names: list[str]) -> list[str]:
    if "text" not in names:
        raise FormatError(src.path, f"has no 'text' column (columns: {', '.join(names) or 'none'}).",
                          hint="Name the column of texts 'text' (and the keys 'id').")
    return ["id", "text"] if "id" in names else ["text"]


def _table_shards(src: BatchInput, size: int) -> Iterator[Shard]:
    """Shards of ``size`` non-blank texts; rows without text are skipped (keys stay their row numbers)."""
    return _group(_table_rows(src, size), size, f"'{src.path}' has no rows with text to embed.")


def _table_rows(src: BatchInput, size: int) -> Iterator[tuple[str, str]]:
    """``(id or row number, text)`` of every row with text (None / NaN / blank rows skipped)."""
    row = 0
    for frame in _table_batches(src, size):
        ids = frame["id"].astype(str).tolist() if "id" in frame.columns else None
        for j, text in enumerate(frame["text"].tolist()):
            row += 1
            if isinstance(text, str) and text.strip():
                yield (ids[j] if ids is not None else str(row)), str(text)[:MAX_TEXT_CHARS]


# ----------------------------------------------------------------- images
def _is_image(name: str) -> bool:
    base = os.path.basename(name)
    return not base.startswith(".") and os.path.splitext(base)[1].lower() in IMAGE_SUFFIXES


def _folder_images(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                  if p.is_file() and _is_image(p.name))


def _glob_images(pattern: str) -> tuple[Path, list[str]]:
    """The pattern's fixed prefix folder and the matching image paths relative to it, sorted."""
    parts = Path(pattern).expanduser().parts
    fixed = [p for p in parts[: next(i for i, p in enumerate(parts) if globlib.has_magic(p))]]
    root = Path(*fixed) if fixed else Path(".")
    found = sorted(Path(m).relative_to(root).as_posix()
                   for m in globlib.glob(str(Path(pattern).expanduser()), recursive=True)
                   if os.path.isfile(m) and _is_image(m))
    return root, found


def _zip_members(path: str) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        return sorted(i.filename for i in zf.infolist()
                      if not i.is_dir() and _is_image(i.filename) and _safe_member_path(i.filename))


def _read_member(path: str, name: str) -> bytes:
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(name)
        if info.file_size > MAX_IMAGE_BYTES:
            return b""  # refused by the worker as "not a readable image"
        return zf.read(info)


def _read_file(path: Path) -> bytes:
    return b"" if path.stat().st_size > MAX_IMAGE_BYTES else path.read_bytes()


def _image_shards(src: BatchInput, size: int) -> Iterator[Shard]:
    if src.form == "zip":
        names = _zip_members(src.path)

        def reader(n: str) -> bytes:
            return _read_member(src.path, n)
    else:
        root, names = (Path(src.path).expanduser(), _folder_images(Path(src.path).expanduser())) \
            if src.form == "folder" else _glob_images(src.path)

        def reader(n: str) -> bytes:
            return _read_file(root / n)
    _need_images(names, src.path)
    for index, start in enumerate(range(0, len(names), size)):
        chunk = names[start: start + size]
        labels = [str(Path(n).parent.name) if Path(n).parent.name else "" for n in chunk]

        def load(chunk: list[str] = chunk) -> list[bytes]:
            return [reader(n) for n in chunk]

        yield Shard(index, chunk, load, {"label": labels} if any(labels) else {})

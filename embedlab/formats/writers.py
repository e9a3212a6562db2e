"""Writers: word2vec text / binary, GloVe text, the Projector TSV pair, Parquet. Files appear atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

from embedlab.errors import FormatError, InvalidParameterError
from embedlab.formats.parquetfmt import write_parquet
from embedlab.formats.reader import normalise_format
from embedlab.formats.textfmt import format_rows
from embedlab.formats.w2vbinary import binary_bytes
from embedlab.space import EmbeddingSpace

WRITE_FORMATS = ("word2vec-text", "word2vec-binary", "glove-text", "projector-tsv", "parquet")
PARQUET_LAYOUTS = ("list", "wide")
_EXAMPLE = {"word2vec-text": "vectors.txt", "word2vec-binary": "vectors.bin", "glove-text": "vectors.txt",
            "projector-tsv": "vectors.tsv", "parquet": "vectors.parquet"}


def _atomic(path: Path, data: bytes | None = None, writer=None) -> Path:
    """Write ``data`` (or call ``writer(tmp_path)``) to a temporary sibling, then rename onto ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            if data is not None:
                fh.write(data)
        if writer is not None:
            writer(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _check_keys(keys: tuple[str, ...], path: Path, fmt: str, forbidden: str) -> None:
    for i, k in enumerate(keys):
        if not k or any(c in k for c in forbidden):
            shown = {" ": "a space", "\t": "a tab", "\n": "a newline", "\r": "a carriage return"}
            what = next((shown[c] for c in forbidden if c in k), "nothing (it is empty)")
            raise FormatError(str(path), f"cannot write key {i + 1:,} ('{k}') as {fmt}: it contains {what}.",
                              hint="Replace those characters in the keys (e.g. with '_'), or write "
                                   "'parquet', which stores any key.")


def metadata_path(path: Path) -> Path:
    """The Projector metadata file written next to ``path`` (``metadata.tsv`` or ``<stem>-metadata.tsv``)."""
    if path.name == "vectors.tsv":
        return path.with_name("metadata.tsv")
    return path.with_name(f"{path.stem}-metadata.tsv")


def _check_target(path: Path, fmt: str) -> None:
    """Refuse a folder (or a projector metadata path that is a folder) before anything is written."""
    targets = [path, metadata_path(path)] if fmt == "projector-tsv" else [path]
    for t in targets:
        if t.is_dir():
            err = FormatError(str(t), "is a folder.")
            err.args = (f"{t} is a folder; give a file name such as {t / _EXAMPLE[fmt]}.",)
            raise err


def _clean(value: object) -> str:
    return str(value).replace("\t", " ").replace("\r", " ").replace("\n", " ")


def _projector(space: EmbeddingSpace, path: Path) -> list[Path]:
    _check_keys(space.keys, path, "projector-tsv", "\t\n\r")
    _atomic(path, format_rows(space.vectors, "\t").encode("utf-8"))
    frame = space.to_frame()
    if len(frame.columns) == 1:
        text = "".join(f"{k}\n" for k in space.keys)
    else:
        rows = ["\t".join(_clean(c) for c in frame.columns)]
        rows += ["\t".join(_clean(v) for v in row) for row in frame.itertuples(index=False)]
        text = "\n".join(rows) + "\n"
    return [path, _atomic(metadata_path(path), text.encode("utf-8"))]


def write(space: EmbeddingSpace, path: str | Path, fmt: str, *, columns: str = "list") -> list[Path]:
    """Write ``space`` to ``path`` in ``fmt``; returns the written paths.

    Parameters
    ----------
    fmt : str
        ``word2vec-text``, ``word2vec-binary``, ``glove-text``, ``projector-tsv`` (writes ``path`` plus a
        sibling metadata file with the keys and metadata columns; a header row when there is more than one
        column) or ``parquet`` (``key``, the vectors and metadata columns). Vectors are float32; text
        formats print 9 significant digits, which round-trips float32 exactly.
    columns : {'list', 'wide'}
        Parquet layout: one ``vector`` list column (default), or one float column per dimension
        (``d0``, ``d1``, ...). Both read back with :func:`embedlab.formats.read`.

    Raises
    ------
    FormatError
        ``path`` is a folder, or a key cannot be stored in ``fmt`` (nothing is written).
    """
    fmt = normalise_format(fmt)
    fmt = "word2vec-text" if fmt == "fasttext-vec" else fmt  # the same layout
    if fmt not in WRITE_FORMATS:
        raise InvalidParameterError(f"Cannot write format '{fmt}'; writable formats: "
                                    f"{', '.join(WRITE_FORMATS)}.")
    if columns not in PARQUET_LAYOUTS or (columns != "list" and fmt != "parquet"):
        raise InvalidParameterError(f"columns='{columns}' is not supported for {fmt}; use columns='list' or "
                                    "'wide', and only with fmt='parquet'.")
    path = Path(path)
    _check_target(path, fmt)
    keys, vecs = list(space.keys), np.asarray(space.vectors)
    if fmt == "projector-tsv":
        return _projector(space, path)
    if fmt == "parquet":
        return [_atomic(path, writer=lambda tmp: write_parquet(keys, vecs, space.meta, tmp, columns=columns))]
    _check_keys(space.keys, path, fmt, " \t\n\r")
    if fmt == "word2vec-binary":
        return [_atomic(path, binary_bytes(keys, vecs))]
    header = f"{len(keys)} {space.dim}\n" if fmt == "word2vec-text" else ""
    return [_atomic(path, (header + format_rows(vecs, " ", keys)).encode("utf-8"))]

"""Bounds on what a vectors file may make embedlab allocate: its dimension and its inflated size.

Compressed containers (``.npz``, Parquet) can declare far more data than their bytes on disk; their readers
check the declared size against :func:`inflate_limit` *before* reading anything. Uploads pass an explicit
limit (see :func:`embedlab.formats.read_upload`); files read from disk default to
``max(1 GiB, 50 x the file's size)`` so a legitimately large file still loads.
"""

from __future__ import annotations

from embedlab.errors import FormatError, InputTooLargeError

MB = 1024 * 1024
MAX_DIM = 100_000  # values per vector; a row wider than this is not an embedding
FAST_MAX_DIM = 4_096  # wider rows skip pyarrow's CSV reader (it spends ~4.5 kB per column and block)
INFLATE_FLOOR = 1024 * MB
INFLATE_RATIO = 50
PY_STR_BYTES = 64  # what one short Python string costs in memory (object header + text)


def inflate_limit(file_bytes: int, max_inflated_bytes: int | None = None) -> int:
    """Bytes a file of ``file_bytes`` may inflate to: ``max_inflated_bytes``, else the default rule."""
    if max_inflated_bytes is not None:
        return int(max_inflated_bytes)
    return max(INFLATE_FLOOR, INFLATE_RATIO * int(file_bytes))


def check_inflated(path: str, declared: int, limit: int, what: str) -> None:
    """Raise :class:`InputTooLargeError` when ``declared`` bytes (``what``: e.g. a shape) exceed ``limit``."""
    if declared > limit:
        raise InputTooLargeError(
            f"{path}: {what} would take {declared / MB:,.0f} MB of memory once read; the limit is "
            f"{limit / MB:,.0f} MB. Nothing was read. Save a subset of the vectors (fewer rows), or read a "
            "trusted file with a larger max_inflated_bytes."
        )


def check_dim(path: str, d: int, where: str, line: int | None = None) -> None:
    """Raise :class:`FormatError` when ``d`` values per vector is absurd (``where`` says who claims it)."""
    if d > MAX_DIM:
        raise FormatError(path, f"{where} {d:,} values per vector; embedlab reads vectors of at most "
                                f"{MAX_DIM:,} dimensions.", line=line,
                          hint="Check that this is an embeddings file with one vector per row.")

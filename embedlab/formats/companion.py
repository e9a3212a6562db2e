"""Companion files that give keys to key-less vectors: a labels file or a Projector ``metadata.tsv``.

A labels file holds one key per line. A metadata file follows the TensorFlow Projector rules: one column
without a header is the keys; with several columns (or a header row) the first row names the columns, the
column called ``key``/``word``/``token``/``label``/``name``/``id`` (else the first) gives the keys and the
others become metadata. Whether a header is present is decided by the row count (rows = vectors + 1).
:func:`find_metadata` looks for such a file next to Projector vectors. Reading stops as soon as a file
cannot fit the vectors (too many rows or lines, a line over 1 MB), so its size never matters.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from embedlab.errors import FormatError
from embedlab.formats._common import KEY_COLUMNS
from embedlab.uploads import decode_text

MAX_LINE = 1024 * 1024  # bytes in one row of a labels / metadata file


def _bounded_bytes(path: Path, n: int) -> bytes:
    """The file's bytes, read line by line and refused as soon as it cannot fit ``n`` vectors.

    A companion needs ``n`` rows (``n + 1`` with a header, blank lines aside): more than ``2 n + 1000``
    lines, or a line over :data:`MAX_LINE` bytes, ends the read with a message, so a huge file beside three
    vectors costs almost nothing.
    """
    parts: list[bytes] = []
    most = 2 * n + 1000
    with open(path, "rb") as fh:
        for num in range(1, most + 2):
            line = fh.readline(MAX_LINE + 1)
            if not line:
                return b"".join(parts)
            if len(line) > MAX_LINE:
                raise FormatError(str(path), f"line {num:,} is longer than {MAX_LINE // 1024:,} kB; a labels "
                                             "or metadata file holds one short row per vector.", line=num)
            parts.append(line)
    raise FormatError(str(path), f"labels count does not match: more than {most:,} lines for {n:,} vectors "
                                 f"(expected {n:,} rows, or {n + 1:,} with a header row); reading stopped "
                                 "there.",
                      hint="Use the metadata file written together with these vectors.")


def _lines(path: Path, warnings: list[str], n: int) -> tuple[list[str], list[int]]:
    """Lines (CR removed), trailing blank lines dropped; inner blank lines dropped only if that fits ``n``."""
    text, note = decode_text(str(path), _bounded_bytes(path, n))
    warnings += [note] if note else []
    lines = [ln.rstrip("\r") for ln in text.split("\n")]
    nums = list(range(1, len(lines) + 1))
    while lines and not lines[-1].strip():
        lines.pop()
        nums.pop()
    if len(lines) not in (n, n + 1):
        keep = [i for i, ln in enumerate(lines) if ln.strip()]
        lines, nums = [lines[i] for i in keep], [nums[i] for i in keep]
    if not lines:
        raise FormatError(str(path), "is empty: expected one key per vector.")
    return lines, nums


def _key_column(header: list[str]) -> int:
    low = [h.strip().lower() for h in header]
    for name in KEY_COLUMNS:
        if name in low:
            return low.index(name)
    return 0


def _typed(col: list[str]) -> pd.Series:
    s = pd.Series(col, dtype=object)
    try:
        return pd.to_numeric(s)
    except (ValueError, TypeError):
        return s.astype(str)


def read_labels(path: str | Path, n: int, warnings: list[str]
                ) -> tuple[list[str], pd.DataFrame | None, list[int]]:
    """Keys (one per line) for ``n`` vectors, ``None`` (or a table for a tab-separated file), line numbers."""
    path = Path(path)
    lines, nums = _lines(path, warnings, n)
    if any("\t" in ln for ln in lines[:5]):
        return read_metadata(path, n, warnings)
    keys = [ln.strip(" \t") for ln in lines]
    if len(keys) != n:
        raise FormatError(str(path), f"labels count does not match: {len(keys):,} labels for {n:,} vectors.",
                          hint="The labels file needs exactly one key per vector row, in the same order.")
    return keys, None, nums


def read_metadata(path: str | Path, n: int, warnings: list[str]
                  ) -> tuple[list[str], pd.DataFrame | None, list[int]]:
    """Keys, a metadata table (or ``None``) and line numbers from a Projector metadata file."""
    path = Path(path)
    lines, nums = _lines(path, warnings, n)
    rows = [ln.split("\t") for ln in lines]
    width = len(rows[0])
    if len(rows) == n + 1:
        header, rows, nums = [h.strip() or f"col{j + 1}" for j, h in enumerate(rows[0])], rows[1:], nums[1:]
    elif len(rows) == n:
        header = ["key"] if width == 1 else [f"col{j + 1}" for j in range(width)]
    else:
        raise FormatError(str(path), f"labels count does not match: {len(rows):,} rows for {n:,} vectors "
                                     f"(expected {n:,}, or {n + 1:,} with a header row).",
                          hint="Use the metadata file written together with these vectors.")
    for r, num in zip(rows, nums, strict=False):
        if len(r) != len(header):
            raise FormatError(str(path), f"ragged row: {len(r)} tab-separated fields, expected {len(header)} "
                                         "(as the first row).", line=num)
    kc = _key_column(header)
    keys = [r[kc].strip() for r in rows]
    cols = {header[j]: _typed([r[j] for r in rows]) for j in range(len(header)) if j != kc}
    meta = pd.DataFrame(cols) if cols else None
    return keys, meta, nums


def attach_meta(meta: pd.DataFrame | None, column: str, values: list[str]) -> pd.DataFrame:
    """``meta`` with ``column`` (the original, possibly repeated, labels) added first."""
    base = pd.DataFrame({column: np.asarray(values, dtype=object)})
    return base if meta is None else pd.concat([base, meta.reset_index(drop=True)], axis=1)


def metadata_candidates(vectors: Path) -> list[Path]:
    """Existing sibling metadata files of ``vectors``: ``<stem>-metadata.tsv``, then ``metadata.tsv``."""
    out = []
    for c in (vectors.with_name(f"{vectors.stem}-metadata.tsv"), vectors.with_name("metadata.tsv")):
        if c.is_file() and c != vectors and c not in out:
            out.append(c)
    return out


def find_metadata(vectors: Path, n: int, warnings: list[str]
                  ) -> tuple[Path, tuple[list[str], pd.DataFrame | None, list[int]]] | None:
    """The first sibling metadata file that fits ``n`` vectors and its contents; ``None`` (warned) if none."""
    skipped: list[str] = []
    for c in metadata_candidates(vectors):
        found: list[str] = []
        try:
            result = read_metadata(c, n, found)
        except FormatError as exc:
            skipped.append(f"{c.name} next to {vectors.name} was not used as its metadata ({exc})")
            continue
        warnings.extend(skipped + found)
        return c, result
    if skipped:
        warnings.extend(s + "; the keys are row numbers (0, 1, 2, ...)." for s in skipped)
    return None

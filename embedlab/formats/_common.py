"""Shared pieces of the readers: the parse result, the word2vec header, data lines, duplicate keys.

Text is decoded by :func:`embedlab.uploads.decode_text` (the one policy of every text upload).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from embedlab.errors import FormatError, InvalidParameterError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

BOM = b"\xef\xbb\xbf"
KEY_COLUMNS = ("key", "word", "token", "label", "name", "id")
DUPLICATE_POLICIES = ("first", "error", "rename")
_HEADER = re.compile(r"^\s*(\d+)[ \t]+(\d+)\s*$")


@dataclass
class Parsed:
    """What a reader found: keys, an (n, d) float32 matrix, optional metadata, and warnings.

    ``lines`` holds the 1-based source line (or row) of each key, used to name duplicates.
    """

    keys: list[str]
    vectors: np.ndarray
    meta: pd.DataFrame | None = None
    lines: list[int] | None = None
    warnings: list[str] = field(default_factory=list)
    info: dict = field(default_factory=dict)


def check_policy(on_duplicate: str) -> str:
    """Validate the ``on_duplicate`` argument."""
    if on_duplicate not in DUPLICATE_POLICIES:
        raise InvalidParameterError(
            f"on_duplicate='{on_duplicate}' is not supported; use one of {', '.join(DUPLICATE_POLICIES)}."
        )
    return on_duplicate


def parse_header(line: str) -> tuple[int, int] | None:
    """``(n, d)`` from a word2vec header line such as ``"400000 50"``, else ``None``."""
    m = _HEADER.match(line)
    return (int(m.group(1)), int(m.group(2))) if m else None


def data_lines(text: str, strip_chars: str = " \t\r") -> tuple[list[str], list[int]]:
    """Non-blank lines (right-stripped of ``strip_chars``) and their 1-based line numbers.

    Only ASCII space, tab and CR are stripped, so keys holding a non-breaking space survive.
    """
    rows: list[str] = []
    nums: list[int] = []
    for i, line in enumerate(text.split("\n"), 1):
        s = line.rstrip(strip_chars)
        if s:
            rows.append(s)
            nums.append(i)
    return rows, nums


def _first_seen(keys: list[str]) -> tuple[dict[str, int], list[int]]:
    if len(set(keys)) == len(keys):  # the common case, checked in C
        return {}, []
    first: dict[str, int] = {}
    dups: list[int] = []
    for i, k in enumerate(keys):
        if k in first:
            dups.append(i)
        else:
            first[k] = i
    return first, dups


def _rename(keys: list[str], dups: list[int]) -> list[str]:
    out = list(keys)
    taken = set(keys)
    seen: dict[str, int] = {}
    for i in dups:
        base = keys[i]
        n = seen.get(base, 1)
        while f"{base}#{n + 1}" in taken:
            n += 1
        out[i] = f"{base}#{n + 1}"
        taken.add(out[i])
        seen[base] = n + 1
    return out


def apply_duplicates(p: Parsed, path: str, on_duplicate: str, what: str = "line") -> Parsed:
    """Apply the duplicate-key policy in place and return ``p``.

    ``first`` keeps the first occurrence (``info['duplicates_dropped']`` counts the rest, plus a warning),
    ``rename`` keeps every row as ``key``, ``key#2``, ... and ``error`` raises naming both lines.
    """
    first, dups = _first_seen(p.keys)
    p.info["duplicates_dropped"] = 0
    if not dups:
        return p
    lines = p.lines or list(range(1, len(p.keys) + 1))
    i = dups[0]
    k = p.keys[i]
    where = f"{what} {lines[first[k]]} and {what} {lines[i]}"
    if on_duplicate == "error":
        raise FormatError(path, f"duplicate key '{k}' on {where}.", line=lines[i],
                          hint="Remove the repeats, or read with on_duplicate='first' to keep the first one.")
    if on_duplicate == "rename":
        p.keys = _rename(p.keys, dups)
        p.warnings.append(f"{len(dups):,} repeated key(s) were kept as 'key#2', 'key#3', ... "
                          f"(first: '{k}' on {where}).")
        return p
    keep = np.ones(len(p.keys), dtype=bool)
    keep[dups] = False
    p.lines = lines
    keep_rows(p, keep)
    p.info["duplicates_dropped"] = len(dups)
    p.warnings.append(f"{len(dups):,} duplicate key(s) were dropped, keeping the first occurrence "
                      f"(first: '{k}' on {where}).")
    return p


def keep_rows(p: Parsed, keep: np.ndarray) -> Parsed:
    """Keep only the rows where the boolean mask ``keep`` is true (keys, vectors, metadata, line numbers)."""
    p.keys = [key for key, m in zip(p.keys, keep, strict=True) if m]
    p.vectors = p.vectors[keep]
    p.meta = None if p.meta is None else p.meta[keep].reset_index(drop=True)
    p.lines = None if p.lines is None else [n for n, m in zip(p.lines, keep, strict=True) if m]
    return p

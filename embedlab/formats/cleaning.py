"""Rows no one can use: keys holding control characters (tab, CR, NUL, ...) and vectors holding NaN or inf.

Both run on every file :func:`embedlab.formats.read` loads, after keys are attached and before duplicate
keys are resolved; each change is counted in ``info`` and explained in a warning naming the first few rows.
"""

from __future__ import annotations

import re

import numpy as np

from embedlab.errors import FormatError
from embedlab.formats._common import Parsed, keep_rows

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
SHOW = 5  # rows named in a warning


def _where(p: Parsed, rows: np.ndarray | list[int], what: str) -> str:
    lines = p.lines or list(range(1, len(p.keys) + 1))
    named = ", ".join(f"'{_CONTROL.sub(' ', p.keys[i])}' ({what} {lines[i]:,})" for i in rows[:SHOW])
    return named + (", ..." if len(rows) > SHOW else "")


def clean_keys(p: Parsed, path: str, what: str = "line") -> Parsed:
    """Replace control characters in keys by a space (runs collapsed, ends stripped); drop keys left empty.

    A tab or newline inside a key would break every text file the space is later written to, and a NUL or
    CR shows as nothing on screen, so two different-looking keys could be the same. Counted in
    ``info['keys_cleaned']`` / ``info['empty_keys_dropped']``.
    """
    p.info.setdefault("keys_cleaned", 0)
    if not _CONTROL.search("".join(p.keys)):  # the common case, one C-level scan
        return p
    rows = [i for i, k in enumerate(p.keys) if _CONTROL.search(k)]
    shown = _where(p, rows, what)
    keys = list(p.keys)
    for i in rows:
        keys[i] = _CONTROL.sub(" ", keys[i]).strip(" ")
    p.keys = keys
    p.info["keys_cleaned"] = len(rows)
    p.warnings.append(f"{path}: {len(rows):,} key(s) held control characters (tab, newline, CR, NUL, ...); "
                      f"each run was replaced by a space: {shown}.")
    return drop_empty_keys(p, path, what)


def drop_empty_keys(p: Parsed, path: str, what: str = "line") -> Parsed:
    """Drop rows whose key is empty (no one can look them up), with a warning; refuse if none is left."""
    empty = np.array([not k for k in p.keys], dtype=bool)
    p.info.setdefault("empty_keys_dropped", 0)
    if not empty.any():
        return p
    rows = np.flatnonzero(empty)
    if len(rows) == len(p.keys):
        raise FormatError(path, f"every key ({len(rows):,}) is empty; nothing to load.",
                          hint="Check that the file holds one key per vector.")
    lines = p.lines or list(range(1, len(p.keys) + 1))
    at = ", ".join(f"{what} {lines[i]:,}" for i in rows[:SHOW]) + (", ..." if len(rows) > SHOW else "")
    keep_rows(p, ~empty)
    p.info["empty_keys_dropped"] = len(rows)
    p.warnings.append(f"{path}: {len(rows):,} vector(s) with an empty key were dropped ({at}).")
    return p


def drop_nonfinite(p: Parsed, path: str, what: str = "line") -> Parsed:
    """Drop rows holding NaN or infinity (a similarity with them is undefined), with a warning naming them.

    Raises :class:`FormatError` when every row is bad. The count is in ``info['nonfinite_dropped']``.
    """
    p.info["nonfinite_dropped"] = 0
    if not p.vectors.size:
        return p
    # a float64 sum of float32 values cannot overflow, and any NaN or inf makes it non-finite
    finite = np.isfinite(p.vectors.sum(axis=1, dtype=np.float64))
    if finite.all():
        return p
    rows = np.flatnonzero(~finite)
    if len(rows) == len(finite):
        raise FormatError(path, f"every vector ({len(rows):,}) holds NaN or infinite values; nothing to "
                                "load.",
                          hint="Check how the file was made (a training run that diverged writes NaN).")
    shown = _where(p, rows, what)
    keep_rows(p, finite)
    p.info["nonfinite_dropped"] = len(rows)
    p.warnings.append(f"{path}: {len(rows):,} vector(s) held NaN or infinite values and were dropped: "
                      f"{shown}.")
    return p

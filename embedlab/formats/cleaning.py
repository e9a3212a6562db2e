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
_CONTROL_BYTES = bytes([*range(32), 127])  # never part of a multi-byte UTF-8 character
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
    joined = "".join(p.keys).encode("utf-8", "surrogatepass")
    if len(joined.translate(None, _CONTROL_BYTES)) == len(joined):  # the common case, one C-level pass
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
    # any NaN or inf makes a row's sum non-finite; rows whose sum merely overflowed are checked exactly
    with np.errstate(over="ignore", invalid="ignore"):
        finite = np.isfinite(p.vectors @ np.ones(p.vectors.shape[1], dtype=p.vectors.dtype))
    if finite.all():
        return p
    maybe = np.flatnonzero(~finite)
    finite[maybe] = np.isfinite(p.vectors[maybe]).all(axis=1)
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

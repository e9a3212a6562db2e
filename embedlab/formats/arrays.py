"""NumPy ``.npy`` / ``.npz`` vectors (never unpickled: ``allow_pickle=False``).

An ``.npz`` may carry its own keys as a 1-D string array (named ``keys``, ``words``, ``labels``,
``vocab``, ``tokens`` or ``index``); otherwise keys come from a labels file, or are row numbers.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from embedlab.errors import FormatError
from embedlab.formats._common import KEY_COLUMNS, Parsed

VECTOR_NAMES = ("vectors", "embeddings", "embedding", "vecs", "emb", "x", "arr_0")
KEY_NAMES = ("keys", "words", "labels", "vocab", "tokens", "index") + KEY_COLUMNS

_PICKLE_HINT = ("Object arrays need pickle, which embedlab never loads from files. Save plain numbers with "
                "np.save(path, vectors.astype('float32')) and keys as strings (np.array(keys, dtype=str)).")


def _matrix(a: np.ndarray, path: str, what: str) -> np.ndarray:
    if a.dtype.kind not in "fiub":
        raise FormatError(path, f"{what} has dtype {a.dtype}; expected numbers (float32/float64/int).",
                          hint=_PICKLE_HINT if a.dtype.kind == "O" else "")
    if a.ndim != 2:
        raise FormatError(path, f"{what} has shape {a.shape}; expected a 2-D array (rows, dimensions).")
    if a.shape[0] == 0 or a.shape[1] == 0:
        raise FormatError(path, f"is empty: {what} has shape {a.shape}.")
    return np.array(a, dtype=np.float32)  # a copy: never keep a memory map of the user's file


def _pickle_error(exc: ValueError, path: str | Path) -> Exception:
    if any(w in str(exc) for w in ("allow_pickle", "Object arrays", "Python objects")):
        return FormatError(str(path), "holds an array with object dtype, which would need pickle.",
                           hint=_PICKLE_HINT)
    return exc


def _load(path: str | Path, **kw):
    try:
        return np.load(path, allow_pickle=False, **kw)
    except ValueError as exc:
        raise _pickle_error(exc, path) from None


def read_npy(path: str | Path) -> Parsed:
    """Vectors from a 2-D ``.npy``; keys are row numbers until a labels file is attached."""
    a = _load(path, mmap_mode="r")
    vecs = _matrix(a, str(path), "the array")
    return Parsed([str(i) for i in range(len(vecs))], vecs, info={"keys_from": "row numbers"})


def _pick(names: list[str], wanted: tuple[str, ...]) -> str | None:
    low = {n.lower(): n for n in names}
    return next((low[w] for w in wanted if w in low), None)


def read_npz(path: str | Path) -> Parsed:
    """Vectors (and keys, when stored) from an ``.npz`` archive."""
    name = str(path)
    with _load(path) as z:
        names = list(z.files)
        if not names:
            raise FormatError(name, "is empty: the archive holds no arrays.")
        try:
            arrays = {n: z[n] for n in names}
        except ValueError as exc:
            raise _pickle_error(exc, path) from None
    mats = [n for n, a in arrays.items() if a.ndim == 2]
    vname = _pick(mats, VECTOR_NAMES) or (mats[0] if len(mats) == 1 else None)
    if vname is None:
        shapes = ", ".join(f"{n} {a.shape}" for n, a in arrays.items())
        raise FormatError(name, f"has no unambiguous 2-D vectors array (found: {shapes}).",
                          hint=f"Name the matrix one of: {', '.join(VECTOR_NAMES[:4])}.")
    vecs = _matrix(arrays[vname], name, f"array '{vname}'")
    strs = [n for n, a in arrays.items() if a.ndim == 1 and a.dtype.kind in "US" and len(a) == len(vecs)]
    kname = _pick(strs, KEY_NAMES) or (strs[0] if strs else None)
    if kname is None:
        return Parsed([str(i) for i in range(len(vecs))], vecs, info={"keys_from": "row numbers"})
    raw = arrays[kname]
    keys = [k.decode("utf-8", "replace") if isinstance(k, bytes) else str(k) for k in raw.tolist()]
    return Parsed(keys, vecs, info={"keys_from": f"array '{kname}'"})

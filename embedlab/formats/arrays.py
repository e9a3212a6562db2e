"""NumPy ``.npy`` / ``.npz`` vectors (never unpickled: ``allow_pickle=False``).

An ``.npz`` may carry its own keys as a 1-D string array (named ``keys``, ``words``, ``labels``,
``vocab``, ``tokens`` or ``index``); otherwise keys come from a labels file, or are row numbers. The arrays
of an ``.npz`` are chosen, and their declared size bounded, from their headers before any data is read.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from embedlab.errors import FormatError
from embedlab.formats._common import KEY_COLUMNS, Parsed
from embedlab.formats.limits import PY_STR_BYTES, check_dim, check_inflated, inflate_limit

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


def _header(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: str) -> tuple[tuple[int, ...], np.dtype]:
    """Shape and dtype declared by a ``.npy`` member's header, read without reading its data."""
    fmt = np.lib.format
    try:
        with zf.open(info) as fh:
            version = fmt.read_magic(fh)
            read = fmt.read_array_header_1_0 if version == (1, 0) else fmt.read_array_header_2_0
            shape, _, dtype = read(fh)
    except (ValueError, OSError, zipfile.BadZipFile, EOFError) as exc:
        raise FormatError(path, f"member '{info.filename}' is not a readable .npy array ({exc}).",
                          hint="Save the archive again with np.savez.") from None
    if dtype.hasobject:
        raise FormatError(path, f"array '{info.filename[:-4]}' has object dtype, which would need pickle.",
                          hint=_PICKLE_HINT)
    return tuple(int(x) for x in shape), dtype


def _nbytes(shape: tuple[int, ...], dtype: np.dtype) -> int:
    return int(np.prod(shape, dtype=object)) * dtype.itemsize


def _choose(heads: dict, path: str) -> tuple[str, str | None]:
    """Names of the vectors array and of the keys array (``None`` when there is none), from headers."""
    mats = [n for n, (shape, _) in heads.items() if len(shape) == 2]
    vname = _pick(mats, VECTOR_NAMES) or (mats[0] if len(mats) == 1 else None)
    if vname is None:
        shapes = ", ".join(f"{n} {shape}" for n, (shape, _) in heads.items())
        raise FormatError(path, f"has no unambiguous 2-D vectors array (found: {shapes}).",
                          hint=f"Name the matrix one of: {', '.join(VECTOR_NAMES[:4])}.")
    rows = heads[vname][0][0]
    strs = [n for n, (shape, dt) in heads.items() if len(shape) == 1 and dt.kind in "US" and shape[0] == rows]
    return vname, _pick(strs, KEY_NAMES) or (strs[0] if strs else None)


def _check_size(heads: dict, vname: str, kname: str | None, path: str, limit: int) -> None:
    """Refuse, before reading, an archive whose chosen arrays would inflate past ``limit`` bytes."""
    shape, dtype = heads[vname]
    declared = _nbytes(shape, dtype) + (4 * _nbytes(shape, np.dtype("u1")) if dtype != np.float32 else 0)
    if kname is not None:
        kshape, kdtype = heads[kname]
        declared += _nbytes(kshape, kdtype) + PY_STR_BYTES * kshape[0]
    else:
        declared += PY_STR_BYTES * (shape[0] if shape else 0)  # row-number keys
    what = f"array '{vname}' {shape} {dtype}" + (f" with keys '{kname}'" if kname else "")
    check_inflated(path, declared, limit, what)
    if len(shape) == 2:
        check_dim(path, shape[1], f"array '{vname}' has")


def read_npz(path: str | Path, limit: int | None = None) -> Parsed:
    """Vectors (and keys, when stored) from an ``.npz`` archive.

    Only the ``.npy`` headers are read to choose the arrays and to check what they declare against
    ``limit`` bytes (default: :func:`~embedlab.formats.limits.inflate_limit`); then only the chosen arrays.
    """
    name = str(path)
    limit = inflate_limit(Path(path).stat().st_size) if limit is None else limit
    with zipfile.ZipFile(path) as zf:
        heads = {i.filename[:-4]: _header(zf, i, name) for i in zf.infolist()
                 if i.filename.endswith(".npy") and not i.is_dir()}
    if not heads:
        raise FormatError(name, "is empty: the archive holds no arrays.")
    vname, kname = _choose(heads, name)
    _check_size(heads, vname, kname, name, limit)
    with _load(path) as z:
        try:
            vecs = _matrix(z[vname], name, f"array '{vname}'")
            raw = None if kname is None else z[kname]
        except ValueError as exc:
            raise _pickle_error(exc, path) from None
    if raw is None:
        return Parsed([str(i) for i in range(len(vecs))], vecs, info={"keys_from": "row numbers"})
    keys = [k.decode("utf-8", "replace") if isinstance(k, bytes) else str(k) for k in raw.tolist()]
    return Parsed(keys, vecs, info={"keys_from": f"array '{kname}'"})

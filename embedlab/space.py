"""The one core type: a read-only embedding space.

An :class:`EmbeddingSpace` holds string keys, a float32 matrix (one row per key, read-only), an optional
metadata table (one row per key) and a name. Every operation that changes anything returns a new space.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from embedlab.errors import (
    DimensionError,
    EmbedlabError,
    EmptyInputError,
    InvalidParameterError,
    UnknownKeyError,
)
from embedlab.linalg import normalize_rows
from embedlab.neighbours import most_similar as _most_similar

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


def _readonly(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


def _aliases_writable(a: np.ndarray) -> bool:
    """True when ``a`` is a view of an array someone can still write to (read-only views of writable data)."""
    base = a.base
    while isinstance(base, np.ndarray):
        if base.flags.writeable:
            return True
        base = base.base
    return False


class EmbeddingSpace:
    """A read-only set of named vectors.

    Parameters
    ----------
    keys : sequence of str
        One unique key per row (a word, a sentence, an image file name, ...).
    vectors : array-like, shape (n, d)
        Converted to a C-contiguous, read-only float32 array.
    meta : pandas.DataFrame, optional
        One row per key, in key order (e.g. ``rank``, ``label``, ``sense``).
    name : str
        How users refer to the space (``glove-50d``).
    info : dict, optional
        Free-form provenance (source, licence, training parameters, ``language``). Copied, not shared.

    Examples
    --------
    >>> s = EmbeddingSpace(["a", "b"], [[1, 0], [0, 1]], name="toy")
    >>> s.most_similar("a", topn=1)
    [('b', 0.0)]
    """

    def __init__(
        self,
        keys: Sequence[str],
        vectors: Any,
        meta: pd.DataFrame | None = None,
        name: str = "space",
        info: dict | None = None,
    ) -> None:
        vecs = np.asarray(vectors, dtype=np.float32)
        if vecs.ndim == 1 and len(vecs) == 0:
            vecs = vecs.reshape(0, 0)
        if vecs.ndim != 2:
            raise DimensionError(f"Vectors for {name} must be a 2-D array (n, d); got shape {vecs.shape}.")
        keys = [str(k) for k in keys]
        if len(keys) != vecs.shape[0]:
            raise DimensionError(
                f"{name}: {len(keys):,} keys but {vecs.shape[0]:,} vector rows; they must match one to one."
            )
        # asarray already copied a list or a converted array: nobody else holds that buffer
        fresh = (vecs is not vectors and isinstance(vectors, (list, tuple, np.ndarray))
                 and vecs.flags.owndata and vecs.flags.c_contiguous)
        if not fresh and (vecs.flags.writeable or not vecs.flags.c_contiguous or _aliases_writable(vecs)):
            # never share a writable buffer with the caller: copy unless read-only all the way down
            vecs = np.array(vecs, dtype=np.float32, order="C", copy=True)
        self._keys: tuple[str, ...] = tuple(keys)
        self._vectors = _readonly(vecs)
        if meta is not None:
            if len(meta) != len(keys):
                raise DimensionError(
                    f"{name}: metadata has {len(meta):,} rows but the space has {len(keys):,} keys."
                )
            meta = meta.reset_index(drop=True).copy()
        self._meta = meta
        self.name = str(name)
        self.info: dict = dict(info or {})

    # ------------------------------------------------------------------ basics
    @property
    def keys(self) -> tuple[str, ...]:
        """The keys, in row order."""
        return self._keys

    @property
    def vectors(self) -> np.ndarray:
        """The (n, d) float32 matrix; read-only."""
        return self._vectors

    @property
    def meta(self) -> pd.DataFrame | None:
        """The metadata table (a copy, so callers cannot change the space), or ``None``."""
        return None if self._meta is None else self._meta.copy()

    @property
    def meta_columns(self) -> list[str]:
        """Names of the metadata columns (empty when there is no table)."""
        return [] if self._meta is None else [str(c) for c in self._meta.columns]

    def meta_column(self, column: str) -> np.ndarray:
        """One metadata column as a numpy array, without copying the whole table."""
        if self._meta is None or column not in self._meta.columns:
            raise EmbedlabError(
                f"{self.name} has no metadata column '{column}'. Available: {self.meta_columns or 'none'}."
            )
        return self._meta[column].to_numpy()

    @property
    def dim(self) -> int:
        """Vector dimension."""
        return int(self._vectors.shape[1])

    @property
    def language(self) -> str:
        """The keys' language: ``info['language']`` (``"en"``, ``"fr"``, ...), else ``"unknown"``."""
        return str(self.info.get("language") or "unknown")

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __iter__(self):
        return iter(self._keys)

    def __repr__(self) -> str:
        cols = f", meta={self.meta_columns}" if self._meta is not None else ""
        return f"EmbeddingSpace(name={self.name!r}, n={len(self):,}, dim={self.dim}{cols})"

    @cached_property
    def _index(self) -> dict[str, int]:
        idx: dict[str, int] = {}
        for i, k in enumerate(self._keys):
            idx.setdefault(k, i)
        return idx

    @cached_property
    def _folded(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for k in self._keys:
            out.setdefault(k.casefold(), []).append(k)
        return out

    @cached_property
    def normed(self) -> np.ndarray:
        """Unit-normalised copy of :attr:`vectors` (zero rows stay zero); computed once, read-only."""
        return _readonly(np.ascontiguousarray(normalize_rows(self._vectors)))

    @cached_property
    def norms(self) -> np.ndarray:
        """Euclidean norm of each row; read-only."""
        return _readonly(np.linalg.norm(self._vectors, axis=1).astype(np.float32))

    @cached_property
    def fingerprint(self) -> str:
        """A content hash (keys + vectors) for disk caches; computed once (~0.1 s per 100 MB)."""
        h = hashlib.blake2b(digest_size=12)
        h.update(f"{len(self)}x{self.dim}".encode())
        h.update("\x1f".join(self._keys).encode("utf-8", "surrogatepass"))
        h.update(memoryview(np.ascontiguousarray(self._vectors)).cast("B"))
        return h.hexdigest()

    # ----------------------------------------------------------------- lookup
    def index(self, key: str) -> int:
        """Row of ``key``; raises :class:`UnknownKeyError` with spelling suggestions."""
        try:
            return self._index[key]
        except KeyError:
            raise UnknownKeyError(key, self.name, len(self), self.suggest(key)) from None

    def indices(self, keys: Iterable[str]) -> np.ndarray:
        """Rows of several keys (all must exist)."""
        return np.array([self.index(k) for k in keys], dtype=np.int64)

    def vector(self, key: str, normed: bool = False) -> np.ndarray:
        """The (read-only) vector of one key."""
        i = self.index(key)
        return (self.normed if normed else self._vectors)[i]

    def __getitem__(self, key: str) -> np.ndarray:
        return self.vector(key)

    def resolve(self, key: str) -> str:
        """Return ``key`` if present, else its unique case-folded match, else raise with suggestions."""
        found = self.find(key)
        if found is not None:
            return found
        raise UnknownKeyError(key, self.name, len(self), self.suggest(key))

    def find(self, key: str) -> str | None:
        """:meth:`resolve` without the error: ``None`` for a missing key (cheap: no suggestions are sought,
        which costs ~0.2 s a word on a 400k vocabulary)."""
        if key in self._index:
            return key
        matches = self._folded.get(key.casefold(), [])
        return matches[0] if matches else None

    def suggest(self, key: str, n: int = 5) -> list[str]:
        """Close vocabulary entries for a missing key: case-folded matches first, then edit distance."""
        out: list[str] = [k for k in self._folded.get(key.casefold(), []) if k != key]
        if len(out) < n:
            pool = self._keys if len(self._keys) <= 50_000 else self._keys[:50_000]
            near = difflib.get_close_matches(key.casefold(), [p.casefold() for p in pool], n=n, cutoff=0.75)
            folded_to_key = {}
            for p in pool:
                folded_to_key.setdefault(p.casefold(), p)
            for f in near:
                k = folded_to_key[f]
                if k not in out and k != key:
                    out.append(k)
        return out[:n]

    # -------------------------------------------------------------- new spaces
    def subset(self, keys_or_rows: Iterable[str] | Iterable[int] | np.ndarray, name: str | None = None
               ) -> EmbeddingSpace:
        """A new space with the given keys (or integer rows), in the given order."""
        sel = list(keys_or_rows) if not isinstance(keys_or_rows, np.ndarray) else keys_or_rows
        if isinstance(sel, np.ndarray) and sel.dtype == bool:
            rows = np.flatnonzero(sel)
        elif len(sel) and isinstance(sel[0], str):
            rows = self.indices(sel)
        else:
            rows = np.asarray(sel, dtype=np.int64)
        if len(rows) and (rows.max() >= len(self) or rows.min() < -len(self)):
            bad = int(rows.max() if rows.max() >= len(self) else rows.min())
            raise InvalidParameterError(
                f"Row {bad} is out of range for {self.name} ({len(self):,} rows); "
                f"use rows 0 to {len(self) - 1:,}."
            )
        if len(rows) == 0:
            raise EmptyInputError(f"Subset of {self.name} would be empty; select at least one key.")
        meta = None if self._meta is None else self._meta.iloc[rows]
        return EmbeddingSpace(
            [self._keys[i] for i in rows],
            self._vectors[rows],
            meta,
            name or f"{self.name}[{len(rows):,}]",
            self.info,
        )

    def head(self, n: int, name: str | None = None) -> EmbeddingSpace:
        """The first ``n`` rows (for frequency-ordered files: the ``n`` most frequent words)."""
        n = max(1, min(int(n), len(self)))
        return self.subset(np.arange(n), name or f"{self.name}[:{n:,}]")

    def with_vectors(self, vectors: Any, name: str | None = None, info: dict | None = None) -> EmbeddingSpace:
        """Same keys and metadata, new vectors (e.g. after debiasing)."""
        merged = {**self.info, **(info or {})}
        return EmbeddingSpace(self._keys, vectors, self._meta, name or self.name, merged)

    def with_meta(self, **columns: Any) -> EmbeddingSpace:
        """Same vectors, metadata with extra or replaced columns."""
        import pandas as pd

        meta = pd.DataFrame(index=range(len(self))) if self._meta is None else self._meta.copy()
        for col, values in columns.items():
            meta[col] = list(values) if not np.isscalar(values) else values
        return EmbeddingSpace(self._keys, self._vectors, meta, self.name, self.info)

    def renamed(self, name: str) -> EmbeddingSpace:
        """Same data under another name; the views computed so far (key index, unit vectors, norms,
        fingerprint) are shared with it, not computed and held twice."""
        out = EmbeddingSpace(self._keys, self._vectors, self._meta, name, self.info)
        for view in ("_index", "_folded", "normed", "norms", "fingerprint"):
            if view in vars(self):
                vars(out)[view] = vars(self)[view]
        return out

    def to_frame(self) -> pd.DataFrame:
        """Keys and metadata as one table (no vectors)."""
        import pandas as pd

        df = pd.DataFrame({"key": list(self._keys)})
        if self._meta is not None:
            df = pd.concat([df, self._meta.reset_index(drop=True)], axis=1)
        return df

    # ------------------------------------------------------------ conveniences
    def most_similar(self, positive=(), negative=(), topn: int = 10, **kw):
        """See :func:`embedlab.neighbours.most_similar`."""
        return _most_similar(self, positive, negative, topn=topn, **kw)

    def similarity(self, a: str, b: str) -> float:
        """Cosine similarity of two keys."""
        return float(self.vector(a, normed=True) @ self.vector(b, normed=True))

    @classmethod
    def from_dict(cls, mapping: dict[str, Any], name: str = "space", **kw) -> EmbeddingSpace:
        """Build a space from ``{key: vector}``."""
        if not mapping:
            raise EmptyInputError(f"Cannot build {name} from an empty mapping.")
        return cls(list(mapping), np.vstack([np.asarray(v, dtype=np.float32) for v in mapping.values()]),
                   name=name, **kw)

"""A linear map from one space into another, learned from a seed dictionary of pairs.

Mikolov et al. (2013, "Exploiting similarities among languages for machine translation") learn ``W``
minimising ``Σ ‖x_i W − y_i‖²`` over known pairs (least squares) and translate a word by the nearest
neighbours of ``x W`` in the target space. Smith et al. (2017, "Offline bilingual word vectors,
orthogonal transformations and the inverted softmax") constrain ``W`` to be orthogonal on unit vectors
(the Procrustes solution), which keeps the source space's geometry and generalises better from few pairs.
Precision@k on held-out pairs: the share of test words whose gold translation is among the ``k`` nearest
target keys of the mapped vector.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from embedlab.compare.align import procrustes
from embedlab.errors import DimensionError, EmptyInputError, InvalidParameterError
from embedlab.linalg import normalize_rows
from embedlab.space import EmbeddingSpace

Pair = tuple[str, str]


def usable_pairs(pairs: Iterable[Pair], source: EmbeddingSpace, target: EmbeddingSpace) -> list[Pair]:
    """The pairs whose source key is in ``source`` and target key in ``target`` (order kept, duplicates
    dropped)."""
    return list(dict.fromkeys((str(x), str(y)) for x, y in pairs if x in source and y in target))


def unusable_examples(pairs: Iterable[Pair], source: EmbeddingSpace, target: EmbeddingSpace, n: int = 3
                      ) -> str:
    """A few pairs that cannot be used, each with the word that is missing where (for messages)."""
    out = []
    for x, y in pairs:
        missing = ([f"'{x}' is not in {source.name}"] if x not in source else []) + (
            [f"'{y}' is not in {target.name}"] if y not in target else [])
        if missing:
            out.append(f"'{x}' → '{y}' ({', '.join(missing)})")
        if len(out) == n:
            break
    return "; ".join(out)


def seed_pairs(pairs: Iterable[Pair], source: EmbeddingSpace, target: EmbeddingSpace,
               limit: int | None = None) -> list[Pair]:
    """The first ``limit`` :func:`usable_pairs` of a seed dictionary.

    Raises
    ------
    EmptyInputError
        None of the pairs is in both spaces (the message names a few and what is missing), or there are no
        pairs at all.
    """
    pairs = list(pairs)
    ok = usable_pairs(pairs, source, target)
    if not pairs:
        raise EmptyInputError(f"There are no seed pairs: {source.name} and {target.name} share no keys and "
                              "no dictionary was given. Give a seed dictionary of 'source<TAB>target' lines.")
    if not ok:
        raise EmptyInputError(
            f"None of the {len(pairs):,} seed pairs has its source word in {source.name} and its target word "
            f"in {target.name}, e.g. {unusable_examples(pairs, source, target)}. Check the dictionary's "
            "direction (source<TAB>target, from A to B) and spelling (keys are case-sensitive).")
    return ok[:limit] if limit else ok


def split_pairs(pairs: Sequence[Pair], test_size: float | int = 0.2, random_state: int = 0
                ) -> tuple[list[Pair], list[Pair]]:
    """Split pairs into train and held-out test sets by *source word* (no source word in both).

    A fractional ``test_size`` holds out that share of the source words, at least one and at most all but
    one; a whole number holds out exactly that many.
    """
    sources = list(dict.fromkeys(x for x, _ in pairs))
    if len(sources) < 2:
        raise InvalidParameterError(f"The seed pairs have {len(sources)} distinct source word(s); fitting a "
                                    "map and measuring it on held-out words needs at least 2. Add pairs.")
    if isinstance(test_size, float):
        n_test = min(max(int(round(test_size * len(sources))), 1), len(sources) - 1)
    else:
        n_test = int(test_size)
    if not 1 <= n_test < len(sources):
        raise InvalidParameterError(f"The held-out set must have between 1 and {len(sources) - 1} source "
                                    f"words ({len(sources)} distinct); got {n_test}.")
    rng = np.random.default_rng(random_state)
    test_src = set(np.asarray(sources, dtype=object)[rng.permutation(len(sources))[:n_test]].tolist())
    return [p for p in pairs if p[0] not in test_src], [p for p in pairs if p[0] in test_src]


def identity_pairs(source: EmbeddingSpace, target: EmbeddingSpace, limit: int | None = 5000) -> list[Pair]:
    """``(w, w)`` for keys in both spaces, in ``source``'s order (a seed dictionary between two spaces of
    one language)."""
    out = [(w, w) for w in source.keys if w in target]
    return out[:limit] if limit else out


class LinearMap:
    """Map vectors of a source space into a target space (scikit-learn style).

    Parameters
    ----------
    orthogonal : bool
        ``True``: Procrustes on unit vectors (Smith et al. 2017); between spaces of different dimensions
        the map is semi-orthogonal (see :mod:`embedlab.compare.align`).
        ``False``: least squares (Mikolov et al. 2013).

    Attributes
    ----------
    W_ : ndarray, shape (d_source, d_target)
    n_pairs_ : int
        Pairs the map was fitted on.
    """

    def __init__(self, orthogonal: bool = True) -> None:
        self.orthogonal = orthogonal

    def fit(self, source: EmbeddingSpace, target: EmbeddingSpace, pairs: Iterable[Pair]) -> LinearMap:
        """Learn ``W_`` from ``(source key, target key)`` pairs; pairs with unknown keys are skipped.

        Raises
        ------
        EmptyInputError
            Fewer usable pairs than needed.
        """
        pairs = list(pairs)
        ok = usable_pairs(pairs, source, target)
        need = 2 if self.orthogonal else min(source.dim, 10)
        if len(ok) < need:
            missing = unusable_examples(pairs, source, target)
            raise EmptyInputError(
                f"Only {len(ok)} of {len(pairs)} seed pairs can be used to fit the map (source word in "
                f"{source.name}, target in {target.name}); at least {need} are needed. "
                + (f"Not in the spaces: {missing}. Check the dictionary's direction and spelling (keys are "
                   "case-sensitive)." if missing else "Add pairs (held-out words are not used to fit).")
            )
        x = source.normed[source.indices(p[0] for p in ok)]
        y = target.normed[target.indices(p[1] for p in ok)]
        if self.orthogonal:
            self.W_ = procrustes(x, y)
        else:
            w = np.linalg.lstsq(x.astype(np.float64), y.astype(np.float64), rcond=None)[0]
            self.W_ = w.astype(np.float32)
        self.n_pairs_ = len(ok)
        self.source_name_, self.target_name_ = source.name, target.name
        return self

    def _check(self) -> None:
        if not hasattr(self, "W_"):
            raise InvalidParameterError("This LinearMap is not fitted yet; call fit(source, target, pairs) "
                                        "first.")

    def transform_vectors(self, vectors: np.ndarray) -> np.ndarray:
        """Map unit-normalised rows of ``vectors`` (n, d_source) → (n, d_target)."""
        self._check()
        v = np.asarray(vectors, dtype=np.float32)
        if v.ndim != 2 or v.shape[1] != self.W_.shape[0]:
            raise DimensionError(f"The map takes {self.W_.shape[0]}-dimensional vectors; got shape "
                                 f"{v.shape}.")
        return normalize_rows(v) @ self.W_

    def transform(self, source: EmbeddingSpace, name: str | None = None) -> EmbeddingSpace:
        """The whole source space mapped into the target's coordinates (a new space, metadata kept)."""
        self._check()
        if source.dim != self.W_.shape[0]:
            raise DimensionError(f"The map was fitted on {self.W_.shape[0]}-dimensional vectors; "
                                 f"{source.name} has {source.dim}. Map a space of the dimension it was "
                                 "fitted on.")
        out = source.normed @ self.W_
        info = {**source.info, "mapped_to": self.target_name_,
                "mapping": {"orthogonal": self.orthogonal, "pairs": self.n_pairs_}}
        name = name or f"{source.name} mapped to {self.target_name_}"
        return EmbeddingSpace(source.keys, out, source.meta, name, info)

    def translate(self, source: EmbeddingSpace, target: EmbeddingSpace, word: str, topn: int = 5
                  ) -> list[tuple[str, float]]:
        """The ``topn`` target keys nearest to ``word``'s mapped vector, with cosine similarities."""
        self._check()
        w = source.resolve(word)
        q = normalize_rows(self.transform_vectors(source.vector(w)[None, :]))[0]
        sims = target.normed @ q
        top = np.argpartition(-sims, min(topn, len(sims) - 1))[:topn]
        top = top[np.argsort(-sims[top])]
        return [(target.keys[i], float(sims[i])) for i in top]

    def precision(self, source: EmbeddingSpace, target: EmbeddingSpace, pairs: Iterable[Pair],
                  ks: Sequence[int] = (1, 5), batch: int = 512) -> dict:
        """Precision@k on ``pairs``: share of source words with a gold target among the ``k`` nearest.

        Returns ``{"p@1": float, "p@5": float, "n": int, "skipped": int}``.
        """
        self._check()
        pairs = list(pairs)
        ok = usable_pairs(pairs, source, target)
        gold: dict[str, set[str]] = {}
        for x, y in ok:
            gold.setdefault(x, set()).add(y)
        if not gold:
            raise EmptyInputError(f"None of the {len(pairs)} test pairs is in both {source.name} and "
                                  f"{target.name}; nothing to evaluate.")
        words, kmax = list(gold), max(ks)
        hits = {k: 0 for k in ks}
        for s in range(0, len(words), batch):
            chunk = words[s:s + batch]
            q = normalize_rows(self.transform_vectors(source.vectors[source.indices(chunk)]))
            sims = q @ target.normed.T
            top = np.argpartition(-sims, kmax, axis=1)[:, :kmax]
            order = np.take_along_axis(top, np.argsort(-np.take_along_axis(sims, top, 1), axis=1), 1)
            for w, row in zip(chunk, order, strict=False):
                ranked = [target.keys[i] for i in row]
                for k in ks:
                    hits[k] += bool(gold[w] & set(ranked[:k]))
        out = {f"p@{k}": hits[k] / len(words) for k in ks}
        return {**out, "n": len(words), "skipped": len(pairs) - len(ok)}


"""Exact cosine neighbours, analogies (3CosAdd, 3CosMul) and odd-one-out, shaped like gensim's API.

All functions take an :class:`~embedlab.space.EmbeddingSpace` and return ``[(key, score), ...]`` lists.
Queries may be keys or raw vectors; keys are resolved case-insensitively when the exact key is missing,
and unknown keys raise :class:`~embedlab.errors.UnknownKeyError` with suggestions (never a zero vector).

:func:`query` is the Neighbours use case of page and CLI alike: a word or an expression
(``"king - man + woman"``) in, a :class:`QueryResult` out, each word resolved once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Union

import numpy as np

from embedlab.errors import DimensionError, EmptyInputError, InvalidParameterError
from embedlab.linalg import normalize_rows, top_k_rows

if TYPE_CHECKING:  # annotations only: space.py sits above this module (EmbeddingSpace.most_similar calls it)
    import pandas as pd

    from embedlab.ann.base import NeighbourIndex
    from embedlab.space import EmbeddingSpace

Query = Union[str, np.ndarray]

#: How ``b - a + c`` is scored: method key -> label (pages show the labels, the CLI and the URL the keys).
ANALOGY_METHODS = {"3cosadd": "3CosAdd (b - a + c)", "3cosmul": "3CosMul (Levy & Goldberg)"}


def _as_list(x: Query | Iterable[Query] | None) -> list[Query]:
    if x is None:
        return []
    if isinstance(x, (str, np.ndarray)):
        return [x]
    return list(x)


def _query_vectors(space: EmbeddingSpace, items: Sequence[Query]) -> tuple[np.ndarray, list[int]]:
    """Unit vectors of the items, plus the rows of those that were keys (to exclude from results)."""
    vecs, rows = [], []
    for it in items:
        if isinstance(it, str):
            i = space.index(space.resolve(it))
            rows.append(i)
            vecs.append(space.normed[i])
        else:
            v = np.asarray(it, dtype=np.float32).ravel()
            if v.shape[0] != space.dim:
                raise DimensionError(
                    f"Query vector has {v.shape[0]} dimensions; {space.name} has {space.dim}. "
                    "Use a vector from the same space."
                )
            vecs.append(normalize_rows(v))
    return np.asarray(vecs, dtype=np.float32).reshape(len(vecs), space.dim), rows


def top_k(scores: np.ndarray, k: int, exclude: Iterable[int] = ()) -> np.ndarray:
    """Indices of the ``k`` largest scores, best first, skipping ``exclude`` (O(n) partition, not a sort).

    Ties go to the lower index (:func:`embedlab.linalg.top_k_rows`); ``k`` of 0 or less gives none.
    """
    excl = np.fromiter(set(exclude), dtype=np.int64)
    k_eff = min(k + len(excl), scores.shape[0])
    if k <= 0 or k_eff <= 0:
        return np.empty(0, dtype=np.int64)
    part = top_k_rows(scores, k_eff)
    if len(excl):
        part = part[~np.isin(part, excl)]
    return part[:k]


def _check_topn(topn: int) -> int:
    if int(topn) < 1:
        raise InvalidParameterError(f"topn must be at least 1; got {topn}.")
    return int(topn)


def most_similar(
    space: EmbeddingSpace,
    positive: Query | Iterable[Query] = (),
    negative: Query | Iterable[Query] = (),
    topn: int = 10,
    method: str = "3cosadd",
    restrict: int | None = None,
    index: NeighbourIndex | None = None,
) -> list[tuple[str, float]]:
    """Nearest keys by cosine similarity to ``sum(positive) - sum(negative)`` (unit vectors).

    Parameters
    ----------
    space : EmbeddingSpace
    positive, negative : key, vector, or a list of them
        As in gensim: ``most_similar(positive=["king", "woman"], negative=["man"])`` is 3CosAdd.
    topn : int
        Number of results; the input keys are always excluded.
    method : {"3cosadd", "3cosmul"}
        3CosMul (Levy & Goldberg 2014) is ``prod(pos_sim) / (prod(neg_sim) + eps)`` on similarities
        shifted to [0, 1].
    restrict : int, optional
        Only search the first ``restrict`` rows (the most frequent words in frequency-ordered files).
    index : NeighbourIndex, optional
        Search through this index of ``space`` (gensim's ``indexer``; see :mod:`embedlab.ann`): the
        candidates are the index's nearest rows to the 3CosAdd query vector (more of them for 3CosMul),
        scored exactly from the space's vectors. Without it (or with ``restrict`` below the space's size,
        a cheap exact search) every row is scored.

    Returns
    -------
    list of (key, score), best first.
    """
    topn = _check_topn(topn)
    pos, neg = _as_list(positive), _as_list(negative)
    if not pos and not neg:
        raise EmptyInputError("Give at least one word (or vector) to search from.")
    _check_method(method)
    pvec, prow = _query_vectors(space, pos)
    nvec, nrow = _query_vectors(space, neg)
    names = [w if isinstance(w, str) else "<vector>" for w in pos]
    names += [f"- {w if isinstance(w, str) else '<vector>'}" for w in neg]
    return _ranked(space, pvec, nvec, prow + nrow, names, topn, method, restrict, index)


def _check_method(method: str) -> None:
    if method not in ANALOGY_METHODS:
        raise InvalidParameterError(
            f"Unknown analogy method '{method}'; choose one of {', '.join(ANALOGY_METHODS)}.")


def _ranked(space: EmbeddingSpace, pvec: np.ndarray, nvec: np.ndarray, exclude: list[int], names: list[str],
            topn: int, method: str, restrict: int | None, index: NeighbourIndex | None = None
            ) -> list[tuple[str, float]]:
    """The ``topn`` best keys for resolved unit query vectors (rows in ``exclude`` left out)."""
    q = pvec.sum(axis=0) - nvec.sum(axis=0)
    if method == "3cosadd" and not np.any(q):
        what = (f"'{names[0]}' has a zero vector in {space.name}, so" if len(names) == 1
                else f"'{' '.join(names)}' cancels out to a zero vector, so")
        raise InvalidParameterError(f"{what} every key would tie; change the words.")
    cand = None  # rows the index offers (None: score every row, or the first ``restrict``)
    if index is not None and (restrict is None or int(restrict) >= len(space)) and np.any(q):
        cand = _candidates(index, q, topn + len(set(exclude)), method)
    if cand is not None:
        matrix = np.asarray(space.normed[cand], dtype=np.float32)
        skip = np.flatnonzero(np.isin(cand, exclude))
    else:
        matrix = space.normed if restrict is None else space.normed[: max(1, int(restrict))]
        skip = exclude
    if method == "3cosadd":
        scores = matrix @ normalize_rows(q)
    else:
        eps = 1e-3
        ps = (matrix @ pvec.T + 1.0) / 2.0
        ns = (matrix @ nvec.T + 1.0) / 2.0 if len(nvec) else np.ones((matrix.shape[0], 1), np.float32)
        scores = ps.prod(axis=1) / (ns.prod(axis=1) + eps)
    best = top_k(scores, topn, skip)
    rows = best if cand is None else cand[best]
    return [(space.keys[r], float(scores[i])) for i, r in zip(best, rows, strict=True)]


CANDIDATES_3COSMUL = 4  # 3CosMul ranks differently from 3CosAdd: ask the index for this many times more


def _candidates(index: NeighbourIndex, q: np.ndarray, wanted: int, method: str) -> np.ndarray:
    """Rows the index finds nearest to ``q``, in its order, without repeats or FAISS's -1 padding."""
    fetch = wanted * (1 if method == "3cosadd" else CANDIDATES_3COSMUL)
    rows, _ = index.search(normalize_rows(q), fetch)
    rows = np.asarray(rows, dtype=np.int64).ravel()
    rows = rows[rows >= 0]
    return rows[np.sort(np.unique(rows, return_index=True)[1])]


def analogy(space: EmbeddingSpace, a: str, b: str, c: str, topn: int = 5, method: str = "3cosadd"
            ) -> list[tuple[str, float]]:
    """``a`` is to ``b`` as ``c`` is to ?  (``man king woman`` -> ``queen``)."""
    return most_similar(space, positive=[b, c], negative=[a], topn=topn, method=method)


def doesnt_match(space: EmbeddingSpace, words: Sequence[str]) -> str:
    """The word furthest from the mean of the others' unit vectors (gensim's ``doesnt_match``)."""
    words = list(words)
    if len(words) < 2:
        raise EmptyInputError(f"Odd one out needs at least two words to compare; got {len(words)}. "
                              "Type two or more words separated by spaces.")
    resolved = [space.resolve(w) for w in words]
    vecs = space.normed[space.indices(resolved)]
    mean = normalize_rows(vecs.mean(axis=0))
    return resolved[int(np.argmin(vecs @ mean))]


def parse_expression(text: str) -> tuple[list[str], list[str]]:
    """Parse ``"king - man + woman"`` into ``(["king", "woman"], ["man"])``.

    Words are separated by ``+`` / ``-`` (a leading word counts as positive). Whitespace alone also
    separates positive words, so ``"king queen"`` searches from both. A ``-`` inside a word is part of it
    (``"well-known"``), so write ``"king - man"`` or ``"king -man"``, not ``"king-man"``.
    """
    pos: list[str] = []
    neg: list[str] = []
    sign = 1
    for tok in text.replace("\u2212", "-").replace("+", " + ").split():  # U+2212: a pasted minus sign
        if tok in "+-":
            sign = 1 if tok == "+" else -1
            continue
        if tok.startswith("-"):
            sign, tok = -1, tok[1:]
        (pos if sign > 0 else neg).append(tok)
        sign = 1
    if not pos and not neg:
        raise EmptyInputError(f"'{text}' contains no words. Type e.g. 'king' or 'king - man + woman'.")
    return pos, neg


@dataclass
class QueryResult:
    """What a query asked (resolved keys) and what came back, best first."""

    text: str
    positive: list[str]
    negative: list[str]
    results: list[tuple[str, float]] = field(default_factory=list)
    method: str = "3cosadd"

    @property
    def analogy(self) -> tuple[str, str, str, str] | None:
        """``(a, b, c, d)`` for ``b - a + c`` (``king - man + woman``: man, king, woman, queen), else None."""
        if len(self.positive) == 2 and len(self.negative) == 1 and self.results:
            b, c = self.positive
            return self.negative[0], b, c, self.results[0][0]
        return None

    @property
    def expression(self) -> str:
        """The resolved query as one line: ``king``, or ``king + woman - man``."""
        return " ".join([" + ".join(self.positive)] + [f"- {w}" for w in self.negative]).strip()

    def table(self) -> pd.DataFrame:
        """Ranked results as a table: rank, word, score."""
        import pandas as pd  # lazily: importing the library (and the CLI) stays light

        return pd.DataFrame({
            "rank": np.arange(1, len(self.results) + 1),
            "word": [k for k, _ in self.results],
            "score": np.array([s for _, s in self.results], dtype=np.float32),
        })


def query(space: EmbeddingSpace, text: str, k: int = 10, method: str = "3cosadd",
          restrict: int | None = None, index: NeighbourIndex | None = None) -> QueryResult:
    """Parse ``text`` ("king" or "king - man + woman") and find its ``k`` nearest keys.

    Each word is resolved once (case-insensitively; unknown words raise ``UnknownKeyError`` with
    suggestions) to its row, and the rows are searched from directly.

    Parameters
    ----------
    space : EmbeddingSpace
    text : str
        A word or an expression of words joined by ``+`` and ``-`` (see :func:`parse_expression`).
    k : int
        Number of results; the query's own words are excluded.
    method : {"3cosadd", "3cosmul"}
        How an expression is scored (see :func:`most_similar`).
    restrict : int, optional
        Only search the first ``restrict`` rows.
    index : NeighbourIndex, optional
        Search through this index of ``space`` (see :func:`most_similar`).
    """
    k = _check_topn(k)
    _check_method(method)
    pos, neg = parse_expression(text)
    pos = [space.resolve(w) for w in pos]
    neg = [space.resolve(w) for w in neg]
    prow, nrow = [space.index(w) for w in pos], [space.index(w) for w in neg]
    pvec, nvec = space.normed[prow], space.normed[nrow]
    results = _ranked(space, pvec, nvec, prow + nrow, pos + [f"- {w}" for w in neg], k, method, restrict,
                      index)
    return QueryResult(text, pos, neg, results, method)

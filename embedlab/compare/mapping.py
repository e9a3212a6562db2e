"""A linear map from one space into another, learned from a seed dictionary of pairs.

Mikolov et al. (2013, "Exploiting similarities among languages for machine translation") learn ``W``
minimising ``Σ ‖x_i W − y_i‖²`` over known pairs (least squares) and translate a word by the nearest
neighbours of ``x W`` in the target space. Smith et al. (2017, "Offline bilingual word vectors,
orthogonal transformations and the inverted softmax") constrain ``W`` to be orthogonal on unit vectors
(the Procrustes solution), which keeps the source space's geometry and generalises better from few pairs.
Precision@k on held-out pairs: the share of test words whose gold translation is among the ``k`` nearest
target keys of the mapped vector.

:func:`read_pairs` reads a seed dictionary and :func:`fit_map` fits and scores a map: the Compare page's
"Map A → B" tab and ``embedlab map`` both call them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from embedlab.compare.align import procrustes
from embedlab.errors import DimensionError, EmptyInputError, FormatError, InvalidParameterError
from embedlab.linalg import normalize_rows, top_k_rows
from embedlab.space import EmbeddingSpace
from embedlab.uploads import MB, check_size, decode_text

Pair = tuple[str, str]
MAX_PAIRS_BYTES = 20 * MB  # a seed dictionary of a million pairs is ~20 MB; MUSE's are under 2 MB
PAIRS_EXPECTED = ("one pair a line: 'source<TAB>target' (or the two words separated by spaces); "
                  "lines starting with # are comments")


def read_pairs(source: bytes | str | os.PathLike, name: str | None = None,
               max_bytes: int = MAX_PAIRS_BYTES) -> list[Pair]:
    """The ``(source, target)`` pairs of a seed dictionary.

    Parameters
    ----------
    source : bytes, or str / path-like
        The dictionary's content (an upload), or the path of a text file.
    name : str, optional
        The name errors give the dictionary (default: the path, or "the seed dictionary").
    max_bytes : int
        Size limit, checked before anything is read.

    A line holds the source and the target word separated by a tab (words may then contain spaces) or,
    without a tab, by spaces; further columns are ignored. Blank lines and lines starting with ``#`` are
    skipped. Bytes become text by :func:`embedlab.uploads.decode_text` (UTF-8, else Windows-1252).

    Raises
    ------
    InvalidParameterError
        No file at the path.
    InputTooLargeError
        Past ``max_bytes``.
    FormatError
        A line with one word only (names the line), or a binary file.
    EmptyInputError
        No pair at all.
    """
    data, name = _pairs_bytes(source, name, max_bytes)
    text = decode_text(name, data).text
    pairs: list[Pair] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = [w.strip() for w in (line.split("\t") if "\t" in line else line.split())]
        if len(parts) < 2 or not parts[0] or not parts[1]:
            raise FormatError(name, f"{line.strip()[:80]!r} is not a pair of words.", number,
                              hint=f"Expected {PAIRS_EXPECTED}.")
        pairs.append((parts[0], parts[1]))
    if not pairs:
        raise EmptyInputError(f"{name} holds no word pairs; expected {PAIRS_EXPECTED}.")
    return pairs


def _pairs_bytes(source: bytes | str | os.PathLike, name: str | None, max_bytes: int) -> tuple[bytes, str]:
    if isinstance(source, (bytes, bytearray)):
        name = name or "the seed dictionary"
        check_size(name, len(source), max_bytes)
        return bytes(source), name
    path = Path(source).expanduser()
    name = name or str(source)
    if not path.is_file():
        raise InvalidParameterError(f"Seed dictionary '{source}' does not exist; give a text file of "
                                    "'source<TAB>target' lines.")
    check_size(name, path.stat().st_size, max_bytes)
    return path.read_bytes(), name


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
        return [(target.keys[i], float(sims[i])) for i in top_k_rows(sims, topn)]

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
            for w, row in zip(chunk, top_k_rows(sims, kmax), strict=False):
                ranked = [target.keys[i] for i in row]
                for k in ks:
                    hits[k] += bool(gold[w] & set(ranked[:k]))
        out = {f"p@{k}": hits[k] / len(words) for k in ks}
        return {**out, "n": len(words), "skipped": len(pairs) - len(ok)}


def fit_map(source: EmbeddingSpace, target: EmbeddingSpace, pairs: Iterable[Pair] | None = None, *,
            orthogonal: bool = True, max_pairs: int | None = 5000, test_size: float | int = 0.2,
            seed: int = 0) -> tuple[LinearMap, dict]:
    """Fit a map ``source`` → ``target`` on seed pairs and measure it on held-out ones.

    Parameters
    ----------
    source, target : EmbeddingSpace
    pairs : iterable of (str, str), optional
        The seed dictionary (see :func:`read_pairs`); default: the words both spaces share.
    orthogonal : bool
        Procrustes (``True``) or least squares (see :class:`LinearMap`).
    max_pairs : int, optional
        Use at most this many usable pairs (in dictionary order).
    test_size : float or int
        Share (or number) of source words held out (see :func:`split_pairs`).
    seed : int
        Seeds the held-out split.

    Returns
    -------
    (LinearMap, dict)
        The fitted map and its :meth:`LinearMap.precision` on the held-out pairs.
    """
    given = list(pairs) if pairs is not None else identity_pairs(source, target, None)
    ok = seed_pairs(given, source, target)  # none usable: the message names a few and what is missing
    if len(ok) < 2:
        raise EmptyInputError(
            f"Only {len(ok)} of {len(given)} seed pairs have their source word in {source.name} and their "
            f"target in {target.name}; at least 2 are needed. Check the dictionary's direction and spelling "
            "(keys are case-sensitive)."
        )
    if max_pairs is not None:
        ok = ok[: int(max_pairs)]
    train, held = split_pairs(ok, test_size, seed)
    lm = LinearMap(orthogonal=orthogonal).fit(source, target, train)
    return lm, lm.precision(source, target, held)

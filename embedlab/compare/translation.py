"""Word translation between two spaces: a map from a seed dictionary, CSLS retrieval, refinement, precision.

The recipe of Mikolov et al. (2013), Smith et al. (2017) and Conneau et al. (2018):

1. **Prepare** both spaces: unit rows, centred, unit again (Artetxe et al. 2018's normalisation). When the
   dimensions differ (glove-50d is 50-d, fasttext-fr-300d 300-d) the larger side is reduced by PCA to the
   smaller dimension first, and ``notes`` says so. Only the ``max_rank`` first rows (the most frequent
   words, for frequency-ordered spaces) take part.
2. **Map** with orthogonal Procrustes (:class:`~embedlab.compare.mapping.LinearMap`) on the seed pairs,
   matched to keys by :func:`~embedlab.compare.matching.match_pairs` (case, accents, ligatures, phrases).
3. **Retrieve** a translation as the nearest target word of the mapped vector, by cosine or by CSLS
   (:mod:`~embedlab.compare.csls`, ``k = 10``), which stops hub words from translating everything.
4. **Refine** (optional, ``refine`` rounds): the mutual nearest neighbours (by CSLS) among the
   ``refine_rank`` most frequent words of each side become extra pairs, and the map is fitted again on the
   seed pairs plus those.
5. **Measure** precision@k on held-out pairs: the share of held-out source words for which one of their
   dictionary translations is among the ``k`` best-ranked target words (precision@1: the first guess is a
   right translation; precision@5: one of the first five is). A word counts once however many
   translations it has.

With no dictionary, identical strings (numerals, names, loanwords) seed the map, and refinement does the
rest (Artetxe et al. 2017 start from numerals alone).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from embedlab.compare.csls import CSLS_K, knn_mean, mutual_nearest, nearest
from embedlab.compare.mapping import LinearMap, Pair
from embedlab.compare.matching import KeyFinder, PairMatch, match_pairs
from embedlab.errors import EmptyInputError, InvalidParameterError, UnknownKeyError
from embedlab.linalg import normalize_rows
from embedlab.neighbours import parse_expression
from embedlab.space import EmbeddingSpace

MAX_RANK = 50_000  # words of each space that take part (the most frequent, for frequency-ordered spaces)
REFINE_RANK = 15_000  # words of each space among which refinement looks for mutual nearest neighbours
PCA_SAMPLE = 50_000  # rows a PCA reduction is fitted on
Progress = Callable[[int, int, str], None]


def prepare(space: EmbeddingSpace, dim: int | None = None, max_rank: int = MAX_RANK
            ) -> tuple[EmbeddingSpace, str]:
    """The first ``max_rank`` rows of ``space``: unit, centred, (PCA to ``dim``), unit; and a note (or "")."""
    head = space.head(max_rank, name=space.name) if len(space) > max_rank else space
    v = normalize_rows(head.vectors)
    v -= v.mean(axis=0)
    note = ""
    if dim is not None and dim < v.shape[1]:
        _, _, vt = np.linalg.svd(v[:PCA_SAMPLE].astype(np.float64), full_matrices=False)
        v = (v @ vt[:dim].T.astype(np.float32))
        note = (f"{space.name} was reduced from {space.dim} to {dim} dimensions by PCA (on its normalised, "
                f"centred vectors) to match the other space; the map is fitted in {dim} dimensions.")
    if len(space) > max_rank:
        cut = f"Only the first {max_rank:,} of {space.name}'s {len(space):,} words take part."
        note = f"{note} {cut}" if note else cut
    return head.with_vectors(normalize_rows(v)), note


class WordTranslator:
    """Translate words from one space into another (see the module docstring for the recipe).

    Parameters
    ----------
    orthogonal : bool
        Procrustes (``True``, Smith et al. 2017) or least squares (Mikolov et al. 2013).
    csls_k : int
        Neighbourhood size of CSLS.
    max_rank, refine_rank : int
        Words of each space that take part, and among which refinement induces pairs.

    Attributes
    ----------
    source_, target_ : EmbeddingSpace
        The prepared spaces (unit, centred, same dimension).
    map_ : LinearMap
        The fitted map, ``source_`` → ``target_``.
    match_ : PairMatch
        How the seed dictionary matched keys.
    history_ : list of dict
        Pairs the map was fitted on, per round (round 0: the seed).
    notes_ : list of str
        What the user should know (a PCA reduction, a vocabulary cut).
    """

    def __init__(self, orthogonal: bool = True, csls_k: int = CSLS_K, max_rank: int = MAX_RANK,
                 refine_rank: int = REFINE_RANK) -> None:
        if csls_k < 1 or max_rank < 2 or refine_rank < 2:
            raise InvalidParameterError(f"csls_k must be at least 1 and max_rank, refine_rank at least 2; "
                                        f"got {csls_k}, {max_rank}, {refine_rank}.")
        self.orthogonal, self.csls_k = orthogonal, int(csls_k)
        self.max_rank, self.refine_rank = int(max_rank), int(refine_rank)

    # ----------------------------------------------------------------- fitting
    def prepare(self, source: EmbeddingSpace, target: EmbeddingSpace) -> WordTranslator:
        """Prepare both spaces (step 1); :meth:`fit` calls it."""
        dim = min(source.dim, target.dim)
        self.source_, n1 = prepare(source, dim, self.max_rank)
        self.target_, n2 = prepare(target, dim, self.max_rank)
        self.notes_ = [n for n in (n1, n2) if n]
        self.finders_ = (KeyFinder(self.source_), KeyFinder(self.target_))
        self._r_target = None
        return self

    def match(self, pairs: Iterable[Pair]) -> PairMatch:
        """Dictionary pairs → key pairs of the prepared spaces (see :func:`match_pairs`)."""
        self._check("source_")
        return match_pairs(pairs, self.source_, self.target_, self.finders_)

    def fit(self, source: EmbeddingSpace, target: EmbeddingSpace, pairs: Iterable[Pair], refine: int = 0,
            progress: Progress | None = None) -> WordTranslator:
        """Prepare the spaces, match ``pairs`` to keys, fit the map, refine it ``refine`` times."""
        self.prepare(source, target)
        self.match_ = self.match(pairs)
        return self.fit_keys(self.match_.pairs, refine, progress)

    def fit_keys(self, pairs: list[Pair], refine: int = 0, progress: Progress | None = None
                 ) -> WordTranslator:
        """Fit on key pairs of the prepared spaces (already matched), then refine ``refine`` rounds."""
        self._check("source_")
        if int(refine) < 0:
            raise InvalidParameterError(f"refine is a number of rounds, 0 or more; got {refine}.")
        if len(pairs) < 2:
            raise EmptyInputError(
                f"Only {len(pairs)} seed pair{'' if len(pairs) == 1 else 's'} can fit the map (source word "
                f"in {self.source_.name}, target in {self.target_.name}, not held out); at least 2 are "
                "needed. "
                + (self.match_.message() if hasattr(self, "match_") else ""))
        self.map_ = LinearMap(self.orthogonal).fit(self.source_, self.target_, pairs)
        self.history_ = [{"round": 0, "pairs": len(pairs), "induced": 0}]
        for r in range(int(refine)):
            if progress:
                progress(r, int(refine), f"refinement round {r + 1} of {refine}")
            induced = self._induce()
            train = list(dict.fromkeys([*pairs, *induced]))
            self.map_ = LinearMap(self.orthogonal).fit(self.source_, self.target_, train)
            self.history_.append({"round": r + 1, "pairs": len(train), "induced": len(induced)})
        self._r_target = None
        return self

    def _induce(self) -> list[Pair]:
        """Mutual CSLS nearest neighbours among the ``refine_rank`` first words of each side."""
        n_s, n_t = min(self.refine_rank, len(self.source_)), min(self.refine_rank, len(self.target_))
        mapped = self.mapped(np.arange(n_s))
        ij = mutual_nearest(mapped, self.target_.vectors[:n_t], self.csls_k)
        return [(self.source_.keys[i], self.target_.keys[j]) for i, j in ij]

    def _check(self, attr: str = "map_") -> None:
        if not hasattr(self, attr):
            raise InvalidParameterError("This WordTranslator is not fitted yet; call fit(source, target, "
                                        "pairs) first.")

    # ----------------------------------------------------------------- using
    def mapped(self, rows: np.ndarray) -> np.ndarray:
        """Unit vectors of the prepared source rows ``rows``, mapped into the target's coordinates."""
        self._check()
        return normalize_rows(self.source_.vectors[np.asarray(rows)] @ self.map_.W_)

    def _target_hubness(self) -> np.ndarray:
        """``r_S`` of CSLS for every target word (computed once per fitted map)."""
        if self._r_target is None:
            self._r_target = knn_mean(self.target_.vectors, self.mapped(np.arange(len(self.source_))),
                                      self.csls_k)
        return self._r_target

    def nearest(self, mapped: np.ndarray, k: int = 5, csls: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` best target rows (and scores: CSLS or cosine) for mapped unit vectors, best first."""
        self._check()
        target = self.target_.vectors
        if not csls:
            return nearest(mapped, target, k)
        return nearest(mapped, target, k, knn_mean(mapped, target, self.csls_k), self._target_hubness())

    def source_key(self, word: str) -> str:
        """The prepared source space's key for ``word`` (case, accents and ligatures folded if needed)."""
        self._check("source_")
        key, _ = self.finders_[0].find(word)
        if key is None:
            raise UnknownKeyError(word, self.source_.name, len(self.source_), self.source_.suggest(word))
        return key

    def translate(self, word: str, topn: int = 5, csls: bool = True) -> list[tuple[str, float]]:
        """The ``topn`` best translations of ``word`` with their scores (CSLS or cosine)."""
        key = self.source_key(word)
        rows, scores = self.nearest(self.mapped([self.source_.index(key)]), topn, csls)
        return [(self.target_.keys[j], float(s)) for j, s in zip(rows[0], scores[0], strict=True)]

    def translate_expression(self, text: str, topn: int = 5, csls: bool = True) -> list[tuple[str, float]]:
        """Target words nearest to a source expression mapped across (``"king - man + woman"`` from English
        into French): the sum of the positive words' unit vectors minus the negative ones', mapped."""
        positive, negative = parse_expression(text)
        rows = self.source_.indices([self.source_key(w) for w in positive + negative])
        signs = np.array([1.0] * len(positive) + [-1.0] * len(negative), dtype=np.float32)
        v = normalize_rows((signs[:, None] * self.source_.vectors[rows]).sum(axis=0) @ self.map_.W_)
        found, scores = self.nearest(v[None, :], topn, csls)
        return [(self.target_.keys[j], float(s)) for j, s in zip(found[0], scores[0], strict=True)]

    def transform(self, name: str | None = None) -> EmbeddingSpace:
        """The prepared source space mapped into the target's coordinates (a new space)."""
        self._check()
        info = {"mapped_to": self.target_.name, "mapping": {"orthogonal": self.orthogonal,
                                                            "pairs": self.history_[-1]["pairs"],
                                                            "refinement_rounds": len(self.history_) - 1}}
        return self.source_.with_vectors(self.mapped(np.arange(len(self.source_))),
                                         name or f"{self.source_.name} mapped to {self.target_.name}", info)

    def precision(self, pairs: Iterable[Pair], ks: tuple[int, ...] = (1, 5), csls: bool = True,
                  details: bool = False) -> dict:
        """Precision@k on dictionary ``pairs`` (a source word is right if any of its translations is in
        the top ``k``).

        Returns ``{"p_at_1", "p_at_5", "n_eval", "eval_pairs", ["words"]}``: ``n_eval`` source words were
        scored (those with at least one translation in the target space); ``eval_pairs`` is how the pairs
        matched keys; with ``details`` every scored word with its translations and the top five found.
        """
        m = self.match(pairs)
        gold: dict[str, set[str]] = {}
        for x, y in m.pairs:
            gold.setdefault(x, set()).add(y)
        if not gold:
            raise EmptyInputError(f"None of the {m.given:,} held-out pairs is in both {self.source_.name} "
                                  f"and {self.target_.name}; nothing to evaluate. {m.message()}")
        words = list(gold)
        top, _ = self.nearest(self.mapped(self.source_.indices(words)), max(*ks, 5), csls)
        found = [[self.target_.keys[j] for j in row] for row in top]
        out = {f"p_at_{k}": float(np.mean([bool(gold[w] & set(f[:k])) for w, f in zip(words, found,
                                                                                       strict=True)]))
               for k in ks}
        out.update({"n_eval": len(words), "eval_pairs": m.summary()})
        if details:
            out["words"] = [{"source": w, "translations": sorted(gold[w]), "found": f[:5],
                             "rank": self.source_.index(w) + 1,
                             "right_at": next((i + 1 for i, t in enumerate(f) if t in gold[w]), None)}
                            for w, f in zip(words, found, strict=True)]
        return out

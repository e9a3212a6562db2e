"""Intrinsic evaluation: Google analogies (3CosAdd), WordSim-353 and SimLex-999 Spearman.

The test sets are the files gensim ships in ``gensim/test/test_data`` (read by path, no gensim import).
Analogies follow gensim's ``KeyedVectors.evaluate_word_analogies``: only the first ``restrict_vocab`` keys
are searched, questions with a word outside them are skipped (and counted), the three input words are
excluded, and with ``case_insensitive`` the first (most frequent) case variant of each word is used.
Queries run in batches of matrix products, so GloVe 50d (19,544 questions) takes a few seconds.
"""

from __future__ import annotations

import importlib.util
import math
import time
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from embedlab.errors import EmbedlabError, EmptyInputError, InvalidParameterError
from embedlab.progress import Progress
from embedlab.space import EmbeddingSpace
from embedlab.uploads import decode_text

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

Quad = tuple[str, str, str, str]

ANALOGY_FILE = "questions-words.txt"
SIMILARITY_FILES = {"WordSim-353": "wordsim353.tsv", "SimLex-999": "simlex999.txt"}
TOPN = 5  # candidates looked at per question, as in gensim
_BATCH_CELLS = 16_000_000  # score-matrix cells per batch (64 MB of float32)


@dataclass(frozen=True)
class CategoryScore:
    """Analogy results of one category: ``total`` answered questions, ``skipped`` (out of vocabulary)."""

    category: str
    correct: int
    total: int
    skipped: int

    @property
    def accuracy(self) -> float:
        """``correct / total``; NaN when no question could be answered."""
        return self.correct / self.total if self.total else math.nan

    @property
    def group(self) -> str:
        """``"syntactic"`` for the ``gram*`` categories, else ``"semantic"``."""
        return "syntactic" if self.category.startswith("gram") else "semantic"


@dataclass(frozen=True)
class AnalogyFailure:
    """A wrong answer: ``a`` is to ``b`` as ``c`` is to ``expected``, but the space said ``got``."""

    category: str
    a: str
    b: str
    c: str
    expected: str
    got: str


@dataclass(frozen=True)
class SimilarityScore:
    """Correlation of cosine similarity with human ratings over the pairs the space covers."""

    name: str
    spearman: float
    pearson: float
    pairs_used: int
    pairs_total: int

    @property
    def coverage(self) -> float:
        """Fraction of the data set's pairs whose two words are both in the space."""
        return self.pairs_used / self.pairs_total if self.pairs_total else 0.0


@dataclass
class Evaluation:
    """Everything :func:`evaluate` measured on one space."""

    analogy: list[CategoryScore] = field(default_factory=list)
    analogy_overall: float = math.nan
    analogy_coverage: float = 0.0
    failures: list[AnalogyFailure] = field(default_factory=list)
    wordsim353: SimilarityScore | None = None
    simlex999: SimilarityScore | None = None
    seconds: float = 0.0
    space: str = ""
    vocab_size: int = 0
    dim: int = 0
    restrict_vocab: int = 0

    def group_accuracy(self, group: str) -> float:
        """Accuracy over the answered questions of the ``"semantic"`` or ``"syntactic"`` categories."""
        cats = [c for c in self.analogy if c.group == group]
        total = sum(c.total for c in cats)
        return sum(c.correct for c in cats) / total if total else math.nan

    @property
    def analogy_answered(self) -> int:
        """Questions whose four words were all in the searched vocabulary."""
        return sum(c.total for c in self.analogy)

    @property
    def analogy_asked(self) -> int:
        """Questions in the set (answered + skipped)."""
        return sum(c.total + c.skipped for c in self.analogy)

    def summary_table(self) -> pd.DataFrame:
        """Per-category, semantic/syntactic/overall analogy rows and the two similarity sets.

        Columns: ``task``, ``score`` (accuracy or Spearman), ``used`` (answered questions or covered
        pairs), ``total`` and ``coverage``.
        """
        import pandas as pd

        rows = [(f"analogy: {c.category}", c.accuracy, c.total, c.total + c.skipped) for c in self.analogy]
        for group in ("semantic", "syntactic", "overall"):
            cats = [c for c in self.analogy if group in ("overall", c.group)]
            if cats:
                acc = self.analogy_overall if group == "overall" else self.group_accuracy(group)
                rows.append((f"analogy: {group}", acc, sum(c.total for c in cats),
                             sum(c.total + c.skipped for c in cats)))
        rows += [(f"{m.name} (Spearman)", m.spearman, m.pairs_used, m.pairs_total)
                 for m in (self.wordsim353, self.simlex999) if m is not None]
        df = pd.DataFrame(rows, columns=["task", "score", "used", "total"])
        df["coverage"] = df["used"] / df["total"].where(df["total"] > 0, np.nan)
        return df

    def to_dict(self, max_failures: int | None = None) -> dict:
        """A JSON-safe dict (NaN becomes ``None``); ``max_failures`` caps the listed failures."""
        fails = self.failures if max_failures is None else self.failures[: max(0, max_failures)]
        sims = {k: None if m is None else {**asdict(m), "coverage": m.coverage}
                for k, m in (("wordsim353", self.wordsim353), ("simlex999", self.simlex999))}
        return _json_safe({
            "space": self.space, "vocab_size": self.vocab_size, "dim": self.dim,
            "restrict_vocab": self.restrict_vocab, "seconds": self.seconds,
            "analogy_overall": self.analogy_overall,
            "analogy_semantic": self.group_accuracy("semantic"),
            "analogy_syntactic": self.group_accuracy("syntactic"),
            "analogy_coverage": self.analogy_coverage,
            "analogy_answered": self.analogy_answered, "analogy_asked": self.analogy_asked,
            "analogy": [{**asdict(c), "accuracy": c.accuracy, "group": c.group} for c in self.analogy],
            "failures_total": len(self.failures), "failures": [asdict(f) for f in fails], **sims,
        })


def _json_safe(o):
    if isinstance(o, dict):
        return {str(k): _json_safe(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_json_safe(v) for v in o]
    if isinstance(o, (float, np.floating)):
        return None if not math.isfinite(float(o)) else float(o)
    if isinstance(o, np.integer):
        return int(o)
    return o


def data_path(filename: str) -> Path:
    """Path of one of gensim's bundled test-data files (found without importing gensim)."""
    spec = importlib.util.find_spec("gensim")
    if spec is None or not spec.submodule_search_locations:
        raise EmbedlabError(
            f"The evaluation data set '{filename}' ships with gensim, which is not installed. "
            "Install it with: pip install gensim"
        )
    path = Path(list(spec.submodule_search_locations)[0]) / "test" / "test_data" / filename
    if not path.is_file():
        raise EmbedlabError(f"gensim's test data file {path} is missing; reinstall gensim.")
    return path


@lru_cache(maxsize=4)
def analogy_questions(path: str | None = None) -> tuple[tuple[str, tuple[Quad, ...]], ...]:
    """The analogy set as ``((category, ((a, b, c, expected), ...)), ...)``.

    Lines ``: name`` start a category; lines without exactly four words are ignored (as gensim does).
    """
    file = Path(path or data_path(ANALOGY_FILE))
    text = decode_text(file.name, file.read_bytes()).text
    sections: list[tuple[str, list]] = []
    for line in text.splitlines():
        words = line.split()
        if line.startswith(":"):
            sections.append((line[1:].strip(), []))
        elif len(words) == 4 and sections:
            sections[-1][1].append(tuple(words))
    return tuple((name, tuple(qs)) for name, qs in sections)


@lru_cache(maxsize=8)
def similarity_pairs(path: str) -> tuple[tuple[str, str, float], ...]:
    """Word pairs with human ratings from a tab-separated file; ``#`` comments and bad lines are skipped."""
    out: list[tuple[str, str, float]] = []
    for line in decode_text(Path(path).name, Path(path).read_bytes()).text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("\t")]
        try:
            out.append((parts[0], parts[1], float(parts[2])) if len(parts) == 3 else None)
        except ValueError:  # a header row such as "Word 1	Word 2	Human (mean)"
            continue
    return tuple(p for p in out if p is not None)


def _fold(word: str, case_insensitive: bool) -> str:
    return word.casefold() if case_insensitive else word


def _vocab(keys: Iterable[str], case_insensitive: bool) -> tuple[dict[str, int], np.ndarray]:
    """Lookup word -> row (first case variant wins) and each row's canonical row."""
    lookup: dict[str, int] = {}
    canon = [lookup.setdefault(_fold(k, case_insensitive), i) for i, k in enumerate(keys)]
    return lookup, np.asarray(canon, dtype=np.int64)


def _rows_of(space: EmbeddingSpace, words: Iterable[str], case_insensitive: bool) -> dict[str, int]:
    """Row of each word present in the space (case-folded: its first case variant), in one pass."""
    if not case_insensitive:
        return {w: space.index(w) for w in set(words) if w in space}
    wanted = {w.casefold() for w in words}
    found: dict[str, int] = {}
    for i, k in enumerate(space.keys):
        f = k.casefold()
        if f in wanted and f not in found:
            found[f] = i
    return found


def _predict(matrix: np.ndarray, canon: np.ndarray, q: np.ndarray) -> np.ndarray:
    """gensim's choice for each question row ``q = (a, b, c)``: the best of the top 5, inputs excluded.

    Candidates whose canonical (case-folded) row is an input are passed over, up to 5 deep; if all 5 are,
    the 5th counts (it is then wrong), as in gensim.
    """
    scores = (matrix[q[:, 1]] - matrix[q[:, 0]] + matrix[q[:, 2]]) @ matrix.T
    scores[np.arange(len(q))[:, None], q[:, :3]] = -np.inf
    pred = np.empty(len(q), dtype=np.int64)
    todo = np.arange(len(q))
    for step in range(min(TOPN, scores.shape[1])):  # usually one pass: the best candidate is no input
        best = (scores if step == 0 else scores[todo]).argmax(axis=1)
        pred[todo] = best
        cid = canon[best]
        again = (cid == q[todo, 0]) | (cid == q[todo, 1]) | (cid == q[todo, 2])
        scores[todo[again], best[again]] = -np.inf
        todo = todo[again]
        if not len(todo):
            break
    return pred


def _analogies(space: EmbeddingSpace, restrict: int, case_insensitive: bool, progress: Progress | None
               ) -> tuple[list[CategoryScore], list[AnalogyFailure]]:
    sections = analogy_questions()
    lookup, canon = _vocab(space.keys[:restrict], case_insensitive)
    asked, cat_of, skipped = [], [], []
    for ci, (_, qs) in enumerate(sections):
        miss = 0
        for quad in qs:
            rows = [lookup.get(_fold(w, case_insensitive), -1) for w in quad]
            if min(rows) < 0:
                miss += 1
                continue
            asked.append(rows)
            cat_of.append((ci, quad))
        skipped.append(miss)
    q = np.asarray(asked, dtype=np.int64).reshape(-1, 4)
    matrix, pred = space.normed[:restrict], np.empty(len(q), dtype=np.int64)
    batch = max(1, _BATCH_CELLS // restrict)
    for start in range(0, len(q), batch):
        pred[start:start + batch] = _predict(matrix, canon, q[start:start + batch])
        if progress is not None:
            progress(min(start + batch, len(q)), len(q), "analogy questions")
    ok = canon[pred] == q[:, 3]
    cats = np.asarray([c for c, _ in cat_of], dtype=np.int64)
    correct = np.bincount(cats, weights=ok, minlength=len(sections))
    answered = np.bincount(cats, minlength=len(sections))
    scores = [CategoryScore(name, int(correct[i]), int(answered[i]), skipped[i])
              for i, (name, _) in enumerate(sections)]
    failures = [AnalogyFailure(sections[ci][0], *quad, space.keys[int(pred[j])])
                for j, (ci, quad) in enumerate(cat_of) if not ok[j]]
    return scores, failures


def word_pair_score(space: EmbeddingSpace, name: str, path: str | Path | None = None,
                    case_insensitive: bool = True, rows: dict[str, int] | None = None) -> SimilarityScore:
    """Spearman and Pearson correlation of cosine similarity with a human-rated pair set.

    ``name`` is ``"WordSim-353"`` or ``"SimLex-999"`` (or any label when ``path`` is given). Only pairs with
    both words in the space count (``pairs_used``); the first case variant of a word is used. ``rows``
    (word -> row, case-folded when ``case_insensitive``) may be passed to skip the vocabulary scan.
    """
    if path is None:
        if name not in SIMILARITY_FILES:
            raise InvalidParameterError(
                f"Unknown word-pair set '{name}'; choose {', '.join(SIMILARITY_FILES)} or pass a file path."
            )
        path = data_path(SIMILARITY_FILES[name])
    pairs = similarity_pairs(str(path))
    if rows is None:
        rows = _rows_of(space, (w for a, b, _ in pairs for w in (a, b)), case_insensitive)
    folded = [(_fold(a, case_insensitive), _fold(b, case_insensitive), s) for a, b, s in pairs]
    used = [(rows[a], rows[b], s) for a, b, s in folded if a in rows and b in rows]
    nan = SimilarityScore(name, math.nan, math.nan, len(used), len(pairs))
    if len(used) < 3:
        return nan
    ia, ib, gold = (np.asarray(x) for x in zip(*used, strict=True))
    model = np.einsum("ij,ij->i", space.normed[ia].astype(np.float64), space.normed[ib].astype(np.float64))
    if np.ptp(model) == 0 or np.ptp(gold) == 0:
        return nan
    from scipy import stats

    rho, r = stats.spearmanr(gold, model)[0], stats.pearsonr(gold, model)[0]
    return SimilarityScore(name, float(rho), float(r), len(used), len(pairs))


def evaluate(
    space: EmbeddingSpace,
    restrict_vocab: int | None = 30000,
    case_insensitive: bool = True,
    analogies: bool = True,
    similarity: bool = True,
    progress: Progress | None = None,
) -> Evaluation:
    """Evaluate a space on the Google analogy set and on WordSim-353 / SimLex-999.

    Parameters
    ----------
    space : EmbeddingSpace
        Ideally frequency-ordered, as ``restrict_vocab`` takes the first rows.
    restrict_vocab : int or None
        Analogy search (and the words a question may use) is limited to the first this-many keys.
    case_insensitive : bool
        Match test words to keys case-folded (the first case variant of a key is used).
    analogies, similarity : bool
        Which parts to run.
    progress : callable, optional
        ``progress(done, total, message)`` after each batch of analogy questions.
    """
    if len(space) == 0:
        raise EmptyInputError(f"{space.name} has no vectors to evaluate.")
    if restrict_vocab is not None and int(restrict_vocab) < 1:
        raise InvalidParameterError(f"restrict_vocab must be at least 1 (None: all); got {restrict_vocab}.")
    t0 = time.perf_counter()
    restrict = len(space) if restrict_vocab is None else min(int(restrict_vocab), len(space))
    ev = Evaluation(space=space.name, vocab_size=len(space), dim=space.dim, restrict_vocab=restrict)
    if analogies:
        ev.analogy, ev.failures = _analogies(space, restrict, case_insensitive, progress)
        answered, asked = ev.analogy_answered, ev.analogy_asked
        ev.analogy_overall = sum(c.correct for c in ev.analogy) / answered if answered else math.nan
        ev.analogy_coverage = answered / asked if asked else 0.0
    if similarity:
        pairs = [p for f in SIMILARITY_FILES.values() for p in similarity_pairs(str(data_path(f)))]
        rows = _rows_of(space, (w for a, b, _ in pairs for w in (a, b)), case_insensitive)
        ev.wordsim353, ev.simlex999 = (word_pair_score(space, n, case_insensitive=case_insensitive, rows=rows)
                                       for n in SIMILARITY_FILES)
    ev.seconds = time.perf_counter() - t0
    return ev


def compare(spaces: Iterable[EmbeddingSpace] | Mapping[str, EmbeddingSpace], progress: Progress | None = None,
            **kw) -> pd.DataFrame:
    """Evaluate several spaces with the same settings; one row per space.

    ``kw`` goes to :func:`evaluate`. Columns: ``space, vocab, dim, analogy, semantic, syntactic,
    analogy_coverage, wordsim353, wordsim353_coverage, simlex999, simlex999_coverage, seconds``.
    """
    import pandas as pd

    items = list(spaces.items()) if isinstance(spaces, Mapping) else [(s.name, s) for s in spaces]
    if not items:
        raise EmptyInputError("Give at least one space to compare.")
    rows = []
    for i, (name, sp) in enumerate(items):
        if progress is not None:
            progress(i, len(items), f"evaluating {name}")
        ev = evaluate(sp, **kw)
        row = {"space": name, "vocab": len(sp), "dim": sp.dim, "analogy": ev.analogy_overall,
               "semantic": ev.group_accuracy("semantic"), "syntactic": ev.group_accuracy("syntactic"),
               "analogy_coverage": ev.analogy_coverage}
        for key, m in (("wordsim353", ev.wordsim353), ("simlex999", ev.simlex999)):
            row[key], row[f"{key}_coverage"] = (m.spearman, m.coverage) if m else (math.nan, math.nan)
        rows.append({**row, "seconds": ev.seconds})
    if progress is not None:
        progress(len(items), len(items), "done")
    return pd.DataFrame(rows)

"""The Word Embedding Association Test (Caliskan, Bryson & Narayanan 2017).

For target lists X, Y and attribute lists A, B (cosines of unit vectors)::

    s(w, A, B)  = mean_{a in A} cos(w, a) - mean_{b in B} cos(w, b)
    s(X,Y,A,B)  = sum_{x in X} s(x, A, B) - sum_{y in Y} s(y, A, B)
    d           = [mean_{x in X} s(x, A, B) - mean_{y in Y} s(y, A, B)] / std_{w in X ∪ Y} s(w, A, B)

with the *sample* standard deviation (ddof = 1), as in the paper. The one-sided p-value is the share of
equal-size partitions (X_i, Y_i) of X ∪ Y with s(X_i, Y_i, A, B) >= s(X, Y, A, B): exact over all
partitions when there are at most ``exact_limit`` of them, otherwise estimated from ``n_permutations``
random partitions drawn with a fixed seed as (count + 1) / (n + 1). s(w, A, B) is computed once per
target; each partition is then an index sum, so 10,000 permutations cost milliseconds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import pandas as pd

from embedlab.bias._vocab import lookup, unit_rows
from embedlab.bias.wordlists import WeatTest, weat_test, weat_tests
from embedlab.errors import EmbedlabError, EmptyInputError, InvalidParameterError
from embedlab.progress import Progress, report
from embedlab.space import EmbeddingSpace

UNEQUAL = ("truncate", "keep")
MISSING_WARN = 0.2


def associations(targets: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """s(w, A, B) for each row of ``targets`` (all three are unit-row matrices)."""
    return (targets @ a.T).mean(axis=1) - (targets @ b.T).mean(axis=1)


def effect_size(s_x: np.ndarray, s_y: np.ndarray) -> float:
    """Caliskan's d = (mean s_x - mean s_y) / sample std (ddof=1) of s over X ∪ Y."""
    both = np.concatenate([s_x, s_y])
    sd = float(np.std(both, ddof=1)) if len(both) > 1 else 0.0
    if not sd > 0:
        raise InvalidParameterError(
            "Every target word has the same association with A vs B (standard deviation 0), so the effect "
            "size is undefined. Use target lists with different words."
        )
    return float((s_x.mean() - s_y.mean()) / sd)


def _exact_sums(s: np.ndarray, n_x: int) -> np.ndarray:
    n_comb = math.comb(len(s), n_x)
    idx = np.fromiter((i for c in combinations(range(len(s)), n_x) for i in c), dtype=np.int64,
                      count=n_comb * n_x).reshape(n_comb, n_x)
    return s[idx].sum(axis=1)


def _sampled_sums(s: np.ndarray, n_x: int, n: int, seed: int, chunk: int = 20_000) -> np.ndarray:
    rng = np.random.default_rng(seed)
    out = []
    for start in range(0, n, chunk):
        m = min(chunk, n - start)
        idx = np.argpartition(rng.random((m, len(s))), n_x - 1, axis=1)[:, :n_x] if n_x < len(s) else \
            np.tile(np.arange(len(s)), (m, 1))
        out.append(s[idx].sum(axis=1))
    return np.concatenate(out)


def permutation_p_value(s_x: np.ndarray, s_y: np.ndarray, n_permutations: int = 10_000,
                        exact_limit: int = 100_000, seed: int = 0) -> tuple[float, int, bool]:
    """One-sided permutation p-value of ``sum(s_x)`` over partitions of X ∪ Y keeping the list sizes.

    Returns ``(p, number of partitions used, exact)``. With equal sizes the statistic sum(s_x) - sum(s_y)
    is 2 sum(s_x) - const, and with unequal sizes mean(s_x) - mean(s_y) is also increasing in sum(s_x),
    so comparing sums of the first part is the test for both.
    """
    s = np.concatenate([s_x, s_y]).astype(np.float64)
    n_x = len(s_x)
    observed = float(s[:n_x].sum())
    tol = 1e-9 * max(1.0, abs(observed))
    total = math.comb(len(s), n_x)
    if total <= exact_limit:
        sums = _exact_sums(s, n_x)
        return float(np.mean(sums >= observed - tol)), total, True
    if n_permutations < 1:
        raise InvalidParameterError(f"n_permutations must be at least 1; got {n_permutations}.")
    sums = _sampled_sums(s, n_x, int(n_permutations), seed)
    return float((np.count_nonzero(sums >= observed - tol) + 1) / (len(sums) + 1)), int(n_permutations), False


@dataclass
class WeatResult:
    """Outcome of one WEAT; :meth:`to_dict` gives the JSON the CLI prints."""

    effect_size: float
    p_value: float
    n_permutations: int
    exact: bool
    statistic: float
    names: tuple[str, str, str, str]
    used: dict[str, list[str]]
    missing: dict[str, list[str]]
    balanced: dict[str, list[str]]
    unequal: str
    seed: int
    associations: pd.DataFrame
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON-ready summary (no per-word table)."""
        return {
            "effect_size": self.effect_size, "p_value": self.p_value, "n_permutations": self.n_permutations,
            "exact": self.exact, "statistic": self.statistic, "names": list(self.names),
            "sizes": {k: len(v) for k, v in self.used.items()}, "missing": self.missing,
            "dropped_to_equalise": self.balanced, "unequal_handling": self.unequal, "seed": self.seed,
            "warnings": self.warnings,
        }


def _balance(x: list[str], y: list[str], seed: int) -> tuple[list[str], list[str], dict[str, list[str]]]:
    """Drop words at random (fixed seed) from the longer target list, as the paper did; keep order."""
    n = min(len(x), len(y))
    rng = np.random.default_rng(seed)
    dropped: dict[str, list[str]] = {"X": [], "Y": []}
    out = []
    for key, lst in (("X", x), ("Y", y)):
        if len(lst) > n:
            keep = set(rng.choice(len(lst), size=n, replace=False).tolist())
            dropped[key] = [w for i, w in enumerate(lst) if i not in keep]
            lst = [w for i, w in enumerate(lst) if i in keep]
        out.append(lst)
    return out[0], out[1], dropped


def weat(space: EmbeddingSpace, X: Sequence[str], Y: Sequence[str], A: Sequence[str], B: Sequence[str], *,
         names: Sequence[str] = ("X", "Y", "A", "B"), n_permutations: int = 10_000,
         exact_limit: int = 100_000, seed: int = 0, unequal: str = "truncate",
         missing_warn: float = MISSING_WARN) -> WeatResult:
    """Run a WEAT on ``space`` (see the module docstring for the exact formulas).

    Parameters
    ----------
    X, Y : target word lists; A, B : attribute word lists.
    n_permutations : random partitions when the exact count exceeds ``exact_limit`` (>= 10,000 advised).
    seed : seed of the random partitions (and of the random drop when ``unequal="truncate"``).
    unequal : {"truncate", "keep"}
        When X and Y differ in length after out-of-vocabulary words are dropped: ``truncate`` drops words
        at random (seeded) from the longer list, as the paper did; ``keep`` uses the unequal lists and
        permutes partitions of the same two sizes. Attribute lists may differ in length (s uses means).
    missing_warn : warn when more than this share of a list is out of vocabulary.
    """
    if unequal not in UNEQUAL:
        raise InvalidParameterError(f"unequal must be one of {UNEQUAL}; got '{unequal}'.")
    names = tuple(names)  # type: ignore[assignment]
    used, missing, warns = {}, {}, []
    for key, words, name in zip("XYAB", (X, Y, A, B), names, strict=True):
        words = list(words)
        found, miss = lookup(space, words)
        if not words or not found:
            raise EmptyInputError(
                f"None of the {len(words)} words of list {key} ('{name}') is in {space.name}"
                + (f" (missing: {', '.join(miss[:8])})" if miss else "") + ". Use words the space knows."
            )
        if words and len(miss) / len(words) > missing_warn:
            warns.append(f"{len(miss)} of {len(words)} words of {key} ('{name}') are not in {space.name} "
                         f"({', '.join(miss[:10])}); the result rests on the remaining {len(found)}.")
        used[key], missing[key] = found, miss
    if len(used["X"]) + len(used["Y"]) < 3:
        raise EmptyInputError("The targets X and Y need at least 3 words in the vocabulary between them.")
    balanced: dict[str, list[str]] = {"X": [], "Y": []}
    if len(used["X"]) != len(used["Y"]):
        if unequal == "truncate":
            used["X"], used["Y"], balanced = _balance(used["X"], used["Y"], seed)
            warns.append(f"X and Y had different lengths; dropped {balanced['X'] + balanced['Y']} at random "
                         f"(seed {seed}) to make both {len(used['X'])} words, as Caliskan et al. did.")
        else:
            warns.append(f"X has {len(used['X'])} and Y {len(used['Y'])} words; the effect size uses the "
                         "unequal lists and the permutations keep those two sizes.")
    a, b = unit_rows(space, used["A"]), unit_rows(space, used["B"])
    s_x = associations(unit_rows(space, used["X"]), a, b)
    s_y = associations(unit_rows(space, used["Y"]), a, b)
    d = effect_size(s_x, s_y)
    p, n_perm, exact = permutation_p_value(s_x, s_y, n_permutations, exact_limit, seed)
    table = pd.DataFrame({"word": used["X"] + used["Y"],
                          "list": [names[0]] * len(s_x) + [names[1]] * len(s_y),
                          "association": np.concatenate([s_x, s_y]).astype(np.float32)})
    return WeatResult(d, p, n_perm, exact, float(s_x.sum() - s_y.sum()), names, used, missing,  # type: ignore
                      balanced, unequal, seed, table, warns)


def run_test(space: EmbeddingSpace, test: WeatTest | str, follow_paper: bool = True, **kw) -> WeatResult:
    """Run a bundled test (a :class:`WeatTest` or a name); ``follow_paper`` drops the paper's exclusions."""
    t = weat_test(test) if isinstance(test, str) else test
    X, Y, A, B = t.lists(follow_paper)
    return weat(space, X, Y, A, B, names=t.names, **kw)


def _table_row(space: EmbeddingSpace, t: WeatTest, **kw) -> dict:
    paper = t.paper or {}
    row = {"test": t.id, "title": t.title, "n_targets": "", "d": float("nan"), "p": float("nan"),
           "exact": None, "n_permutations": 0, "missing": 0, "paper_d": paper.get("d"),
           "paper_p": paper.get("p"), "same_sign": None, "note": ""}
    try:
        r = run_test(space, t, **kw)
    except EmbedlabError as exc:  # e.g. a whole list out of vocabulary: report it, run the others
        row["note"] = str(exc)
        return row
    nx, ny = len(r.used["X"]), len(r.used["Y"])
    row.update({"n_targets": f"{nx}x2" if nx == ny else f"{nx}+{ny}", "d": r.effect_size, "p": r.p_value,
                "exact": r.exact, "n_permutations": r.n_permutations,
                "missing": sum(len(v) for v in r.missing.values()),
                "same_sign": bool((r.effect_size > 0) == (float(paper.get("d", 1)) > 0)),
                "note": " ".join(r.warnings)})
    return row


def weat_table(space: EmbeddingSpace, tests: Sequence[WeatTest] | None = None,
               progress: Progress | None = None, **kw) -> pd.DataFrame:
    """All bundled tests on ``space`` beside the paper's Table 1 figures (one row per test).

    A test that cannot run on this space (a whole list out of vocabulary) gets NaN figures and the reason
    in ``note``; ``same_sign`` is then ``None``.
    """
    tests = list(tests) if tests is not None else weat_tests()
    rows = []
    for i, t in enumerate(tests):
        report(progress, i, len(tests), t.id)
        rows.append(_table_row(space, t, **kw))
    report(progress, len(tests), len(tests), "done")
    return pd.DataFrame(rows)

"""Bolukbasi et al. (2016): DirectBias and hard debiasing (neutralise + equalise).

* ``DirectBias_c = mean_{w in N} |cos(w, g)|^c`` over a list N of gender-neutral words and the gender
  direction g (c = 1 by default).
* Hard debiasing works on unit vectors. *Neutralise*: every word that is not gender specific loses its
  component along g and is re-normalised. *Equalise*: for each equality pair (a, b) with mean μ and
  ν = μ - (μ·g) g, set a = ν + z g and b = ν - z g with z = ±sqrt(1 - |ν|²) (the sign keeps each word on its
  own side), so both words are equidistant from every neutralised word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from embedlab.bias._vocab import lookup, require
from embedlab.bias.directions import Direction, gender_direction, projection
from embedlab.bias.wordlists import equalize_pairs, gender_specific_words, neutral_professions
from embedlab.errors import InvalidParameterError
from embedlab.linalg import normalize_rows
from embedlab.progress import Progress, report
from embedlab.space import EmbeddingSpace


@dataclass
class DirectBiasResult:
    """``value`` = DirectBias_c; ``frame`` has each word's cosine with g; ``missing`` words were skipped."""

    value: float
    c: float
    frame: pd.DataFrame
    missing: list[str]


def direct_bias(space: EmbeddingSpace, direction: Direction, words: Sequence[str] | None = None,
                c: float = 1.0) -> DirectBiasResult:
    """Bolukbasi's DirectBias_c of ``words`` (default: the gender-neutral professions) along ``direction``."""
    if c < 0:
        raise InvalidParameterError(f"The strictness c must be >= 0; got {c}.")
    found, missing = require(space, words if words is not None else neutral_professions(),
                             "gender-neutral word list")
    cos = projection(space, found, direction)
    value = float(np.mean(np.abs(cos) ** c))
    frame = pd.DataFrame({"word": found, "cosine": cos.astype(np.float32)})
    return DirectBiasResult(value, c, frame, missing)


def _case_variants(words: Sequence[str]) -> set[str]:
    return {v for w in words for v in (w, w.lower(), w.title(), w.upper())}


def _pair_variants(pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for a, b in pairs:
        for fa, fb in ((a, b), (a.lower(), b.lower()), (a.title(), b.title()), (a.upper(), b.upper())):
            if (fa, fb) not in out:
                out.append((fa, fb))
    return out


@dataclass
class DebiasResult:
    """The debiased ``space`` (a new space) and what was done to it."""

    space: EmbeddingSpace
    n_neutralised: int
    n_specific: int
    equalised: list[tuple[str, str]]
    missing_pairs: list[tuple[str, str]] = field(default_factory=list)


def hard_debias(space: EmbeddingSpace, direction: Direction, gender_specific: Sequence[str] | None = None,
                equalize: Sequence[tuple[str, str]] | None = None, name: str | None = None) -> DebiasResult:
    """Hard-debias ``space`` along ``direction`` (Bolukbasi et al. 2016); returns a NEW space.

    ``gender_specific`` (default: the paper's list, with case variants) are left as they are; every other
    word is neutralised. ``equalize`` (default: the paper's equality pairs, with case variants) are
    equalised. All output vectors are unit length, as in the paper.
    """
    g = np.asarray(direction.vector, dtype=np.float32)
    if g.shape[0] != space.dim:
        raise InvalidParameterError(
            f"The direction has {g.shape[0]} dimensions; {space.name} has {space.dim}. "
            "Compute it in that space."
        )
    pairs = _pair_variants(equalize if equalize is not None else equalize_pairs())
    specific = _case_variants(gender_specific if gender_specific is not None else gender_specific_words())
    specific |= {w for p in pairs for w in p}
    keep = np.zeros(len(space), dtype=bool)
    spec_found, _ = lookup(space, sorted(specific))
    if spec_found:
        keep[space.indices(spec_found)] = True
    vec = np.array(space.normed, dtype=np.float32)  # a writable copy
    rows = np.flatnonzero(~keep)
    for start in range(0, len(rows), 100_000):  # bounded temporaries on big spaces
        r = rows[start:start + 100_000]
        part = vec[r]
        part -= np.outer(part @ g, g)
        vec[r] = normalize_rows(part)
    equalised, missing = _equalise(space, vec, g, pairs)
    out = space.with_vectors(vec, name=name or f"{space.name}-debiased", info={"debiased": {
        "method": "hard debiasing (Bolukbasi et al. 2016)", "direction": direction.label,
        "direction_method": direction.method, "equalised_pairs": len(equalised),
        "neutralised_words": int(len(rows)), "source_space": space.name}})
    return DebiasResult(out, int(len(rows)), int(keep.sum()), equalised, missing)


@dataclass
class GenderDebias:
    """Hard debiasing along the gender direction, with DirectBias₁ measured before and after."""

    result: DebiasResult
    direction: Direction
    before: DirectBiasResult
    after: DirectBiasResult


def debias_gender(space: EmbeddingSpace, name: str | None = None, progress: Progress | None = None
                  ) -> GenderDebias:
    """The gender direction → :func:`hard_debias` → DirectBias before and after: the Bias page's and the
    ``embedlab bias debias`` command's one call.

    Parameters
    ----------
    space : EmbeddingSpace
    name : str, optional
        Name of the debiased space (default ``<space>-debiased``).
    progress : callable, optional
        ``progress(done, total, message)`` with ``total=1``.
    """
    report(progress, 0.0, 1.0, "Finding the gender direction")
    g = gender_direction(space)
    report(progress, 0.2, 1.0, f"Neutralising and equalising {len(space):,} words")
    res = hard_debias(space, g, name=name)
    report(progress, 0.8, 1.0, "Measuring DirectBias before and after")
    out = GenderDebias(res, g, direct_bias(space, g), direct_bias(res.space, g))
    report(progress, 1.0, 1.0, "Done")
    return out


def _equalise(space: EmbeddingSpace, vec: np.ndarray, g: np.ndarray, pairs: list[tuple[str, str]]
              ) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    done, missing = [], []
    for a, b in pairs:
        if a not in space or b not in space:
            missing.append((a, b))
            continue
        ia, ib = space.index(a), space.index(b)
        mu = (vec[ia] + vec[ib]) / 2
        nu = mu - (mu @ g) * g
        z = float(np.sqrt(max(0.0, 1.0 - float(nu @ nu))))
        if float((vec[ia] - vec[ib]) @ g) < 0:
            z = -z
        vec[ia], vec[ib] = nu + z * g, nu - z * g
        done.append((a, b))
    return done, missing


def before_after(original: EmbeddingSpace, debiased: EmbeddingSpace, direction: Direction,
                 words: Sequence[str]) -> pd.DataFrame:
    """Each word's cosine with ``direction`` before and after debiasing (same words, same axis)."""
    found, _ = require(original, words, "word list")
    found = [w for w in found if w in debiased]
    return pd.DataFrame({"word": found,
                         "before": projection(original, found, direction).astype(np.float32),
                         "after": projection(debiased, found, direction).astype(np.float32)})

"""Bias directions and projections onto them.

A :class:`Direction` is a unit vector with a label at each end (``she`` … ``he``). It can come from

* definitional pairs: the first principal component of the centred pair differences (Bolukbasi et al.
  2016): for each pair (a, b) of unit vectors with centre c = (a + b) / 2, the rows a - c and b - c are
  stacked and PC1 of that matrix is the direction; the share of variance PC1 explains is reported;
* a single pair: the normalised difference a - b;
* two word lists: the normalised difference of their mean unit vectors.

Projections are cosines with the direction: ``cos(w, d) = w_hat . d`` (positive = towards ``positive``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from embedlab.bias._vocab import lookup, require, unit_rows
from embedlab.bias.wordlists import definitional_pairs
from embedlab.errors import DimensionError, EmptyInputError, InvalidParameterError
from embedlab.space import EmbeddingSpace

_ZERO = 1e-6


class ZeroDirectionError(InvalidParameterError):
    """The two ends of a direction are the same point, so there is no direction."""


@dataclass(frozen=True)
class Direction:
    """A unit direction in a space, pointing from ``negative`` to ``positive``.

    Attributes
    ----------
    vector : ndarray, shape (d,)
        Unit float64 vector.
    positive, negative : str
        Labels of the two ends (``he``, ``she``).
    method : {"pca", "pair", "means"}
    explained_variance : tuple of float
        For ``pca``: the share of variance of each principal component (PC1 first); empty otherwise.
    pairs : tuple of (str, str)
        The pairs (or the single pair) actually used.
    missing : tuple of str
        Input words not in the vocabulary (their pairs were skipped).
    """

    vector: np.ndarray
    positive: str
    negative: str
    method: str
    explained_variance: tuple[float, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    missing: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """``she → he`` style label."""
        return f"{self.negative} → {self.positive}"

    @property
    def pc1_share(self) -> float | None:
        """Share of variance explained by PC1 (``pca`` directions only)."""
        return self.explained_variance[0] if self.explained_variance else None


def _unit_or_raise(v: np.ndarray, what: str) -> np.ndarray:
    n = float(np.linalg.norm(v))
    if n < _ZERO:
        raise ZeroDirectionError(
            f"{what} gives a zero vector, so there is no direction to measure along. "
            "Use two different words (or lists) whose vectors differ, e.g. 'he' and 'she'."
        )
    return v / n


def direction_from_pairs(space: EmbeddingSpace, pairs: Sequence[tuple[str, str]],
                         positive: str | None = None, negative: str | None = None) -> Direction:
    """PC1 of the centred differences of definitional pairs (Bolukbasi et al. 2016).

    Pairs with a word missing from the space are skipped and listed in ``missing``. The sign is chosen so
    that the first words of the pairs project positively. Raises :class:`ZeroDirectionError` when every
    pair is made of identical vectors, :class:`EmptyInputError` when no pair is in the vocabulary.
    """
    used: list[tuple[str, str]] = []
    missing: list[str] = []
    for a, b in pairs:
        found, miss = lookup(space, [a, b])
        missing += miss
        if not miss and len(found) == 2:
            used.append((found[0], found[1]))
        elif not miss:  # both spell the same key
            used.append((found[0], found[0]))
    if not used:
        raise EmptyInputError(
            f"None of the {len(pairs)} pairs has both words in {space.name} (missing: "
            f"{', '.join(missing[:8])}). Give pairs like 'he, she' that the space knows."
        )
    a = unit_rows(space, [p[0] for p in used])
    b = unit_rows(space, [p[1] for p in used])
    half = (a - b) / 2.0
    rows = np.vstack([half, -half])  # a - c and b - c: already centred
    if float(np.abs(rows).max()) < _ZERO:
        _unit_or_raise(np.zeros(1), f"Every pair ({', '.join('/'.join(p) for p in used)})")
    _, s, vt = np.linalg.svd(rows, full_matrices=False)
    var = s**2
    share = tuple(float(x) for x in var / var.sum())
    pc1 = vt[0]
    if float(half.sum(axis=0) @ pc1) < 0:
        pc1 = -pc1
    return Direction(pc1 / np.linalg.norm(pc1), positive or used[0][0], negative or used[0][1], "pca",
                     share, tuple(used), tuple(missing))


def direction_from_pair(space: EmbeddingSpace, positive: str, negative: str) -> Direction:
    """The normalised difference ``positive - negative`` of two words' unit vectors."""
    (p,), _ = require(space, [positive], f"positive end '{positive}'")
    (n,), _ = require(space, [negative], f"negative end '{negative}'")
    v = unit_rows(space, [p])[0] - unit_rows(space, [n])[0]
    vec = _unit_or_raise(v, f"The pair '{positive}' - '{negative}'")
    return Direction(vec, p, n, "pair", (), ((p, n),), ())


def direction_from_lists(space: EmbeddingSpace, positive_words: Sequence[str], negative_words: Sequence[str],
                         positive: str | None = None, negative: str | None = None) -> Direction:
    """Difference of the mean unit vectors of two word lists (e.g. rich words minus poor words)."""
    pw, pm = require(space, positive_words, "positive word list")
    nw, nm = require(space, negative_words, "negative word list")
    v = unit_rows(space, pw).mean(axis=0) - unit_rows(space, nw).mean(axis=0)
    vec = _unit_or_raise(v, "The two word lists")
    return Direction(vec, positive or pw[0], negative or nw[0], "means", (), (), tuple(pm + nm))


def gender_direction(space: EmbeddingSpace, method: str = "pca") -> Direction:
    """The he–she direction: PC1 of Bolukbasi's definitional pairs (``pca``) or ``he - she`` (``pair``)."""
    if method == "pca":
        return direction_from_pairs(space, definitional_pairs(), positive="he", negative="she")
    if method == "pair":
        return direction_from_pair(space, "he", "she")
    raise InvalidParameterError(f"Unknown gender direction method '{method}'; choose 'pca' or 'pair'.")


def projection(space: EmbeddingSpace, keys: Sequence[str], direction: Direction) -> np.ndarray:
    """Cosine of each key's vector with the direction (keys must be in the space)."""
    if len(direction.vector) != space.dim:
        raise DimensionError(
            f"The direction has {len(direction.vector)} dimensions but {space.name} has {space.dim}; "
            "compute the direction in the same space."
        )
    return unit_rows(space, list(keys)) @ direction.vector


@dataclass
class ProjectionTable:
    """Projections of a word list: ``frame`` has ``word``, ``x`` (and ``y``) cosines; ``missing`` words."""

    frame: pd.DataFrame
    missing: list[str]
    x: Direction
    y: Direction | None = None


def project_words(space: EmbeddingSpace, words: Sequence[str], x: Direction, y: Direction | None = None
                  ) -> ProjectionTable:
    """Project a word list onto one or two directions (for a labelled scatter)."""
    found, missing = require(space, words, "word list to project")
    df = pd.DataFrame({"word": found, "x": projection(space, found, x).astype(np.float32)})
    if y is not None:
        df["y"] = projection(space, found, y).astype(np.float32)
        cos = float(x.vector @ y.vector)
        df.attrs["axes_cosine"] = cos
    return ProjectionTable(df, missing, x, y)


def to_axes_projection(x: Direction, y: Direction | None = None):
    """The Map's :class:`~embedlab.projection.estimators.AxesProjection` on these directions.

    Coordinates are the same cosines as :func:`project_words`; without ``y`` the map fills the y axis with
    the first principal component of what remains.
    """
    from embedlab.projection.estimators import AxesProjection

    return AxesProjection(x=np.asarray(x.vector, np.float32),
                          y=None if y is None else np.asarray(y.vector, np.float32))

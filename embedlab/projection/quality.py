"""How much a map distorts: trustworthiness (are map neighbours also neighbours in the original space?)."""

from __future__ import annotations

import numpy as np

from embedlab.errors import DimensionError
from embedlab.space import EmbeddingSpace


def _sample_rows(n: int, max_points: int, random_state: int) -> np.ndarray | None:
    if n <= max_points:
        return None
    return np.sort(np.random.default_rng(random_state).choice(n, size=max_points, replace=False))


def trustworthiness(X: EmbeddingSpace | np.ndarray, Y: np.ndarray, n_neighbors: int = 10,
                    max_points: int = 5000, random_state: int = 0) -> float:
    """Trustworthiness in [0, 1] of the map ``Y`` of ``X`` (scikit-learn's definition; 1 = no intruders).

    ``X`` may be a space (its unit-normalised vectors are used, so distances follow cosine) or an array.
    Past ``max_points`` rows the score is computed on a random subsample of ``max_points`` rows (seeded
    by ``random_state``; see :func:`trustworthiness_note` for the sentence to show). ``n_neighbors`` is
    lowered to ``(n - 1) // 2`` for tiny inputs, as scikit-learn requires.
    """
    from sklearn.manifold import trustworthiness as sk_trust

    x = X.normed if isinstance(X, EmbeddingSpace) else np.asarray(X, dtype=np.float32)
    y = np.asarray(Y, dtype=np.float32)
    if len(x) != len(y):
        raise DimensionError(f"The map has {len(y):,} points but the space has {len(x):,}; they must match.")
    rows = _sample_rows(len(x), int(max_points), random_state)
    if rows is not None:
        x, y = x[rows], y[rows]
    k = max(1, min(int(n_neighbors), (len(x) - 1) // 2))
    if len(x) < 4:
        return 1.0
    return float(sk_trust(x, y, n_neighbors=k))


def trustworthiness_note(n: int, n_neighbors: int = 10, max_points: int = 5000) -> str:
    """One sentence saying what the trustworthiness figure was computed on."""
    k = max(1, min(int(n_neighbors), (n - 1) // 2))
    base = f"Trustworthiness with {k} neighbours (1.0 = every map neighbour is a true neighbour)"
    if n > max_points:
        return f"{base}, computed on a random {max_points:,} of the {n:,} points."
    return f"{base}, computed on all {n:,} points."

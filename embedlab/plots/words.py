"""Small labelled word plots: a handful of words flattened to 2-D with PCA (the Home example, a word's
neighbourhood on the Neighbours page)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from embedlab.linalg import pca_2d
from embedlab.plots.style import (
    HIGHLIGHT,
    MARKER_QUERY,
    MARKER_WORD,
    POINT,
    house_layout,
    label_positions,
    literals,
    pad_for_labels,
)
from embedlab.space import EmbeddingSpace


def pca_words(space: EmbeddingSpace, words: Sequence[str]) -> np.ndarray:
    """2-D PCA coordinates (float32, (n, 2)) of a few words' unit vectors (:func:`embedlab.linalg.pca_2d`)."""
    return pca_2d(space.normed[space.indices(list(words))])


def labelled_scatter(words: Sequence[str], coords: np.ndarray, title: str = "", highlight: Sequence[str] = (),
                     scores: Sequence[float] | None = None, height: int = 380):
    """A Plotly scatter with every point labelled; ``highlight`` words drawn larger in red.

    Words and the title are shown literally (escaped): a key such as ``<b>x</b>`` appears as typed.
    """
    import plotly.graph_objects as go

    words = list(words)
    shown = literals(words)
    hi = np.array([w in set(highlight) for w in words])
    where = label_positions(coords, words, height=height, marker=MARKER_QUERY)
    hover = shown if scores is None else [f"{w}<br>score {s:.3f}" for w, s in zip(shown, scores, strict=True)]
    fig = go.Figure()
    for mask, colour, size, name in ((~hi, POINT, MARKER_WORD, "neighbours"),
                                     (hi, HIGHLIGHT, MARKER_QUERY, "query")):
        if mask.any():
            idx = np.flatnonzero(mask)
            fig.add_trace(go.Scatter(
                x=coords[idx, 0], y=coords[idx, 1], mode="markers+text", name=name,
                text=[shown[i] for i in idx], hovertext=[hover[i] for i in idx], hoverinfo="text",
                textposition=where[idx], marker={"size": size, "color": colour},
            ))
    house_layout(fig, title=title, height=height)
    fig.update_layout(
        showlegend=False, margin={"t": 40},
        xaxis={"showticklabels": False, "title": "", "zeroline": False},
        yaxis={"showticklabels": False, "title": "", "zeroline": False},
    )
    pad_for_labels(fig, coords)
    return fig

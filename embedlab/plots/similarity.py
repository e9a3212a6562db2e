"""Similarity matrices as heatmaps (sentences, occurrences of a word): labels shown literally."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from embedlab.plots.style import DIVERGING, SEQUENTIAL, house_layout, literals


def similarity_heatmap(z: np.ndarray, labels: Sequence[str], zmin: float = -1.0, zmax: float = 1.0,
                       height: int = 560, diverging: bool = False):
    """A cosine heatmap with ``labels`` on both axes (escaped: they are user data).

    ``diverging`` uses the red-blue scale centred on 0 (cosines in [-1, 1]); otherwise the sequential one.
    """
    import plotly.graph_objects as go

    shown = list(literals(labels))
    scale = {"colorscale": DIVERGING, "reversescale": True} if diverging else {"colorscale": SEQUENTIAL}
    fig = go.Figure(go.Heatmap(z=np.asarray(z, np.float32), x=shown, y=shown, zmin=zmin, zmax=zmax,
                               colorbar={"title": "cosine"}, **scale))
    return house_layout(fig, height=height)

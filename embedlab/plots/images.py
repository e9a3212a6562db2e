"""The thumbnail map of an image space: one point per image (SVG, or WebGL past 2,000) and up to
``max_images`` pictures drawn on it (Plotly ``layout.images``), chosen by
:func:`embedlab.images.thumbs.spread_selection`."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from embedlab.images.thumbs import MAX_DRAWN, spread_selection
from embedlab.plots.maps import group_trace
from embedlab.plots.style import MARKER, house_layout, literal, scatter_type


def _hover(key: str, lines: str | Sequence[str] | None) -> str:
    """Hover text: the key, then extra lines (``"predicted: cat"``), each escaped, joined by ``<br>``."""
    extra = [] if lines is None else [lines] if isinstance(lines, str) else list(lines)
    return "<br>".join(literal(x) for x in [key, *extra] if x)


def thumbnail_map(xy: np.ndarray, keys: Sequence[str], thumbs: Sequence[str],
                  groups: Sequence[str] | None = None,
                  hover: Sequence[str | Sequence[str]] | None = None,
                  max_images: int = MAX_DRAWN, title: str = ""):
    """A Plotly figure: one point per image (SVG, or WebGL past 2,000) and up to ``max_images`` pictures
    drawn on the map.

    ``customdata`` of every point is its key, so a click selection names the image. ``hover`` gives extra
    hover lines per image (a string or a list of strings); keys, groups, hover lines and the title are
    shown literally (escaped). Returns ``(figure, n_drawn)``.
    """
    import plotly.graph_objects as go

    xy = np.asarray(xy, dtype=np.float32)
    span = np.ptp(xy, axis=0) if len(xy) else np.ones(2, np.float32)
    span[span == 0] = 1.0
    frac = 0.045  # thumbnail size as a fraction of each axis
    drawn = spread_selection((xy - xy.min(axis=0)) / span, max_images, min_dist=frac)
    groups = [str(g) for g in (groups if groups is not None else [""] * len(keys))]
    hover = [_hover(k, None if hover is None else hover[i]) for i, k in enumerate(keys)]
    fig = go.Figure()
    for g in sorted(set(groups)):
        rows = np.array([i for i, gg in enumerate(groups) if gg == g], dtype=np.int64)
        fig.add_trace(scatter_type(len(xy))(
            x=xy[rows, 0], y=xy[rows, 1], mode="markers", name=literal(g) if g else "images",
            marker={"size": MARKER + 2, "opacity": 0.8},
            customdata=np.array([keys[i] for i in rows], dtype=object),
            hovertext=[hover[i] for i in rows], hovertemplate="%{hovertext}<extra></extra>",
        ))
    names = group_trace(xy, groups) if any(groups) else None
    if names is not None:  # each cluster's name at its centre
        fig.add_trace(names)
    house_layout(fig, title=title or None, height=700)
    fig.update_layout(images=[
        {"source": thumbs[i], "xref": "x", "yref": "y", "x": float(xy[i, 0]), "y": float(xy[i, 1]),
         "sizex": frac * float(span[0]), "sizey": frac * float(span[1]), "xanchor": "center",
         "yanchor": "middle", "layer": "above", "sizing": "contain"}
        for i in drawn if thumbs[i]
    ], legend={"itemsizing": "constant", "orientation": "h", "y": -0.02, "yanchor": "top"}, dragmode="pan")
    fig.update_xaxes(showticklabels=False, zeroline=False)
    fig.update_yaxes(showticklabels=False, zeroline=False)
    return fig, len(drawn)

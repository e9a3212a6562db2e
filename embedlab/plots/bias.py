"""Plotly figures for the bias lab (labelled projections, before/after, WEAT associations, residual clusters).

Figures take the plain results of the other bias modules; no streamlit here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from embedlab.bias.directions import Direction
from embedlab.plots.style import (
    BLUE,
    DIVERGING,
    GREY,
    MARKER,
    ORANGE,
    house_layout,
    literal,
    literals,
    scatter_type,
)


def _go():
    import plotly.graph_objects as go

    return go


def projection_figure(frame: pd.DataFrame, x: Direction, y: Direction | None = None, title: str = "",
                      color: np.ndarray | None = None):
    """Labelled scatter of words on one (strip) or two directions; ``frame`` from ``project_words``."""
    go = _go()
    xs = frame["x"].to_numpy(np.float32)
    ys = frame["y"].to_numpy(np.float32) if y is not None else np.zeros(len(frame), np.float32)
    marker = {"size": MARKER + 2, "color": xs if color is None else np.asarray(color, np.float32),
              "colorscale": DIVERGING, "cmid": 0.0, "showscale": False}
    mode = "markers+text" if len(frame) <= 150 else "markers"
    fig = go.Figure(scatter_type(len(frame))(
        x=xs, y=ys, mode=mode, text=literals(frame["word"]), textposition="top center", marker=marker,
        hovertemplate="%{text}<br>x=%{x:.3f}<br>y=%{y:.3f}<extra></extra>"))
    fig.add_vline(x=0.0, line_dash="dot", line_color=GREY)
    house_layout(fig, title=title, height=520)
    fig.update_layout(xaxis_title=literal(f"cos with {x.label}"),
                      yaxis_title=literal(f"cos with {y.label}") if y else "")
    if y is None:
        fig.update_yaxes(visible=False)
    return fig


def before_after_figure(frame: pd.DataFrame, direction: Direction, title: str = "Before and after debiasing"):
    """Each word's cosine with the direction before (grey) and after (orange); ``frame`` from before_after."""
    go = _go()
    f = frame.sort_values("before").reset_index(drop=True)
    rows = np.arange(len(f), dtype=np.float32)
    fig = go.Figure()
    trace = scatter_type(2 * len(f))
    fig.add_trace(trace(x=f["before"].to_numpy(np.float32), y=rows, mode="markers", name="before",
                               marker={"color": GREY, "size": MARKER + 2}, text=literals(f["word"]),
                               hovertemplate="%{text}: %{x:.3f}<extra>before</extra>"))
    fig.add_trace(trace(x=f["after"].to_numpy(np.float32), y=rows, mode="markers+text", name="after",
                               marker={"color": ORANGE, "size": MARKER + 2}, text=literals(f["word"]),
                               textposition="middle right",
                               hovertemplate="%{text}: %{x:.3f}<extra>after</extra>"))
    fig.add_vline(x=0.0, line_dash="dot", line_color=GREY)
    house_layout(fig, title=title, height=max(400, 14 * len(f)))
    fig.update_layout(xaxis_title=literal(f"cos with {direction.label}"))
    fig.update_yaxes(visible=False)
    return fig


def weat_figure(assoc: pd.DataFrame, names: tuple[str, ...], title: str = ""):
    """s(w, A, B) of each target word, one row per target list."""
    go = _go()
    fig = go.Figure()
    for name, color in zip(names[:2], (BLUE, ORANGE), strict=True):
        part = assoc[assoc["list"] == name]
        fig.add_trace(go.Scatter(x=part["association"].to_numpy(np.float32), y=[literal(name)] * len(part),
                                 mode="markers", name=literal(name), text=literals(part["word"]),
                                 marker={"color": color, "size": MARKER * 2, "opacity": 0.7},
                                 hovertemplate="%{text}: %{x:.3f}<extra></extra>"))
    fig.add_vline(x=0.0, line_dash="dot", line_color=GREY)
    house_layout(fig, title=title, height=260)
    fig.update_layout(xaxis_title=literal(f"s(w, A, B): closer to {names[2]} (right) or {names[3]} (left)"))
    return fig


def cluster_figure(frame: pd.DataFrame, title: str = ""):
    """The most biased words after debiasing (2-D PCA), coloured by their ORIGINAL lean, shaped by cluster."""
    go = _go()
    fig = go.Figure()
    groups = ((1, "originally male-leaning", BLUE), (0, "originally female-leaning", ORANGE))
    for lean, name, color in groups:
        part = frame[frame["lean"] == lean]
        fig.add_trace(scatter_type(len(frame))(
            x=part["pc1"].to_numpy(np.float32), y=part["pc2"].to_numpy(np.float32), mode="markers", name=name,
            text=literals(part["word"]), marker={"color": color, "size": MARKER + 1, "opacity": 0.7,
                                                "symbol": np.where(part["cluster"] == 0, 0, 1)},
            hovertemplate="%{text}<extra></extra>"))
    house_layout(fig, title=title, height=480)
    fig.update_layout(xaxis_title="PC1 (debiased vectors)", yaxis_title="PC2")
    return fig

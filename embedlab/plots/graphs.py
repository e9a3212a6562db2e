"""Figures of the Graphs page: the network (force layout) and the node embedding's map, with the same
colours per label/community and the same highlighted node (its graph neighbours ringed on the left, its
embedding neighbours ringed on the right).

Every node id and label is user data: it goes into figure text through :func:`style.literal`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from embedlab.plots import style
from embedlab.plots.maps import group_trace

MAX_LEGEND = 9  # categories with their own colour; the rest are "other"


def label_colours(labels: Sequence[str]) -> dict[str, str]:
    """Colour of each category: the most frequent ones get the qualitative palette, the rest grey."""
    counts = Counter(str(x) for x in labels)
    ordered = sorted(counts, key=lambda k: (-counts[k], k))
    colours = {k: style.QUALITATIVE[i % len(style.QUALITATIVE)] for i, k in enumerate(ordered[:MAX_LEGEND])}
    for k in ordered[MAX_LEGEND:]:
        colours[k] = style.LIGHT_GREY
    return colours


def _category_traces(xy: np.ndarray, keys: np.ndarray, labels: np.ndarray, colours: dict[str, str],
                     size: float, trace) -> list:
    traces = []
    groups: dict[str, list[int]] = {}
    for i, lab in enumerate(labels):
        name = lab if colours.get(lab) != style.LIGHT_GREY else "other"
        groups.setdefault(name, []).append(i)
    for name in sorted(groups, key=lambda g: (g == "other", -len(groups[g]), g)):
        idx = np.asarray(groups[name])
        colour = style.LIGHT_GREY if name == "other" else colours[name]
        hover = [f"{style.literal(keys[i])}<br>{style.literal(labels[i])}" for i in idx]
        traces.append(trace(
            x=xy[idx, 0], y=xy[idx, 1], mode="markers", name=style.literal(name or "(no label)"),
            marker={"size": size, "color": colour, "line": {"width": 0.5, "color": "white"}},
            hovertext=hover, hoverinfo="text", customdata=np.asarray(keys)[idx].astype(str)))
    return traces


def _highlight_traces(xy: np.ndarray, keys: np.ndarray, selected: str | None, ringed: Sequence[str],
                      ring_name: str, trace) -> list:
    if selected is None:
        return []
    pos = {k: i for i, k in enumerate(keys)}
    out = []
    ring = [pos[k] for k in ringed if k in pos]
    if ring:
        out.append(trace(
            x=xy[ring, 0], y=xy[ring, 1], mode="markers", name=style.literal(ring_name),
            marker={"size": style.MARKER_HIGHLIGHT + 4, "color": "rgba(0,0,0,0)",
                    "line": {"width": 2, "color": style.HIGHLIGHT}},
            hovertext=style.literals(np.asarray(keys)[ring]), hoverinfo="text",
            customdata=np.asarray(keys)[ring].astype(str)))
    if selected in pos:
        i = pos[selected]
        out.append(trace(
            x=[xy[i, 0]], y=[xy[i, 1]], mode="markers+text", name=style.literal(selected),
            text=[style.literal(selected)], textposition="top center",
            marker={"size": style.MARKER_HIGHLIGHT + 6, "color": style.HIGHLIGHT, "symbol": "star"},
            hoverinfo="text", hovertext=[style.literal(selected)], customdata=[str(selected)]))
    return out


def _named(fig: go.Figure, xy: np.ndarray, labels: np.ndarray) -> go.Figure:
    """Each group's name (its label or community, and its best-connected nodes) at the group's centre."""
    names = group_trace(xy, labels, MAX_LEGEND)
    if names is not None:
        fig.add_trace(names)
    return fig


def _frame(fig: go.Figure, title: str, height: int) -> go.Figure:
    style.house_layout(fig, title=title, height=height)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(legend={"itemsizing": "constant", "orientation": "h", "yanchor": "top", "y": -0.02,
                              "xanchor": "left", "x": 0}, clickmode="event+select", dragmode="pan")
    return fig


def network_figure(xy: np.ndarray, keys: Sequence[str], labels: Sequence[str], edges: np.ndarray,
                   colours: dict[str, str], selected: str | None = None,
                   graph_neighbours: Sequence[str] = (), title: str = "Network", height: int = 520
                   ) -> go.Figure:
    """The drawn nodes at ``xy`` (force layout) with ``edges`` (pairs of positions into ``xy``)."""
    xy = np.asarray(xy, dtype=np.float32)
    keys = np.asarray(keys, dtype=object).astype(str)
    labels = np.asarray(labels, dtype=object).astype(str)
    edges = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    ex = np.full(3 * len(edges), np.nan, dtype=np.float32)
    ey = ex.copy()
    ex[0::3], ex[1::3] = xy[edges[:, 0], 0], xy[edges[:, 1], 0]
    ey[0::3], ey[1::3] = xy[edges[:, 0], 1], xy[edges[:, 1], 1]
    width = 1.0 if len(edges) < 1000 else 0.4
    trace = style.scatter_type(len(keys) + 2 * len(edges))
    fig = go.Figure([trace(x=ex, y=ey, mode="lines", line={"width": width, "color": "#bbbbbb"},
                                  hoverinfo="skip", showlegend=False, name="edges")])
    size = style.MARKER_WORD if len(keys) <= 300 else style.MARKER
    for tr in _category_traces(xy, keys, labels, colours, size, trace):
        fig.add_trace(tr)
    for tr in _highlight_traces(xy, keys, selected, graph_neighbours, "graph neighbours", trace):
        fig.add_trace(tr)
    return _frame(_named(fig, xy, labels), title, height)


def embedding_figure(xy: np.ndarray, keys: Sequence[str], labels: Sequence[str], colours: dict[str, str],
                     selected: str | None = None, embedding_neighbours: Sequence[str] = (),
                     title: str = "Embedding map", height: int = 520) -> go.Figure:
    """The node vectors projected to 2-D, coloured like :func:`network_figure`."""
    xy = np.asarray(xy, dtype=np.float32)
    keys = np.asarray(keys, dtype=object).astype(str)
    labels = np.asarray(labels, dtype=object).astype(str)
    fig, trace = go.Figure(), style.scatter_type(len(keys))
    size = style.MARKER_WORD if len(keys) <= 300 else style.MARKER
    for tr in _category_traces(xy, keys, labels, colours, size, trace):
        fig.add_trace(tr)
    for tr in _highlight_traces(xy, keys, selected, embedding_neighbours, "embedding neighbours", trace):
        fig.add_trace(tr)
    return _frame(_named(fig, xy, labels), title, height)

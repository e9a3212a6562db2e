"""The house style of every embedlab figure: colours, fonts, sizes, label padding, presenter mode, and
how user data goes into figure text.

Plotly renders a little HTML inside text (``<b>``, ``<i>``, ``<a href>``, ``<br>``), so a word such as
``<a href=...>`` would become a live link. Every user-supplied string (keys, labels, file names, titles
built from them) passes through :func:`literal` before it becomes ``text``, ``hovertext``, a legend
name, an axis or a figure title.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np

# colours (colour-blind-safe Tableau 10 order)
BLUE = "#1f77b4"
ORANGE = "#ff7f0e"
RED = "#d62728"
GREEN = "#2ca02c"
GREY = "#888888"
LIGHT_GREY = "#aaaaaa"
POINT = "#4c78a8"  # default point colour
BLACK = "#000000"
DIVERGING = "RdBu"  # signed values around 0 (bias, cosine)
SEQUENTIAL = "Viridis"  # values on one scale (rank, similarity)
HIGHLIGHT = RED
QUALITATIVE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
               "#bcbd22", "#17becf"]
TEMPLATE = "plotly_white"  # the look; :func:`house_template` is what figures carry

# sizes (normal, presenter): markers, label text, titles
MARKER = 5
MARKER_WORD = 9
MARKER_HIGHLIGHT = 11
MARKER_QUERY = 14  # the query words of a small word plot
MARKER_STAR = 22  # one special point (the static vector among contextual ones)
LABEL_FONT_BIG = 15  # the four words of an analogy
LABEL_FONT = 12
TITLE_FONT = 16
PRESENTER_SCALE = 1.6

# up to this many points (or line vertices) a 2-D scatter is SVG; past it, WebGL (see :func:`scatter_type`)
SVG_MAX_POINTS = 2_000


def literal(text) -> str:
    """``text`` as Plotly shows it literally: ``<``, ``>`` and ``&`` escaped so no markup renders."""
    return html.escape(str(text), quote=False)


def literal_in_template(text) -> str:
    """:func:`literal`, also safe inside a ``hovertemplate`` (``%{...}`` there would be substituted)."""
    return literal(text).replace("%", "&#37;")


def literals(texts: Iterable) -> np.ndarray:
    """:func:`literal` of each item, as a numpy array of str (for ``text`` / ``hovertext`` arrays)."""
    return np.asarray([literal(t) for t in texts], dtype=object).astype(str)


# room pad_for_labels adds around a labelled cloud, as fractions of its extent (x, y): low side, high side
_PAD_LOW, _PAD_HIGH = np.array([0.2, 0.06]), np.array([0.2, 0.10])
LABEL_POSITIONS = ("top center", "bottom center", "middle right", "middle left", "top right", "top left",
                   "bottom right", "bottom left")
# label box corner relative to its point: x0 = x + ax * width + gx * gap, y0 = y + ay * height + gy * gap
_LABEL_OFFSETS = {  # position: (ax, gx, ay, gy)
    "top center": (-0.5, 0, 0, 1), "bottom center": (-0.5, 0, -1, -1),
    "middle right": (0, 1, -0.5, 0), "middle left": (-1, -1, -0.5, 0),
    "top right": (0, 0.7, 0, 0.7), "top left": (-1, -0.7, 0, 0.7),
    "bottom right": (0, 0.7, -1, -0.7), "bottom left": (-1, -0.7, -1, -0.7),
}


def label_positions(coords: np.ndarray, texts: Sequence[str], height: int = 620, width: int = 700,
                    font: int = LABEL_FONT, marker: float = MARKER_WORD) -> np.ndarray:
    """A Plotly ``textposition`` per point that keeps text labels off each other and off the points.

    Greedy: the most crowded points choose first, each taking the side (of eight) whose label box overlaps
    the boxes already placed, the other points and the frame least; ties keep "top center". Boxes are
    estimated in pixels for a plot about ``width`` x ``height`` with the axes :func:`pad_for_labels` sets.
    Returns an array of position names, one per row of ``coords``.
    """
    xy = np.asarray(coords, dtype=np.float64)[:, :2]
    n = len(xy)
    out = np.full(n, LABEL_POSITIONS[0], dtype=object)
    if n < 2:
        return out
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    span = np.maximum(hi - lo, 1e-9)
    lo, span = lo - _PAD_LOW * span, span * (1 + _PAD_LOW + _PAD_HIGH)  # the axes pad_for_labels sets
    px = (xy - lo) / span * [width - 80, height - 120]
    w = np.array([0.6 * font * len(str(t)) for t in texts], dtype=np.float64)
    h, r = 1.3 * font, marker / 2 + 2
    dots = np.concatenate([px - r, px + r], axis=1)  # (x0, y0, x1, y1) of every point

    def box(i: int, pos: str) -> np.ndarray:
        ax, gx, ay, gy = _LABEL_OFFSETS[pos]
        x0, y0 = px[i, 0] + ax * w[i] + gx * r, px[i, 1] + ay * h + gy * r
        return np.array([x0, y0, x0 + w[i], y0 + h])

    def overlap(b: np.ndarray, others: np.ndarray) -> float:
        if not len(others):
            return 0.0
        dx = np.minimum(b[2], others[:, 2]) - np.maximum(b[0], others[:, 0])
        dy = np.minimum(b[3], others[:, 3]) - np.maximum(b[1], others[:, 1])
        return float(np.sum(np.clip(dx, 0, None) * np.clip(dy, 0, None)))

    near = np.abs(px[:, None, :] - px[None, :, :])
    crowd = ((near[..., 0] < w[:, None]) & (near[..., 1] < 2 * h)).sum(axis=1)
    placed = np.empty((0, 4))
    frame = np.array([0.0, 0.0, width - 80.0, height - 120.0])
    for i in np.argsort(-crowd, kind="stable"):
        best, best_cost = LABEL_POSITIONS[0], np.inf
        for k, pos in enumerate(LABEL_POSITIONS):
            b = box(i, pos)
            outside = w[i] * h - overlap(b, frame[None, :])
            cost = overlap(b, placed) + overlap(b, np.delete(dots, i, axis=0)) + 2 * outside + 0.01 * k
            if cost < best_cost:
                best, best_cost = pos, cost
        out[i] = best
        placed = np.vstack([placed, box(i, best)])
    return out


def pad_for_labels(fig, coords: np.ndarray) -> None:
    """Widen the axes so text labels at the edge of a 2-D cloud are not clipped."""
    coords = np.asarray(coords, dtype=np.float64)
    if coords.ndim != 2 or len(coords) == 0:
        return
    lo, hi = coords[:, :2].min(axis=0), coords[:, :2].max(axis=0)
    span = np.maximum(hi - lo, 1e-6)
    low, high = lo - _PAD_LOW * span, hi + _PAD_HIGH * span
    fig.update_xaxes(range=[low[0], high[0]])
    fig.update_yaxes(range=[low[1], high[1]])


def scatter_type(n_points: int):
    """The 2-D scatter trace class for a figure of ``n_points`` points: ``go.Scatter`` (SVG) up to
    :data:`SVG_MAX_POINTS`, ``go.Scattergl`` (WebGL) past it.

    SVG needs no WebGL context: a page opens with less work on machines without a GPU (WebGL is then
    emulated on the CPU, 0.2-0.4 CPU s a plot in Chromium), browsers limit how many WebGL contexts a page
    may hold, and SVG points print and export crisply. WebGL keeps maps of thousands of points fluid. Both
    take the same arguments and report selections the same way.
    """
    import plotly.graph_objects as go

    return go.Scatter if int(n_points) <= SVG_MAX_POINTS else go.Scattergl


@lru_cache(maxsize=1)
def house_template():
    """The layout part of :data:`TEMPLATE` as a template of its own.

    Plotly copies a template into every figure it is applied to; plotly_white's per-trace-type defaults
    (which embedlab's traces set themselves) make that copy 9-10 ms a figure and 7 KB of JSON to every
    browser. The layout part alone (background, grid, colourway, colour scales, 3-D scene) costs a third.
    """
    import plotly.graph_objects as go
    import plotly.io as pio

    return go.layout.Template(layout=pio.templates[TEMPLATE].layout)


def house_layout(fig, title: str | None = None, height: int | None = None, presenter: bool = False):
    """Apply the house template, margins and (in presenter mode) larger fonts and markers; returns ``fig``.

    ``title`` is taken as literal text (escaped here).
    """
    scale = PRESENTER_SCALE if presenter else 1.0
    layout = {"template": house_template(), "font": {"size": round(LABEL_FONT * scale)},
              "margin": {"l": 10, "r": 10, "t": 50 if title else 10, "b": 10}}
    if title is not None:
        layout["title"] = {"text": literal(title), "font": {"size": round(TITLE_FONT * scale)}}
    if height is not None:
        layout["height"] = int(height * (1.15 if presenter else 1.0))
    fig.update_layout(**layout)
    if presenter:
        enlarge(fig, scale)
    return fig


def enlarge(fig, scale: float = PRESENTER_SCALE):
    """Scale marker and text sizes of every trace (presenter mode: readable on a projector)."""
    for tr in fig.data:
        marker = getattr(tr, "marker", None)
        if marker is not None and isinstance(marker.size, (int, float)):
            marker.size = marker.size * scale
        tf = getattr(tr, "textfont", None)
        if tf is not None:
            tf.size = (tf.size or LABEL_FONT) * scale
    return fig

"""The house style of every embedlab figure: colours, fonts, sizes, label padding, presenter mode, and
how user data goes into figure text.

Plotly renders a little HTML inside text (``<b>``, ``<i>``, ``<a href>``, ``<br>``), so a word such as
``<a href=...>`` would become a live link. Every user-supplied string (keys, labels, file names, titles
built from them) passes through :func:`literal` before it becomes ``text``, ``hovertext``, a legend
name, an axis or a figure title.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
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


def pad_for_labels(fig, coords: np.ndarray) -> None:
    """Widen the axes so text labels at the edge of a 2-D cloud are not clipped."""
    coords = np.asarray(coords, dtype=np.float64)
    if coords.ndim != 2 or len(coords) == 0:
        return
    lo, hi = coords[:, :2].min(axis=0), coords[:, :2].max(axis=0)
    span = np.maximum(hi - lo, 1e-6)
    fig.update_xaxes(range=[lo[0] - 0.2 * span[0], hi[0] + 0.2 * span[0]])
    fig.update_yaxes(range=[lo[1] - 0.06 * span[1], hi[1] + 0.10 * span[1]])


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

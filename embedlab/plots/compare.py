"""Figures of the Compare page: words traced from one space (or slice) to the next, and shift histograms.

Input is :func:`embedlab.compare.trace_points`'s table (one PCA plane for every point). Every word and
label goes through :func:`~embedlab.plots.style.literal`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from embedlab.plots.style import (
    GREY,
    LABEL_FONT,
    LIGHT_GREY,
    MARKER,
    MARKER_WORD,
    QUALITATIVE,
    house_layout,
    literal,
    literals,
    pad_for_labels,
)


def trace_figure(points: pd.DataFrame, title: str | None = None, presenter: bool = False, height: int = 520):
    """Each chosen word's positions across spaces joined by arrows (the HistWords "closest over time" view).

    Neighbours are grey labels named "word (slice)"; the word itself is a coloured marker per step,
    labelled with the slice, and arrows run from each step to the next.
    """
    import plotly.graph_objects as go

    fig = go.Figure()
    nb = points[points["role"] == "neighbour"].drop_duplicates(["label", "slice", "x", "y"])
    if len(nb):
        fig.add_trace(go.Scatter(
            x=nb["x"].to_numpy(np.float32), y=nb["y"].to_numpy(np.float32), mode="markers+text",
            text=literals(nb["label"]), textposition="top center", name="neighbours",
            textfont={"color": GREY, "size": LABEL_FONT - 1}, marker={"size": MARKER, "color": LIGHT_GREY},
            hovertext=literals(f"{lab} — neighbour of {w} in {s}" for lab, w, s in
                               zip(nb["label"], nb["word"], nb["slice"], strict=True)),
            hoverinfo="text"))
    words = points[points["role"] == "word"]
    for i, (word, grp) in enumerate(words.groupby("word", sort=False)):
        grp = grp.sort_values("step")
        colour = QUALITATIVE[i % len(QUALITATIVE)]
        xs, ys = grp["x"].to_numpy(np.float32), grp["y"].to_numpy(np.float32)
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="markers+text", name=literal(word),
            marker={"size": MARKER_WORD + 3, "color": colour},
            text=literals(f"{word} ({s})" for s in grp["slice"]), textposition="bottom center",
            textfont={"color": colour, "size": LABEL_FONT + 1}, hoverinfo="text",
            hovertext=literals(f"{word} in {s}" for s in grp["slice"])))
        for j in range(len(xs) - 1):
            fig.add_annotation(x=float(xs[j + 1]), y=float(ys[j + 1]), ax=float(xs[j]), ay=float(ys[j]),
                               xref="x", yref="y", axref="x", ayref="y", showarrow=True, arrowhead=3,
                               arrowsize=1.5, arrowwidth=2, arrowcolor=colour, opacity=0.8, text="")
    pad_for_labels(fig, points[["x", "y"]].to_numpy())
    fig.update_xaxes(showticklabels=False, title=None, zeroline=False)
    fig.update_yaxes(showticklabels=False, title=None, zeroline=False)
    fig.update_layout(legend={"orientation": "h", "y": -0.05})
    return house_layout(fig, title, height, presenter)


def shift_histogram(cosines: np.ndarray, marked: dict[str, float] | None = None, title: str | None = None,
                    presenter: bool = False, height: int = 260):
    """Distribution of cosine similarity after alignment over the shared keys; ``marked`` words as lines."""
    import plotly.graph_objects as go

    fig = go.Figure(go.Histogram(x=np.asarray(cosines, np.float32), nbinsx=60,
                                 marker={"color": QUALITATIVE[0]}, name="shared keys"))
    for i, (word, value) in enumerate((marked or {}).items()):
        fig.add_vline(x=float(value), line={"color": QUALITATIVE[(i + 1) % len(QUALITATIVE)], "dash": "dot"},
                      annotation_text=literal(word), annotation_position="top")
    fig.update_layout(xaxis_title="cosine after alignment (1 = did not move)", yaxis_title="keys",
                      showlegend=False)
    return house_layout(fig, title, height, presenter)

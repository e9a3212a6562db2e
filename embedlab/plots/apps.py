"""Figures of the applications (no streamlit): learning curve, confusion matrix, probes, one-hot vs dense.

Every user-supplied string (class labels, words, feature names of user spaces) goes through
:func:`~embedlab.plots.style.literal`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from embedlab.plots.style import GREY, LIGHT_GREY, QUALITATIVE, house_layout, literal, literals


def learning_curve_figure(rows: Sequence[dict], chance: float | None = None, title: str | None = None):
    """Accuracy against training examples per class: one line per feature kind, bars = spread (± 1 sd),
    shaded band = min..max over the repeated splits."""
    import plotly.graph_objects as go

    fig = go.Figure()
    names = list(dict.fromkeys(r["features"] for r in rows))
    for i, name in enumerate(names):
        rs = sorted((r for r in rows if r["features"] == name), key=lambda r: r["per_class"])
        x = np.array([r["per_class"] for r in rs], dtype=np.float64)
        colour = QUALITATIVE[i % len(QUALITATIVE)]
        fig.add_trace(
            go.Scatter(
                x=np.concatenate([x, x[::-1]]),
                y=np.concatenate([[r["accuracy_max"] for r in rs], [r["accuracy_min"] for r in rs][::-1]]),
                fill="toself",
                fillcolor=colour,
                opacity=0.12,
                line={"width": 0},
                hoverinfo="skip",
                showlegend=False,
            )
        )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=[r["accuracy"] for r in rs],
                mode="lines+markers",
                name=literal(rs[0].get("label", name)),
                line={"color": colour, "width": 3},
                marker={"size": 8},
                error_y={"type": "data", "array": [r["accuracy_std"] for r in rs], "visible": True},
                hovertemplate="%{x} per class: %{y:.3f}<extra>"
                + literal(rs[0].get("label", name))
                + "</extra>",
            )
        )
    if chance is not None:
        fig.add_hline(
            y=chance,
            line={"color": GREY, "dash": "dot"},
            annotation_text="majority class",
            annotation_position="bottom right",
        )
    fig.update_xaxes(
        type="log",
        title="training examples per class (log scale)",
        tickvals=sorted({r["per_class"] for r in rows}),
    )
    lows = [r["accuracy_min"] - r["accuracy_std"] for r in rows] + ([chance] if chance is not None else [])
    floor = max(0.0, np.floor((min(lows, default=0.0) - 0.05) * 10) / 10)
    fig.update_yaxes(title="held-out accuracy", range=[floor, 1.0])
    fig.update_layout(legend={"orientation": "h", "y": -0.25})
    return house_layout(fig, title, height=420)


def confusion_figure(classes: Sequence[str], matrix: np.ndarray, title: str | None = None):
    """Confusion matrix heatmap: rows = true class, columns = predicted, cell text = count."""
    import plotly.graph_objects as go

    labels = list(literals(classes))
    m = np.asarray(matrix)
    fig = go.Figure(
        go.Heatmap(
            z=m,
            x=labels,
            y=labels,
            colorscale="Blues",
            text=m.astype(str),
            texttemplate="%{text}",
            showscale=False,
            hovertemplate="true %{y}, predicted %{x}: %{z}<extra></extra>",
        )
    )
    fig.update_yaxes(title="true", autorange="reversed", type="category")
    fig.update_xaxes(title="predicted", type="category")
    return house_layout(fig, title, height=120 + 40 * len(labels))


def probe_figure(rows: Sequence[dict], title: str | None = None):
    """Held-out accuracy of each probe next to its shuffled-label baseline (± 1 sd over the shuffles)."""
    import plotly.graph_objects as go

    tasks = [literal(r["title"]) for r in rows]
    fig = go.Figure(
        [
            go.Bar(
                x=tasks,
                y=[r["accuracy"] for r in rows],
                name="probe (real labels)",
                marker_color=QUALITATIVE[0],
                text=[f"{r['accuracy']:.2f}" for r in rows],
                textposition="inside",
            ),
            go.Bar(
                x=tasks,
                y=[r["baseline"] for r in rows],
                name="same probe, shuffled labels",
                marker_color=LIGHT_GREY,
                error_y={"type": "data", "array": [r["baseline_std"] for r in rows]},
                text=[f"{r['baseline']:.2f}" for r in rows],
                textposition="inside",
            ),
        ]
    )
    fig.update_yaxes(title="held-out accuracy", range=[0, 1.1])
    fig.update_layout(barmode="group", legend={"orientation": "h", "y": -0.2})
    return house_layout(fig, title, height=380)


def direction_figure(
    words: Sequence[str], scores: Sequence[float], classes: Sequence[str], title: str | None = None
):
    """Words on the probe's learned direction (negative = ``classes[0]``, positive = ``classes[1]``)."""
    import plotly.graph_objects as go

    s = np.asarray(scores, dtype=np.float64)
    order = np.argsort(s)
    labels = literals([words[i] for i in order])
    colours = [QUALITATIVE[1] if s[i] > 0 else QUALITATIVE[0] for i in order]
    fig = go.Figure(
        go.Bar(
            x=s[order],
            y=labels,
            orientation="h",
            marker_color=colours,
            hovertemplate="%{y}: %{x:.3f}<extra></extra>",
        )
    )
    fig.add_vline(x=0, line={"color": GREY})
    fig.update_xaxes(
        title=f"← {literal(classes[0])}    projection on the learned direction    {literal(classes[1])} →"
    )
    fig.update_yaxes(type="category")
    return house_layout(fig, title, height=140 + 24 * len(s))


def cosine_pair_figure(words: Sequence[str], one_hot: np.ndarray, dense: np.ndarray, dense_name: str):
    """Two heatmaps of cosines among the same words: one-hot (identity: all pairs 0) and dense."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    labels = list(literals(words))
    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=("one-hot: every pair 0", literal(f"dense ({dense_name})")),
        horizontal_spacing=0.12,
    )
    for col, m in ((1, one_hot), (2, dense)):
        fig.add_trace(
            go.Heatmap(
                z=m,
                x=labels,
                y=labels,
                zmin=-1,
                zmax=1,
                colorscale="RdBu",
                reversescale=True,
                text=np.round(m, 2).astype(str),
                texttemplate="%{text}",
                showscale=col == 2,
                hovertemplate="%{y} · %{x}: %{z:.2f}<extra></extra>",
            ),
            row=1,
            col=col,
        )
        fig.update_yaxes(autorange="reversed", type="category", row=1, col=col)
        fig.update_xaxes(type="category", row=1, col=col)
    house_layout(fig, None, height=180 + 28 * len(labels))
    fig.update_layout(margin={"t": 40})  # room for the two subplot titles
    return fig

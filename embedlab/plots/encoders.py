"""Sentence encoders side by side (:func:`embedlab.textnets.compare.compare_encoders`): one grouped bar
chart."""

from __future__ import annotations

from collections.abc import Sequence

from embedlab.plots.style import QUALITATIVE, house_layout, literal

#: what the chart shows per encoder: row field -> bar label (each on a 0-1 scale, higher = more of it)
MEASURES = {
    "order": "sees word order (1 − role-swap cosine)",
    "gap": "paraphrase − unrelated cosine",
    "accuracy_10": "accuracy, 10 examples/class",
    "accuracy_all": "accuracy, all examples",
}


def _value(row: dict, measure: str) -> float | None:
    if measure == "order":
        return 1.0 - row["role_swaps"]
    return row.get(measure)


def comparison_figure(rows: Sequence[dict], title: str | None = None):
    """Grouped bars: for each encoder (``rows`` as :meth:`EncoderRow.as_dict` gives them, ``label`` on the
    axis), how much it sees word order, its paraphrase gap and its classification accuracy."""
    import plotly.graph_objects as go

    fig = go.Figure()
    labels = [literal(r.get("label") or r["encoder"]) for r in rows]
    for i, (measure, name) in enumerate(MEASURES.items()):
        values = [_value(r, measure) for r in rows]
        fig.add_trace(go.Bar(
            x=labels, y=values, name=name, marker_color=QUALITATIVE[i % len(QUALITATIVE)],
            text=["n/a" if v is None else f"{v:.2f}" for v in values], textposition="outside",
            hovertemplate="%{x}: %{y:.3f}<extra>" + name + "</extra>",
        ))
    fig.update_layout(barmode="group", yaxis={"title": "score (0-1)", "rangemode": "tozero"},
                      legend={"orientation": "h", "y": -0.25})
    return house_layout(fig, title or "Sentence encoders on the same inputs", height=480)

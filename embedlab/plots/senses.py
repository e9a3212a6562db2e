"""Figures of the Polysemy explorer: occurrences of one word at one layer, and sense separation by layer."""

from __future__ import annotations

import numpy as np

from embedlab.plots.similarity import similarity_heatmap
from embedlab.plots.style import BLACK, MARKER_STAR, house_layout, literal
from embedlab.senses import LayerMap, Polysemy


def occurrence_map(result: Polysemy, lm: LayerMap, layer: int):
    """Every occurrence of the word at ``layer`` (coloured by sense) plus the static vector's stand-in (★)."""
    import plotly.graph_objects as go

    from embedlab.plots.maps import scatter_map

    occ = result.vectors.occurrences
    word = result.vectors.word
    senses = np.asarray(result.senses if result.senses else ["unlabelled"] * len(occ), dtype=object)
    fig, _ = scatter_map(lm.coords, [f"#{i + 1}: {o.sentence}" for i, o in enumerate(occ)], color=senses,
                         color_name="sense", text_labels=False)
    fig.add_trace(go.Scatter(
        x=np.asarray([lm.centroid[0]], np.float32), y=np.asarray([lm.centroid[1]], np.float32),
        mode="markers+text", name=literal(f"static '{word}' (one vector for every sense)"),
        text=[literal(f"static '{word}'")], textposition="top center",
        marker={"symbol": "star", "size": MARKER_STAR, "color": BLACK}))
    house_layout(fig, title=f"'{word}' at layer {layer}{_named(result, layer)} — PCA keeps "
                 f"{lm.explained:.0%} of the variance",
                 height=480)
    fig.update_layout(margin={"t": 40}, legend={"orientation": "h", "y": -0.1})
    return fig


def _names(result: Polysemy) -> list[str]:
    """The encoder's layer names (ELMo: char-CNN, LSTM 1, LSTM 2, scalar mix), or none."""
    names = list(result.vectors.info.get("layer_names") or [])
    return names if len(names) == result.vectors.n_layers else []


def _named(result: Polysemy, layer: int) -> str:
    names = _names(result)
    return f" ({names[layer]})" if names else ""


def occurrence_similarity(result: Polysemy, sims: np.ndarray):
    """Cosine between occurrences, rows and columns grouped by sense."""
    order = np.argsort(np.asarray(result.senses or [""] * len(sims)), kind="stable")
    names = [f"#{i + 1} {result.senses[i] if result.senses else ''}".strip() for i in order]
    z = sims[np.ix_(order, order)]
    fig = similarity_heatmap(z, names, zmin=float(z.min()), height=460)
    house_layout(fig, title="Cosine between occurrences (grouped by sense)")
    return fig.update_layout(margin={"t": 30})


def layer_chart(result: Polysemy):
    """ARI (labelled senses) and cosine within / between senses, per layer."""
    import plotly.graph_objects as go

    x = np.asarray([s.layer for s in result.scores], np.float32)
    what = "sense" if result.senses else "cluster"
    lines = [("ari", "ARI (clusters vs senses)", None)] if result.senses else []
    lines += [("within", f"cosine within {what}", "dot"), ("between", f"cosine between {what}s", "dot")]
    fig = go.Figure()
    for col, name, dash in lines:
        y = np.asarray([getattr(s, col) for s in result.scores], np.float32)
        fig.add_trace(go.Scatter(x=x, y=y, name=name, mode="lines+markers", line={"dash": dash}))
    house_layout(fig, title="Which layers separate the senses?", height=340)
    fig.update_layout(margin={"t": 30}, xaxis_title="layer (0 = no context yet)")
    if _names(result):  # ELMo: name each layer on the axis
        fig.update_xaxes(tickvals=x, ticktext=_names(result))
    return fig

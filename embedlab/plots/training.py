"""Tables and Plotly figures of a training run (no Streamlit): neighbours, loss curve, snapshot animation."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from embedlab.plots.style import MARKER_QUERY, MARKER_WORD, house_layout, literal, literals, pad_for_labels
from embedlab.train.snapshot import Snapshot


def neighbours_table(snap: Snapshot) -> pd.DataFrame:
    """One column per watch word, its nearest neighbours ("word 0.71") down the rows."""
    cols = {w: [f"{n} {s:.2f}" for n, s in nbrs] for w, nbrs in snap.neighbours.items()}
    depth = max((len(v) for v in cols.values()), default=0)
    return pd.DataFrame({w: v + [""] * (depth - len(v)) for w, v in cols.items()})


def loss_chart(snaps: Sequence[Snapshot]):
    """Loss per epoch (line + markers)."""
    import plotly.graph_objects as go

    x = np.array([s.epoch for s in snaps], dtype=np.float32)
    y = np.array([s.loss for s in snaps], dtype=np.float32)
    fig = go.Figure(go.Scatter(x=x, y=y, mode="lines+markers", name="loss"))
    house_layout(fig, title="Training loss per epoch", height=220)
    fig.update_layout(margin={"t": 30}, xaxis_title="epoch", yaxis_title="loss")
    return fig


def encoder_loss_chart(points: Sequence, title: str = "Training loss"):
    """A sentence encoder's mean training loss against steps (``points``: objects or dicts with ``step``,
    ``epoch`` and ``loss``, as :class:`embedlab.textnets.training.LossPoint`)."""
    import plotly.graph_objects as go

    rows = [p if isinstance(p, dict) else vars(p) for p in points]
    x = np.array([r["step"] for r in rows], dtype=np.float32)
    y = np.array([r["loss"] for r in rows], dtype=np.float32)
    epochs = [r["epoch"] for r in rows]
    fig = go.Figure(go.Scatter(x=x, y=y, mode="lines+markers", name="loss", customdata=epochs,
                               hovertemplate="step %{x}, epoch %{customdata}: %{y:.3f}<extra></extra>"))
    house_layout(fig, title=title, height=260)
    fig.update_layout(margin={"t": 30}, xaxis_title="training step", yaxis_title="mean loss")
    return fig


def _frame_data(snap: Snapshot, groups: list[str]):
    import plotly.graph_objects as go

    traces = []
    for g in groups:
        idx = [i for i, gg in enumerate(snap.groups) if gg == g]
        xy = snap.coords[idx] if idx else np.zeros((0, 2), np.float32)
        labels = [snap.labels[i] for i in idx]
        sizes = np.array([MARKER_QUERY if lab == g else MARKER_WORD for lab in labels], dtype=np.float32)
        traces.append(go.Scatter(x=xy[:, 0].astype(np.float32), y=xy[:, 1].astype(np.float32),
                                 mode="markers+text", text=literals(labels), textposition="top center",
                                 name=literal(g), marker={"size": sizes}, ids=labels))
    return traces


def snapshot_animation(snaps: Sequence[Snapshot]):
    """The watch words and their neighbours in 2-D, one frame per epoch (aligned, press ▶ to play)."""
    import plotly.graph_objects as go

    groups = list(dict.fromkeys(g for s in snaps for g in s.groups))
    last = snaps[-1]
    fig = go.Figure(data=_frame_data(last, groups),
                    frames=[go.Frame(data=_frame_data(s, groups), name=str(s.epoch)) for s in snaps])
    allxy = np.vstack([s.coords for s in snaps if len(s.coords)] or [np.zeros((1, 2), np.float32)])
    steps = [dict(method="animate", label=str(s.epoch),
                  args=[[str(s.epoch)], dict(mode="immediate", frame=dict(duration=400, redraw=True))])
             for s in snaps]
    house_layout(fig, title=f"Watch words, epoch 1–{last.epoch}", height=420)
    pad_for_labels(fig, allxy)  # one frame of axes for every epoch
    fig.update_layout(
        margin={"t": 40, "b": 90}, xaxis={"showticklabels": False}, yaxis={"showticklabels": False},
        # Plotly's own arrangement: the button left of the slider, the "epoch N" label above the slider's
        # right end, so neither covers the other
        updatemenus=[dict(type="buttons", showactive=False, x=0.1, y=0, xanchor="right", yanchor="top",
                          pad={"t": 45, "r": 10},
                          buttons=[dict(label="▶ play", method="animate",
                                        args=[None, dict(frame=dict(duration=600, redraw=True),
                                                         transition=dict(duration=300))])])],
        sliders=[dict(active=len(snaps) - 1, steps=steps, x=0.1, y=0, xanchor="left", yanchor="top",
                      len=0.9, pad={"t": 35, "b": 10},
                      currentvalue=dict(prefix="epoch ", xanchor="right", font={"size": 13}))],
    )
    return fig

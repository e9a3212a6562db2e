"""Thumbnails as data URIs and the thumbnail map (Plotly ``layout.images`` over a Scattergl layer).

Drawing every picture would bury the map, so at most ``max_images`` thumbnails are drawn, chosen
greedily so that no two overlap; every image still has a point (coloured by cluster or label).
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence

import numpy as np

THUMB_PX = 96
MAX_DRAWN = 200


def thumbnail_uri(img, size: int = THUMB_PX, quality: int = 82) -> str:
    """A JPEG data URI of ``img`` (an RGB PIL image) fitted into ``size`` x ``size`` px."""
    from PIL import Image

    scale = min(1.0, size / max(img.size))
    fitted = (max(1, round(img.width * scale)), max(1, round(img.height * scale)))
    t = img.resize(fitted, Image.BILINEAR, reducing_gap=2.0) if scale < 1 else img
    buf = io.BytesIO()
    t.convert("RGB").save(buf, format="JPEG", quality=quality)
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def uri_bytes(uri: str) -> bytes:
    """The image bytes inside a base64 data URI (for ``st.image``)."""
    return base64.b64decode(uri.split(",", 1)[1]) if uri.startswith("data:") else b""


def spread_selection(xy: np.ndarray, max_n: int = MAX_DRAWN, min_dist: float | None = None,
                     random_state: int = 0) -> np.ndarray:
    """Rows of at most ``max_n`` points no closer than ``min_dist`` to each other (greedy, seeded order).

    ``min_dist`` defaults to 4 % of the larger side of the bounding box, so thumbnails of that size
    do not overlap (Euclidean distance: pass coordinates scaled per axis for non-square maps).
    """
    xy = np.asarray(xy, dtype=np.float32)
    n = len(xy)
    if n == 0:
        return np.zeros(0, np.int64)
    span = float(np.ptp(xy, axis=0).max()) or 1.0
    d2 = (min_dist if min_dist is not None else 0.04 * span) ** 2
    order = np.random.default_rng(random_state).permutation(n)
    chosen: list[int] = []
    for i in order:
        if not chosen or ((xy[chosen] - xy[i]) ** 2).sum(axis=1).min() >= d2:
            chosen.append(int(i))
            if len(chosen) >= max_n:
                break
    return np.array(sorted(chosen), dtype=np.int64)


def thumbnail_map(xy: np.ndarray, keys: Sequence[str], thumbs: Sequence[str],
                  groups: Sequence[str] | None = None, hover: Sequence[str] | None = None,
                  max_images: int = MAX_DRAWN, title: str = ""):
    """A Plotly figure: one point per image (Scattergl) and up to ``max_images`` pictures drawn on the map.

    ``customdata`` of every point is its key, so a click selection names the image.
    Returns ``(figure, n_drawn)``.
    """
    import plotly.graph_objects as go

    xy = np.asarray(xy, dtype=np.float32)
    span = np.ptp(xy, axis=0) if len(xy) else np.ones(2, np.float32)
    span[span == 0] = 1.0
    frac = 0.045  # thumbnail size as a fraction of each axis
    drawn = spread_selection((xy - xy.min(axis=0)) / span, max_images, min_dist=frac)
    groups = [str(g) for g in (groups if groups is not None else [""] * len(keys))]
    hover = list(hover) if hover is not None else list(keys)
    fig = go.Figure()
    for g in sorted(set(groups)):
        rows = np.array([i for i, gg in enumerate(groups) if gg == g], dtype=np.int64)
        fig.add_trace(go.Scattergl(
            x=xy[rows, 0], y=xy[rows, 1], mode="markers", name=g or "images",
            marker={"size": 7, "opacity": 0.8}, customdata=np.array([keys[i] for i in rows], dtype=object),
            hovertext=[hover[i] for i in rows], hovertemplate="%{hovertext}<extra></extra>",
        ))
    fig.update_layout(images=[
        {"source": thumbs[i], "xref": "x", "yref": "y", "x": float(xy[i, 0]), "y": float(xy[i, 1]),
         "sizex": frac * float(span[0]), "sizey": frac * float(span[1]), "xanchor": "center",
         "yanchor": "middle", "layer": "above", "sizing": "contain"}
        for i in drawn if thumbs[i]
    ], title=title, height=700, margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
        legend={"itemsizing": "constant", "orientation": "h", "y": -0.02, "yanchor": "top"}, dragmode="pan")
    fig.update_xaxes(showticklabels=False, zeroline=False)
    fig.update_yaxes(showticklabels=False, zeroline=False)
    return fig, len(drawn)

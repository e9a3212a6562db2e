"""Thumbnails as data URIs, and which of them a map can draw without overlap.

Drawing every picture would bury a map, so :func:`spread_selection` picks at most ``max_n`` points greedily
so that no two overlap; the figure itself is :func:`embedlab.plots.images.thumbnail_map`.
"""

from __future__ import annotations

import base64
import io

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

"""The WebGL point map (``ui/pointmap.js``): every point of a map past ~2,000 points, drawn in the browser,
with hover, box / lasso selection, density bands and contours, region names refined by zoom.

A Streamlit ``components.v2`` component with its JavaScript inline: no build step, nothing fetched from the
internet. The points travel as bytes (:mod:`embedlab.plots.pointmap`), once: the browser says which points it
holds (the component's ``have`` state) and later reruns send only the light header. A box or lasso comes back
as a polygon in data coordinates; the rows inside are found here, exactly, on all the points.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import streamlit as st

from embedlab.plots.pointmap import PointMapData, payload, rows_in_polygon

_POINT_MAP = st.components.v2.component(
    "embedlab_pointmap", js=(Path(__file__).with_name("pointmap.js")).read_text(encoding="utf-8"))


@dataclass
class MapSelection:
    """What the user picked on a point map: rows of the points, and how (``point``, ``box``, ``lasso``)."""

    rows: np.ndarray
    kind: str = ""


def _ignore() -> None:
    """State changes of the map (what it holds, what is selected) rerun the page; nothing else to do."""


def point_map(data: PointMapData, key: str) -> MapSelection:
    """Draw ``data`` with the WebGL point map; return the current selection (empty when none)."""
    from ui.state import widget_value

    state = widget_value(key) or {}
    have = state.get("have") if isinstance(state, dict) else None
    result = _POINT_MAP(data=payload(data, key, have), key=key, on_have_change=_ignore,
                        on_selection_change=_ignore, height="content")
    return selection_rows(data.coords, (result or {}).get("selection"))


def selection_rows(coords: np.ndarray, sel: dict | None) -> MapSelection:
    """Rows of a selection the map sent: one clicked point, or the points inside a box / lasso polygon."""
    if not isinstance(sel, dict):
        return MapSelection(np.zeros(0, dtype=np.int64))
    kind = str(sel.get("kind", ""))
    if kind == "point":
        row = sel.get("row")
        ok = isinstance(row, int) and 0 <= row < len(coords)
        return MapSelection(np.array([row] if ok else [], dtype=np.int64), kind)
    polygon = sel.get("polygon")
    if kind in ("box", "lasso") and isinstance(polygon, list) and len(polygon) >= 3:
        return MapSelection(rows_in_polygon(coords, polygon), kind)
    return MapSelection(np.zeros(0, dtype=np.int64), kind)

"""embedlab's point map (ui/pointmap.js, Streamlit components v2, bytes payload, rasterised in JavaScript)."""

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from _data import load, size  # noqa: E402

from embedlab.plots.pointmap import PointMapData, category_codes  # noqa: E402
from ui.pointmap import point_map  # noqa: E402

n = size()
if n:
    xy, labels, codes = load(n)
    codes, legend = category_codes(codes)
    sel = point_map(PointMapData(f"bench-{n}", xy, labels, codes, legend, "cluster", title=f"{n:,} points"),
                    key="bench_map")
    st.write(f"selected: {len(sel.rows)}")

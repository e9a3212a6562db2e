"""Plotly WebGL (Scattergl) with every point: embedlab's own scatter_map, as the Map page drew before."""

import streamlit as st
from _data import load, size

from embedlab.plots.maps import scatter_map

n = size()
if n:
    xy, labels, codes = load(n)
    fig, _ = scatter_map(xy, labels, color=codes.astype(str), color_name="cluster", max_points=n)
    event = st.plotly_chart(fig, on_select="rerun", selection_mode=("points", "box", "lasso"), key="plotly")
    st.write(f"selected: {len(event.selection.get('points', []))}")

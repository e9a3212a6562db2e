"""datashader renders every point on the server into an image, shown under a Plotly figure (box / lasso
geometry comes back to Python; no hover on single points)."""

import base64
import io

import datashader as ds
import datashader.transfer_functions as tf
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from _data import load, size

from embedlab.plots.pointmap import PALETTE

n = size()
if n:
    xy, labels, codes = load(n)
    df = pd.DataFrame({"x": xy[:, 0], "y": xy[:, 1], "c": pd.Categorical(codes)})
    (x0, y0), (x1, y1) = xy.min(axis=0).tolist(), xy.max(axis=0).tolist()
    canvas = ds.Canvas(plot_width=900, plot_height=620, x_range=(x0, x1), y_range=(y0, y1))
    agg = canvas.points(df, "x", "y", ds.count_cat("c"))
    img = tf.shade(agg, color_key=PALETTE[: len(df["c"].cat.categories)], how="eq_hist").to_pil()
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    src = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()
    fig = go.Figure(go.Scatter(x=[x0, x1], y=[y0, y1], mode="markers", marker={"size": 1, "opacity": 0}))
    fig.update_layout(images=[{"source": src, "xref": "x", "yref": "y", "x": x0, "y": y1, "sizex": x1 - x0,
                               "sizey": y1 - y0, "sizing": "stretch", "layer": "below"}],
                      height=620, dragmode="pan", template="plotly_white")
    event = st.plotly_chart(fig, on_select="rerun", selection_mode=("box", "lasso"), key="ds")
    st.write(f"selection: {event.selection.get('box') or event.selection.get('lasso')}")

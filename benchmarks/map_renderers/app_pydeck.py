"""deck.gl through Streamlit's own st.pydeck_chart: a ScatterplotLayer in an OrthographicView, no base
map."""

import numpy as np
import pandas as pd
import pydeck as pdk
import streamlit as st
from _data import load, size

from embedlab.plots.pointmap import PALETTE

n = size()
if n:
    xy, labels, codes = load(n)
    rgb = [[int(c[i: i + 2], 16) for i in (1, 3, 5)] for c in PALETTE]
    df = pd.DataFrame({"x": xy[:, 0], "y": xy[:, 1], "word": labels, "c": [rgb[c] for c in codes]})
    layer = pdk.Layer("ScatterplotLayer", df, get_position=["x", "y"], get_fill_color="c", get_radius=2,
                      radius_units="pixels", pickable=True, id="points")
    span = float(np.ptp(xy, axis=0).max())  # orthographic zoom: 2 ** zoom pixels a unit
    view = pdk.ViewState(target=[float(xy[:, 0].mean()), float(xy[:, 1].mean()), 0],
                         zoom=float(np.log2(600 / span)))
    deck = pdk.Deck(layers=[layer], views=[pdk.View(type="OrthographicView", controller=True)],
                    initial_view_state=view, map_style=None, tooltip={"text": "{word}"})
    event = st.pydeck_chart(deck, height=620, on_select="rerun", selection_mode="multi-object", key="deck")
    st.write(f"selected: {len(event.selection.get('objects', {}).get('points', []))}")

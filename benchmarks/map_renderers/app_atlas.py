"""Embedding Atlas's Streamlit component (embedding-atlas on PyPI, MIT; components v1, Arrow payload)."""

import pandas as pd
import streamlit as st
from _data import load, size
from embedding_atlas.streamlit import embedding_atlas

n = size()
if n:
    xy, labels, codes = load(n)
    df = pd.DataFrame({"x": xy[:, 0], "y": xy[:, 1], "word": labels, "cluster": codes.astype(str)})
    value = embedding_atlas(df, x="x", y="y", text="word", key="atlas")
    st.write(f"selection predicate: {(value or {}).get('predicate')}")

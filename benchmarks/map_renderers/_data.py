"""Shared by the renderer apps: the points of one benchmark case (cached coordinates, labels, clusters)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np


def load(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Coordinates (n, 2) float32, labels (n,) str and cluster codes (n,) uint8 of the case with ``n`` points
    (written by ``bench_map_renderers.py`` into ``$EMBEDLAB_BENCH_DATA``)."""
    folder = Path(os.environ["EMBEDLAB_BENCH_DATA"])
    xy = np.load(folder / f"xy-{n}.npy")
    labels = np.asarray((folder / f"labels-{n}.txt").read_text(encoding="utf-8").split("\n"), dtype=object)
    codes = np.load(folder / f"codes-{n}.npy")
    return xy, labels, codes


def size() -> int:
    """The case this page shows: ``?n=`` of the URL (0: nothing drawn, the app's own cost)."""
    import streamlit as st

    return int(st.query_params.get("n", "0"))

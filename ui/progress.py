"""A Streamlit progress bar driven by the library's ``progress(done, total, message)`` callback."""

from __future__ import annotations

import streamlit as st

from embedlab.progress import Progress
from ui.literal import md_literal


def progress_bar(label: str) -> tuple[object, Progress]:
    """``st.progress`` plus the callback that moves it (messages shown literally; fractions clamped).

    Pass the callback as ``progress=`` to any library function; call ``bar.empty()`` when done.
    """
    bar = st.progress(0.0, text=md_literal(label))

    def report(done: float, total: float, message: str = "") -> None:
        bar.progress(min(1.0, max(0.0, done / total if total else 1.0)), text=md_literal(message or label))

    return bar, report


def progress_line(fraction: float, text: str) -> None:
    """A progress bar at ``fraction`` (clamped to 0-1) whose ``text`` is shown literally: for polling a
    background job."""
    st.progress(min(1.0, max(0.0, float(fraction))), text=md_literal(text))

"""A Streamlit progress bar driven by the library's ``progress(done, total, message)`` callback."""

from __future__ import annotations

import streamlit as st

from embedlab import jobs
from embedlab.errors import EmbedlabError
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


def training_status(job: jobs.Job, stop_key: str, stopping: str) -> bool:
    """A background training job's state: its progress and a Stop button (keeping what is trained) while
    it runs, its error as a sentence if it failed. ``stopping`` is the toast after Stop. True once it ended
    with a result (stopped early or not)."""
    _, _, msg = job.progress
    if job.running:
        progress_line(job.fraction, f"{msg or 'starting…'} · {job.elapsed:,.0f} s")
        if st.button("⏹ Stop (keep what is trained so far)", key=stop_key):
            job.cancel()
            st.toast(stopping)
        return False
    if job.status == jobs.FAILED:
        err = job.error
        st.error(md_literal(str(err) if isinstance(err, EmbedlabError) else f"Training failed: {err!r}"))
        return False
    return job.result is not None

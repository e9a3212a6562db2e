"""Word-translation fits between two spaces, shared by the Compare page's "Map A → B" tab
(:mod:`ui.translate_tab`) and the Lessons page's live English ↔ French demo.

A fit is :func:`embedlab.compare.bilingual.translate_both_ways` (a map each way, measured on held-out
words, with the words it gets wrong): it runs as a background job (:mod:`embedlab.jobs`; refinement and
CSLS take tens of seconds a direction) and is kept once per server by its :class:`FitSettings` (space names
and fingerprints, options) in :func:`ui.server_store.compute_once`, so every session, the Lessons page
and a "Try it" link share one fit of the demo.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from typing import Any

import streamlit as st

from embedlab import jobs
from embedlab.errors import EmbedlabError
from embedlab.progress import Progress
from embedlab.space import EmbeddingSpace
from ui.common import get_space, space_choices
from ui.literal import md_literal
from ui.progress import progress_line
from ui.server_store import compute_once, peek

DEMO = ("word2vec-gnews-bolukbasi", "fasttext-fr-300d")  # English → French, the tab's bundled demo
STORE = "translation"  # ui.server_store's store of fits
MAX_FITS = 4  # fits kept per server (the English-French pair: ~110 MB each, both directions)


@dataclass(frozen=True)
class FitSettings:
    """Everything a fit depends on; :attr:`token` names it in the server store and the job registry."""

    a: str
    a_fingerprint: str
    b: str
    b_fingerprint: str
    csls: bool = False
    refine: int = 0
    test_size: float = 0.2
    max_pairs: int | None = None
    no_dictionary: bool = False
    pairs: str | None = None  # digest of an uploaded seed dictionary

    @property
    def token(self) -> str:
        return hashlib.sha256(repr(sorted(asdict(self).items())).encode()).hexdigest()[:24]

    @property
    def job_key(self) -> str:
        return f"translation:{self.token}"


def settings_for(a: EmbeddingSpace, b: EmbeddingSpace, **options: Any) -> FitSettings:
    """The :class:`FitSettings` of spaces ``a`` and ``b`` with ``options``."""
    return FitSettings(a.name, a.fingerprint, b.name, b.fingerprint, **options)


def _compute(settings: FitSettings, a: EmbeddingSpace, b: EmbeddingSpace, pairs: list | None,
             pairs_name: str, progress: Progress | None):
    from embedlab.compare.bilingual import translate_both_ways

    return compute_once(STORE, settings.token, lambda: translate_both_ways(
        a, b, pairs, csls=settings.csls, refine=settings.refine, test_size=settings.test_size,
        max_pairs=settings.max_pairs, no_dictionary=settings.no_dictionary, pairs_name=pairs_name,
        progress=progress), max_entries=MAX_FITS)


def _job(ctx, settings: FitSettings, a: EmbeddingSpace, b: EmbeddingSpace, pairs: list | None,
         pairs_name: str) -> None:
    """The background fit: its result goes to the server store (bounded), not to the job registry."""
    _compute(settings, a, b, pairs, pairs_name, ctx.checkpoint)


def fitted(settings: FitSettings):
    """The :class:`~embedlab.compare.bilingual.BilingualFit` of ``settings``, if computed (else None)."""
    return peek(STORE, settings.token)


def start(settings: FitSettings, a: EmbeddingSpace, b: EmbeddingSpace, pairs: list | None = None,
          pairs_name: str = "the given pairs") -> jobs.Job:
    """Start the background fit of ``settings`` (or find the one running)."""
    earlier = jobs.get(settings.job_key)
    return jobs.submit(settings.job_key, _job, settings, a, b, pairs, pairs_name,
                       restart=earlier is not None and not earlier.running)


def demo_available() -> bool:
    """Whether both spaces of the English → French demo can be loaded here."""
    return all(name in space_choices() for name in DEMO)


def demo_settings() -> FitSettings:
    """The demo's settings: English → French with the tab's default options."""
    return settings_for(get_space(DEMO[0]), get_space(DEMO[1]))


def demo_fit(progress: Progress | None = None):
    """The demo's fit, computed now (in this thread) unless the server has it already."""
    settings = demo_settings()
    return fitted(settings) or _compute(settings, get_space(DEMO[0]), get_space(DEMO[1]), None,
                                        "the given pairs", progress)


# ---------------------------------------------------------------------------------------------- progress
def job_status(settings: FitSettings) -> jobs.Job | None:
    """This fit's job when it is running (its progress is shown, polled every second), else None; a
    failed job is reported in a sentence."""
    job = jobs.get(settings.job_key)
    if job is None:
        return None
    if job.running:
        _poll(settings.job_key)
        return job
    if job.status == jobs.FAILED:
        err = job.error
        st.error(md_literal(str(err)) if isinstance(err, EmbedlabError) else
                 f"The fit failed: {md_literal(repr(err))}")
    elif job.status == jobs.CANCELLED:
        st.info("The fit was stopped. Press the button to fit again.")
    return None


@st.fragment(run_every=1.0)
def _poll(job_key: str) -> None:
    job = jobs.get(job_key)
    if job is None or not job.running:
        st.rerun()  # the whole page: show the fit
    _, _, message = job.progress
    progress_line(job.fraction, f"Fitting in the background ({job.elapsed:,.0f} s): {message or 'starting'}")
    if st.button("⏹ Stop", key="map_stop"):
        job.cancel()

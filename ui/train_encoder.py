"""The Train page's "Sentence encoder" tab: train ELMo, Skip-Thought, USE's DAN or InferSent (small, with
their papers' architectures) on the bundled corpus or the user's text, in the background.

The job is :func:`embedlab.textnets.training.start` (the one the CLI's ``train-encoder`` runs in the
foreground): progress and the loss curve while it runs, Stop keeps what is trained, and the result is saved
in the workspace under a name every page (Sentence lab's Model, Polysemy for ELMo kinds) and command
(``--encoder NAME``) can use.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import streamlit as st

from embedlab import jobs
from ui import downloads
from ui.common import user_errors
from ui.literal import md_literal
from ui.progress import training_status

KINDS = {"elmo": "ELMo (char-CNN + biLSTM language model)", "skip-thought": "Skip-Thought (GRU, neighbours)",
         "use-dan": "USE's DAN (word + bigram average, deep network)",
         "infersent": "InferSent (BiLSTM-max, sentence pairs)"}
SOURCES = {"default": "Bundled corpus (~2.3M words)", "sample": "Quick sample (~115k words)",
           "upload": "Upload my own text"}
SIZES = {"quick": "Quick (about a minute, for a class)",
         "full": "Full (the shipped encoders' settings: 10-40 minutes on 2 cores)"}
UPLOAD_HELP = {"infersent": "InferSent trains on sentence pairs: upload an NLI CSV (columns premise, "
                            "hypothesis, label: entailment, neutral, contradiction). The bundled corpus "
                            "choice uses the WordNet gloss pairs."}


@dataclass
class EncoderTraining:
    """This tab's memory (a part of the Train page's ``TrainPage``): the uploaded files and the job key."""

    files: tuple[tuple[str, bytes], ...] = ()
    job_key: str = field(default_factory=lambda: f"train-encoder-{uuid.uuid4().hex[:10]}")
    handled: str = ""  # the job whose end has been processed
    name: str = ""  # the name the last job saves under


def _source(kind: str, state: EncoderTraining):
    """The corpus the user picked: ``"default"``, ``"sample"`` or uploaded ``(name, bytes)`` pairs; None
    while an upload is missing."""
    source = st.radio("Text to train on", list(SOURCES), format_func=SOURCES.get, horizontal=True,
                      key="tenc_source", persist_state="page")
    if source != "upload":
        return source
    if kind in UPLOAD_HELP:
        st.caption(UPLOAD_HELP[kind])
    files = st.file_uploader("Upload .txt files or a .zip of them (one document per file; InferSent: an NLI "
                             ".csv)", type=["txt", "md", "zip", "csv", "tsv"], accept_multiple_files=True,
                             key="tenc_upload")
    if files:
        state.files = tuple((f.name, f.getvalue()) for f in files)
    if not state.files:
        st.info("Upload some text to train on, or pick the bundled corpus.")
        return None
    st.caption("Using: " + md_literal(", ".join(n for n, _ in state.files)))
    return list(state.files)


def settings_section(state: EncoderTraining) -> None:
    """Kind, corpus, size, epochs and name; the Train button starts the background job."""
    from embedlab.textnets.training import settings_for, start

    kind = st.radio("Encoder", list(KINDS), format_func=KINDS.get, horizontal=True, key="tenc_kind",
                    persist_state="page")
    source = _source(kind, state)
    c1, c2, c3 = st.columns([2, 1, 2])
    size = c1.radio("Size", list(SIZES), format_func=SIZES.get, key="tenc_size", persist_state="page")
    default_epochs = settings_for(kind, quick=size == "quick").epochs
    epochs = int(c2.number_input("Epochs", 1, 20, default_epochs, key=f"tenc_epochs_{kind}_{size}",
                                 persist_state="page"))
    name = c3.text_input("Save as", f"my-{kind}", key="tenc_name", persist_state="page").strip()
    job = jobs.get(state.job_key)
    busy = job is not None and job.running
    if source is not None and st.button("▶ Train the encoder", type="primary", disabled=busy, key="tenc_go"):
        start(state.job_key, kind, source, name, epochs=epochs, quick=size == "quick")
        state.name = name
        st.rerun()


def _finish(job, state: EncoderTraining) -> None:
    """Once per finished job: a retrained name must not be served from the model cache."""
    from ui.models import encoder

    if state.handled == str(id(job)) or job.result is None or job.result.path is None:
        return
    state.handled = str(id(job))
    encoder.clear(state.name)


def live_view(state: EncoderTraining) -> None:
    """Progress and Stop while the job runs; the loss curve; what was saved when it ends."""
    from embedlab.plots.training import encoder_loss_chart

    job = jobs.get(state.job_key)
    if job is None:
        return
    if training_status(job, "tenc_stop", "Stopping after the current step…"):
        _finish(job, state)
        r = job.result
        name = md_literal(state.name)
        stopped = " (stopped early: what was trained so far)" if r.stopped else ""
        st.success(f"Saved the encoder **{name}**{stopped}: {r.card.get('parameters', 0):,} parameters, "
                   f"{r.card.get('training_seconds', 0):,.0f} s. Pick it as the Model in the Sentence lab, "
                   f"or use it in commands with --encoder {name}.")
        for note in r.notes[:5]:
            st.info(md_literal(note))
    view = job.partial
    losses = view.losses if view is not None else (job.result.losses if job.result is not None else [])
    if losses:
        downloads.chart(encoder_loss_chart(losses, "Training loss (mean over each few steps)"),
                        "encoder-training-loss", key="tenc_loss")


@st.fragment(run_every=1.0)
def _live_fragment(state: EncoderTraining) -> None:
    job = jobs.get(state.job_key)
    if job is not None and not job.running:
        st.rerun()  # whole page: stop polling, show the result
    live_view(state)


def render_encoder_tab(state: EncoderTraining) -> None:
    """The tab: settings and Train, then the running or finished job (``state``: the page's part for it)."""
    st.caption("Train one of the article's sentence encoders, small, on the bundled corpus or your own text. "
               "It runs in the background; Stop keeps what is trained. The result is saved under its name "
               "and every page and command can use it (`embedlab sentences … --encoder NAME`).")
    with user_errors():
        settings_section(state)
    job = jobs.get(state.job_key)
    if job is not None and job.running:
        _live_fragment(state)
    else:
        live_view(state)

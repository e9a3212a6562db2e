"""Train your own: word2vec (skip-gram, CBOW) and GloVe on the bundled corpus or uploaded text, live; a second
tab trains a small sentence encoder."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from embedlab import jobs, workspace
from embedlab.errors import EmbedlabError
from embedlab.plots.training import loss_chart, neighbours_table, snapshot_animation
from embedlab.strings import split_list
from embedlab.train import corpus as corpora
from embedlab.train import store
from embedlab.train.live import DEFAULT_WATCH, make_params, start
from ui import downloads
from ui.common import load_named_space, space_picker, user_errors
from ui.literal import md_literal
from ui.progress import training_status
from ui.share import tabs
from ui.state import forget_widget, page_state, widget_value
from ui.train_encoder import EncoderTraining, render_encoder_tab

CORPUS_SOURCES = {"default": "Bundled corpus (~2.3M words)", "sample": "Quick sample (~115k words)",
                  "upload": "Upload my own text"}
TRAIN_METHODS = {"skipgram": "Skip-gram (word2vec)", "cbow": "CBOW (word2vec)", "glove": "GloVe (ours)"}
TABS = {"Words": "Word vectors", "Encoder": "Sentence encoder"}


@dataclass
class TrainPage:
    """This page's memory: the last good upload (kept when a new one fails) and the job key."""

    files: tuple[tuple[str, bytes], ...] = ()
    upload_error: str = ""
    job_key: str = field(default_factory=lambda: f"train-{uuid.uuid4().hex[:10]}")
    handled: str = ""  # the job whose end has been processed
    reference: str = ""  # the sidebar space the comparison was last set up for
    encoder: EncoderTraining = field(default_factory=EncoderTraining)  # the Sentence encoder tab's memory


@st.cache_resource(max_entries=3, show_spinner="Reading and tokenising the corpus…")
def _corpus(source: str, files: tuple[tuple[str, bytes], ...], lowercase: bool, strip: bool
            ) -> corpora.Corpus:
    opts = corpora.TokenOptions(lowercase=lowercase, strip_punctuation=strip)
    raw = corpora.read_uploads(list(files)) if source == "upload" else corpora.read_paths([source])
    return corpora.prepare(raw, opts)


@st.cache_data(max_entries=16, show_spinner=False)
def _stats(source: str, files: tuple[tuple[str, bytes], ...], lowercase: bool, strip: bool, min_count: int,
           max_vocab: int | None) -> corpora.CorpusStats:
    return corpora.stats(_corpus(source, files, lowercase, strip), min_count, max_vocab)


def _on_upload() -> None:
    page = page_state(TrainPage)
    files = widget_value("train_upload") or []
    if not files:
        return
    data = tuple((f.name, f.getvalue()) for f in files)
    try:
        corpora.read_uploads(list(data))
    except EmbedlabError as exc:
        page.upload_error = f"{exc} Your previous corpus is still selected."
        return
    page.files, page.upload_error = data, ""


def corpus_section():
    """Corpus source and tokenisation options; shows sizes and returns (corpus, options) or None."""
    page = page_state(TrainPage)
    st.subheader("1 · Corpus")
    source = st.radio("Text to train on", list(CORPUS_SOURCES), format_func=CORPUS_SOURCES.get,
                      horizontal=True, key="train_source", persist_state="page")
    if source == "upload":
        st.file_uploader("Upload .txt files or a .zip of them (max 50 MB of text)", type=["txt", "zip", "md"],
                         accept_multiple_files=True, key="train_upload", on_change=_on_upload)
        if page.upload_error:
            st.error(md_literal(page.upload_error))
        if not page.files:
            st.info("Upload some text to train on, or pick the bundled corpus.")
            return None
        st.caption("Using: " + md_literal(", ".join(n for n, _ in page.files)))
    c1, c2, c3, c4 = st.columns(4)
    lowercase = c1.checkbox("Lower-case", True, help="Treat 'King' and 'king' as one word.",
                            key="train_lower", persist_state="page")
    strip = c2.checkbox("Strip punctuation", True, help="Drop tokens that are only punctuation.",
                        key="train_strip", persist_state="page")
    min_count = int(c3.number_input("Min count", 1, 10_000, make_params("skipgram").min_count,
                                    help="Ignore words seen fewer times.",
                                    key="train_min_count", persist_state="page"))
    max_vocab = int(c4.number_input("Max vocabulary (0 = no cap)", 0, 1_000_000, 0, step=1000,
                                    key="train_max_vocab", persist_state="page")) or None
    files = page.files if source == "upload" else ()
    corpus = _corpus(source, files, lowercase, strip)
    s = _stats(source, files, lowercase, strip, min_count, max_vocab)
    m = st.columns(4)
    m[0].metric("Tokens", f"{s.n_tokens:,}")
    m[1].metric("Sentences", f"{s.n_sentences:,}")
    m[2].metric("Vocabulary", f"{s.vocab_size:,}", help=f"of {s.n_types:,} distinct words")
    m[3].metric("Tokens covered", f"{s.coverage:.1%}")
    st.caption(md_literal(f"{corpus.description}. Most frequent: " + ", ".join(w for w, _ in s.top_words)))
    for note in corpus.notes[:10]:
        st.info(md_literal(note))
    if len(corpus.notes) > 10:
        st.info(f"… and {len(corpus.notes) - 10} more notes.")
    return corpus, min_count, max_vocab


def params_section(min_count: int, max_vocab: int | None):
    """Method and parameters; returns (params, watch words, name)."""
    st.subheader("2 · Method")
    method = st.radio("Method", list(TRAIN_METHODS), format_func=TRAIN_METHODS.get, horizontal=True,
                      key="train_method", persist_state="page")
    default = make_params(method)  # the trainer's own defaults
    c = st.columns(5)
    dim = int(c[0].number_input("Dimensions", 2, 300, default.dim, key=f"train_dim_{method}",
                                   persist_state="page"))
    window = int(c[1].number_input("Window", 1, 20, default.window, key=f"train_window_{method}",
                                      persist_state="page"))
    epochs = int(c[2].number_input("Epochs", 1, 50, default.epochs, key=f"train_epochs_{method}",
                                      persist_state="page"))
    seed = int(c[3].number_input("Seed", 0, 2**31 - 1, default.seed, key="train_seed", persist_state="page"))
    negative = None
    if method != "glove":
        negative = int(c[4].number_input("Negative samples", 1, 25, default.negative, key="train_negative",
                                         persist_state="page"))
    params = make_params(method, dim=dim, window=window, epochs=epochs, seed=seed, negative=negative,
                         min_count=min_count, max_vocab=max_vocab)
    w1, w2 = st.columns([2, 1])
    watch_text = w1.text_input("Watch words (comma-separated)", ", ".join(DEFAULT_WATCH), key="train_watch",
                               persist_state="page")
    watch = split_list(watch_text)
    if len(watch) > 8:
        st.caption(f"Watching the first 8 of {len(watch)} words.")
        watch = watch[:8]
    name = w2.text_input("Save as", f"my-{method}", key="train_name", persist_state="page").strip()
    if _just_trained() == name:
        w2.caption(f"'{md_literal(name)}' is the space trained below; training again replaces it.")
    elif workspace.exists(name):
        w2.warning(f"A saved space named '{md_literal(name)}' exists; training will replace it. "
                   "Pick another name to keep it.")
    return params, watch, name


def _just_trained() -> str:
    """Name of the space this session's last finished job saved ("" if none)."""
    job = jobs.get(page_state(TrainPage).job_key)
    return job.result.space.name if job is not None and job.result is not None else ""


def _finish(job) -> None:
    """Once per finished job: refresh caches of an overwritten name."""
    page = page_state(TrainPage)
    if page.handled == str(id(job)) or job.result is None:
        return
    page.handled = str(id(job))
    load_named_space.clear()  # a space saved under an existing name must not be served from the cache


def live_view() -> None:
    """Progress, Stop, per-epoch neighbours, loss and the snapshot animation of the current job."""
    job = jobs.get(page_state(TrainPage).job_key)
    if job is None:
        return
    view = job.partial
    if training_status(job, "train_stop", "Stopping after the current epoch…"):
        _finish(job)
        r = job.result
        stop_note = f", stopped after epoch {r.result.epochs_done}" if r.result.stopped else ""
        st.success(f"Saved **{md_literal(r.space.name)}**: {len(r.space):,} words × {r.space.dim} d in "
                   f"{r.result.seconds:,.1f} s{stop_note}. Pick it on any page, or compare it below.")
    snaps = (view.snapshots if view is not None else []) or (job.result.snapshots if job.result else [])
    if not snaps:
        return
    last = snaps[-1]
    if last.missing:
        st.warning(f"Not in the vocabulary: {md_literal(', '.join(last.missing))}. Try other watch words.")
    left, right = st.columns([3, 2])
    with left:
        st.markdown(f"**Nearest neighbours after epoch {last.epoch}**")
        downloads.dataframe(neighbours_table(last), f"neighbours-epoch-{last.epoch}", key="train_nb",
                            hide_index=True)
        downloads.chart(loss_chart(snaps), "training-loss", key="train_loss")
        st.caption("The loss is summed over each epoch's training pairs. For word2vec it is gensim's tally, "
                   "which jumps from epoch to epoch (random subsampling and negatives, a falling learning "
                   "rate): the neighbours above show the learning better. GloVe's weighted least-squares "
                   "loss falls steadily.")
    with right:
        downloads.chart(snapshot_animation(snaps), "training-snapshots", key="train_anim")
    if job.running is False and job.result is not None and job.result.evaluation is not None:
        with st.expander("Evaluation of this run", expanded=False):
            downloads.dataframe(job.result.evaluation.summary_table(), "training-evaluation",
                                key="train_eval", hide_index=True)


def saved_section() -> list[str]:
    st.subheader("4 · Your trained spaces")
    df = store.list_trained()  # reads the info.json files: cheap, and never stale
    if df.empty:
        st.caption(f"None yet. Trained spaces are saved in {md_literal(workspace.spaces_dir())} and survive "
                   "restarts.")
        return []
    downloads.dataframe(df, "trained-spaces", key="train_saved", hide_index=True)
    c1, c2 = st.columns([2, 1])
    victim = c1.selectbox("Delete a trained space", ["—", *df["name"]], key="train_delete_pick")
    if victim != "—" and c2.button(f"Delete {md_literal(victim)}", key="train_delete"):
        with user_errors():
            store.delete_trained(victim)
            load_named_space.clear()
            st.rerun()
    return list(df["name"])


@st.cache_data(max_entries=8, show_spinner="Evaluating (analogies, WordSim-353, SimLex-999)…")
def _compare(names: tuple[str, ...], stamps: tuple[str, ...]):
    from embedlab.registry import load

    spaces = {n: workspace.load(n) if workspace.exists(n) else load(n) for n in names}
    evals = {n: store.evaluation_dict(sp) for n, sp in spaces.items()}
    return store.comparison(spaces), store.per_category(evals), evals


def compare_section(trained: list[str], picked: str) -> None:
    st.subheader("5 · Side by side")
    from embedlab.registry import BUNDLED

    # the space picked in the sidebar is the reference (saved or bundled ones only: evaluation reloads them)
    reference = picked if (picked in BUNDLED or workspace.exists(picked)) else "glove-50d"
    if reference != picked:
        st.caption(md_literal(f"{picked} (picked in the sidebar) exists only in this session; save it on "
                              "Home to compare it with your trained spaces here."))
    options = list(dict.fromkeys([*trained, reference, "glove-50d"]))
    default = list(dict.fromkeys([*trained[-2:], reference]))
    page = page_state(TrainPage)
    if page.reference != reference:  # a new sidebar pick: start the selection from it again
        page.reference = reference
        forget_widget("train_compare")
    chosen = st.multiselect("Spaces to compare", options, default=default, key="train_compare")
    if not chosen or not st.toggle("Show comparison", key="train_compare_on"):
        return
    stamps = tuple(workspace.read_info(n).get("trained_at", "") if workspace.exists(n) else ""
                   for n in chosen)
    table, cats, evals = _compare(tuple(chosen), stamps)
    downloads.dataframe(table, "trained-spaces-compared", key="train_cmp", hide_index=True)
    st.markdown("**Analogy accuracy per category**")
    downloads.dataframe(cats, "analogy-categories", key="train_cats", hide_index=True)
    c1, c2 = st.columns(2)
    who = c1.selectbox("Browse failures of", chosen, key="train_fail_space")
    cat = c2.selectbox("Category", ["all", *cats["category"]], key="train_fail_cat")
    ev = evals[who]
    fails = store.failures(ev, None if cat == "all" else cat)
    shown = f"{len(fails):,} wrong answers" + (
        f" (of {ev.get('failures_total', len(fails)):,}; the first {store.MAX_FAILURES:,} were kept)"
        if ev.get("failures_total", 0) > len(ev.get("failures", [])) else "")
    st.caption(f"{shown}: a is to b as c is to *expected*, but the space said *got*.")
    downloads.dataframe(pd.DataFrame(fails), "analogy-failures", key="train_fails", hide_index=True)


def main() -> None:
    st.title("🏋️ Train your own")
    picked = space_picker().name
    name, tab = tabs(TABS, key="train_tab")
    with tab:
        if name == "Words":
            word_vectors(picked)
        else:
            render_encoder_tab(page_state(TrainPage).encoder)


def word_vectors(picked: str) -> None:
    """The word2vec / GloVe tab: corpus, method, the live run, saved spaces, side by side."""
    st.caption("Train word2vec (skip-gram, CBOW) or GloVe and watch the vectors form, epoch by epoch.")
    page = page_state(TrainPage)
    result = None
    with user_errors():
        result = corpus_section()
    if result is not None:
        corpus, min_count, max_vocab = result
        with user_errors():
            params, watch, name = params_section(min_count, max_vocab)
            job = jobs.get(page.job_key)
            busy = job is not None and job.running
            if st.button("▶ Train", type="primary", disabled=busy, key="train_go"):
                start(page.job_key, corpus, params, watch, name)
                st.rerun()
    st.subheader("3 · Training")
    job = jobs.get(page.job_key)
    if job is not None and job.running:
        _live_fragment()  # polls every second while training
    else:
        live_view()  # finished: plain render, so the animation is not re-sent every second
    with user_errors():
        trained = saved_section()
        compare_section(trained, picked)


@st.fragment(run_every=1.0)
def _live_fragment() -> None:
    job = jobs.get(page_state(TrainPage).job_key)
    if job is not None and not job.running:
        st.rerun()  # whole page: stop polling, show the result, refresh the saved list
    live_view()


main()

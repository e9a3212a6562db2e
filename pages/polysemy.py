"""Polysemy explorer: one word, many sentences, one point per occurrence, layer by layer."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from embedlab.encoders.specs import DEFAULT_TEXT_ENCODER
from embedlab.senses import Polysemy, SenseSet, analyse, best_layer, bundled_words, layer_map, load_bundled
from ui.common import add_session_space, space_picker, user_errors
from ui.literal import md_literal
from ui.state import app_state
from ui.upload import unique_name

EXAMPLE = """sentence,sense
I keep my savings in the bank.,money
The bank approved my mortgage.,money
The bank closes at four on Fridays.,money
We had a picnic on the bank of the lake.,river
The children fished from the river bank.,river
Grass covered the bank beside the stream.,river"""


@dataclass
class PolysemyState:
    """What this page remembers: the user's own sentences and the last analysis of them."""

    typed_word: str = "bank"
    typed_text: str = EXAMPLE
    key: tuple | None = None
    result: Polysemy | None = None


@st.cache_resource(show_spinner="Loading the transformer (once per server, a few seconds)…")
def text_encoder(name: str):
    from embedlab.encoders import get_encoder

    return get_encoder(name)


@st.cache_data(show_spinner="Embedding every occurrence at every layer…", max_entries=64)
def bundled_analysis(word: str, which: str, space_key: tuple[str, str], _words) -> Polysemy:
    """Shared by every session: keyed by word, mode and the static space's name and fingerprint."""
    return analyse(load_bundled(word), which=which, encoder=DEFAULT_TEXT_ENCODER, words=_words)


def typed_analysis(ss: SenseSet, which: str, state: PolysemyState, words) -> Polysemy:
    """Analyse the user's sentences with a progress bar; remembered until the input changes."""
    key = (ss.word, tuple(ss.sentences), tuple(ss.senses or ()), which, words.fingerprint)
    if state.key != key or state.result is None:
        bar = st.progress(0.0, text="Embedding your sentences…")
        state.result = analyse(ss, which=which, encoder=DEFAULT_TEXT_ENCODER, words=words,
                               progress=lambda d, t, m: bar.progress(d / max(t, 1), text=m))
        bar.empty()
        state.key = key
    return state.result


def pick_input(state: PolysemyState) -> tuple[SenseSet | None, str]:
    """Bundled word or the user's sentences; returns the sense set (None if the input is bad) and mode."""
    from embedlab.senses import read_sense_text

    mode = st.radio("Sentences", ["A bundled word", "My own sentences"], horizontal=True, key="poly_mode")
    if mode == "A bundled word":
        words = bundled_words()
        word = st.selectbox("Ambiguous word", words, index=words.index("bank") if "bank" in words else 0,
                            key="poly_word")
        return load_bundled(word), "bundled"
    state.typed_word = st.text_input("Word", state.typed_word, key="poly_typed_word")
    state.typed_text = st.text_area(
        "One sentence per line, or a CSV with a first line `sentence,sense` to label the senses",
        state.typed_text, height=180, key="poly_text")
    with user_errors():
        return read_sense_text(state.typed_text, state.typed_word.strip(), "typed"), "typed"
    return None, "typed"


def scatter(result: Polysemy, layer: int) -> tuple[go.Figure, object]:
    from embedlab.plots.maps import scatter_map

    lm = layer_map(result, layer)
    occ = result.vectors.occurrences
    word = result.vectors.word
    senses = np.asarray(result.senses if result.senses else ["unlabelled"] * len(occ), dtype=object)
    fig, _ = scatter_map(lm.coords, [f"#{i + 1}: {o.sentence}" for i, o in enumerate(occ)], color=senses,
                         color_name="sense", text_labels=False)
    fig.add_trace(go.Scatter(
        x=np.asarray([lm.centroid[0]], np.float32), y=np.asarray([lm.centroid[1]], np.float32),
        mode="markers+text", name=f"static '{word}' (one vector for every sense)", text=[f"static '{word}'"],
        textposition="top center", marker={"symbol": "star", "size": 22, "color": "black"}))
    fig.update_layout(height=480, margin={"l": 10, "r": 10, "t": 40, "b": 10},
                      title=f"'{word}' at layer {layer} — PCA keeps {lm.explained:.0%} of the variance",
                      legend={"orientation": "h", "y": -0.1})
    return fig, lm


def heatmap(result: Polysemy, sims: np.ndarray) -> go.Figure:
    order = np.argsort(np.asarray(result.senses or [""] * len(sims)), kind="stable")
    names = [f"#{i + 1} {result.senses[i] if result.senses else ''}".strip() for i in order]
    z = sims[np.ix_(order, order)]
    fig = go.Figure(go.Heatmap(z=z, x=names, y=names, zmin=float(z.min()), zmax=1.0, colorscale="Viridis",
                               colorbar={"title": "cosine"}))
    fig.update_layout(height=460, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      title="Cosine between occurrences (grouped by sense)")
    return fig


def layer_chart(result: Polysemy) -> go.Figure:
    df = pd.DataFrame([s.as_dict() for s in result.scores])
    fig = go.Figure()
    x = df["layer"].to_numpy(np.float32)
    what = "sense" if result.senses else "cluster"
    lines = [("ari", "ARI (clusters vs senses)", None)] if result.senses else []
    lines += [("within", f"cosine within {what}", "dot"), ("between", f"cosine between {what}s", "dot")]
    for col, name, dash in lines:
        fig.add_trace(go.Scatter(x=x, y=df[col].to_numpy(np.float32), name=name, mode="lines+markers",
                                 line={"dash": dash}))
    fig.update_layout(height=340, xaxis_title="layer (0 = no context yet)",
                      margin={"l": 10, "r": 10, "t": 30, "b": 10}, title="Which layers separate the senses?")
    return fig


def explain_static(result: Polysemy, words) -> None:
    word, name, dim = md_literal(result.vectors.word), md_literal(words.name), words.dim
    if result.static_weights:
        parts = ", ".join(f"{md_literal(s)} {w:.0%}" for s, w in sorted(result.static_weights.items()))
        st.caption(
            f"★ The static space {name} (picked in the sidebar) gives '{word}' **one** {dim}-d vector for "
            f"every sense, so it cannot be drawn on this 384-d map directly. We place it honestly: at the "
            f"average of the sense centres, weighted by how close {name}'s '{word}' is to each sense's "
            f"context words in {name} ({parts}).")
    else:
        st.caption(f"★ A static embedding gives '{word}' one vector for every sense; we draw its stand-in, "
                   f"the average of all occurrences (no labelled senses, or '{word}' or its context words "
                   f"are not in {name}, the space picked in the sidebar).")


@st.cache_data(show_spinner="Scoring every bundled word at every layer…")
def all_words_table() -> pd.DataFrame:
    from embedlab.senses import sense_table

    table = sense_table(encoder=DEFAULT_TEXT_ENCODER)
    table.loc["mean"] = table.mean()
    return table.astype(np.float32)


def all_words() -> None:
    with st.expander("Which layers separate senses, for every bundled word?"):
        st.caption("Adjusted Rand index of a 2-cluster k-means split against the senses (1 = perfect, "
                   "0 = chance), 20 sentences per word.")
        if st.button("Score all bundled words (a few seconds)", key="poly_all"):
            st.dataframe(all_words_table().style.format("{:.2f}").background_gradient(axis=None),
                         key="poly_all_table")


def render(result: Polysemy, source: str, words) -> None:
    cv = result.vectors
    n_sent = len({o.sentence_index for o in cv.occurrences})
    note = f" {cv.truncated} long sentence(s) cut at the model's token limit." if cv.truncated else ""
    st.caption(f"{len(cv.occurrences)} occurrence(s) of '{cv.word}' in {n_sent} sentence(s), "
               f"model {cv.encoder}.{note}")
    best = best_layer(result.scores)
    layer = st.slider("Layer (0 = word embeddings before any context; higher = more context mixed in)",
                      0, cv.n_layers - 1, cv.n_layers - 1, key="poly_layer")
    fig, lm = scatter(result, layer)
    st.plotly_chart(fig, key="poly_map")
    explain_static(result, words)
    left, right = st.columns(2)
    left.plotly_chart(heatmap(result, lm.similarity), key="poly_heat")
    right.plotly_chart(layer_chart(result), key="poly_layers")
    score = result.scores[layer]
    if score.ari is not None:
        right.metric(f"Adjusted Rand index at layer {layer}", f"{score.ari:.2f}",
                     help="k-means with as many clusters as senses, compared with the labels: "
                     "1 = perfect, 0 = chance")
    right.caption(f"Best layer for this word: {best}.")
    if st.button("Add these occurrences to my spaces (for Map, Neighbours, export)", key="poly_add"):
        from embedlab.contextual import occurrence_space

        space = occurrence_space(cv, layer, result.senses, source=source)
        space = space.renamed(unique_name(space.name, app_state().session_spaces))
        add_session_space(space, select=False)
        st.success(f"Added '{space.name}' ({len(space)} points); pick it in the space menu on other pages.")


st.title("Polysemy explorer")
st.markdown("A static embedding such as GloVe gives **bank** one vector, whether money or river. A "
            "transformer gives each *occurrence* its own vector, shaped by the sentence. Watch the senses "
            "pull apart as the layers add context.")
page_state = app_state().page("polysemy", PolysemyState)
static_words = space_picker()
which = st.radio("Several occurrences in one sentence", ["first", "all"], horizontal=True, key="poly_which",
                 help="Use the first occurrence of the word in each sentence, or each one as its own point.")
sense_set, mode = pick_input(page_state)
if sense_set is not None:
    if mode == "typed":  # bundled words ship their hidden states: no model load for them
        text_encoder(DEFAULT_TEXT_ENCODER)
    with user_errors():
        res = (bundled_analysis(sense_set.word, which, (static_words.name, static_words.fingerprint),
                                static_words) if mode == "bundled"
               else typed_analysis(sense_set, which, page_state, static_words))
        render(res, sense_set.source if mode == "typed" else f"bundled: {sense_set.word}", static_words)
all_words()

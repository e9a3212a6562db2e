"""Polysemy explorer: one word, many sentences, one point per occurrence, layer by layer."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from embedlab.catalog import unique_name
from embedlab.encoders.specs import DEFAULT_TEXT_ENCODER
from embedlab.plots.senses import layer_chart, occurrence_map, occurrence_similarity
from embedlab.senses import Polysemy, SenseSet, analyse, best_layer, bundled_words, layer_map, load_bundled
from ui import downloads
from ui.common import add_session_space, space_picker, user_errors
from ui.literal import md_literal
from ui.models import text_encoder
from ui.progress import progress_bar
from ui.share import bind
from ui.small_encoders import saved_encoders, small_note
from ui.state import app_state, page_state, set_widget, widget_value

ENCODERS = {DEFAULT_TEXT_ENCODER: "MiniLM-L6 (transformer, published weights): 6 layers",
            "elmo-small": "ELMo (small, trained here): character CNN, 2 LSTM layers, scalar mix"}
INPUT_MODES = {"bundled": "A bundled word", "typed": "My own sentences"}
EXAMPLE = """sentence,sense
I keep my savings in the bank.,money
The bank approved my mortgage.,money
The bank closes at four on Fridays.,money
We had a picnic on the bank of the lake.,river
The children fished from the river bank.,river
Grass covered the bank beside the stream.,river"""


@dataclass
class PolysemyPage:
    """What this page remembers: the last analysis of the user's own sentences (the sentences themselves
    stay in their widgets, kept across pages)."""

    key: tuple | None = None
    result: Polysemy | None = None


@st.cache_data(show_spinner="Embedding every occurrence at every layer…", max_entries=64)
def bundled_analysis(word: str, which: str, encoder: str, space_key: tuple[str, str], _words) -> Polysemy:
    """Shared by every session: keyed by word, mode, encoder and the static space's name and fingerprint."""
    return analyse(load_bundled(word), which=which, encoder=encoder, words=_words)


def typed_analysis(ss: SenseSet, which: str, encoder: str, state: PolysemyPage, words) -> Polysemy:
    """Analyse the user's sentences with a progress bar; remembered until the input changes."""
    key = (ss.word, tuple(ss.sentences), tuple(ss.senses or ()), which, encoder, words.fingerprint)
    if state.key != key or state.result is None:
        bar, report = progress_bar("Embedding your sentences…")
        state.result = analyse(ss, which=which, encoder=encoder, words=words, progress=report)
        bar.empty()
        state.key = key
    return state.result


def pick_input() -> tuple[SenseSet | None, str]:
    """Bundled word or the user's sentences; returns the sense set (None if the input is bad) and mode."""
    from embedlab.senses import read_sense_text

    mode = st.radio("Sentences", list(INPUT_MODES), format_func=INPUT_MODES.get, horizontal=True,
                    key="poly_mode")
    if mode == "bundled":
        words = bundled_words()
        bind("word", "poly_word", default="bank" if "bank" in words else words[0], options=words)
        word = st.selectbox("Ambiguous word", words, key="poly_word")
        return load_bundled(word), "bundled"
    word = st.text_input("Word", "bank", key="poly_typed_word", persist_state="session")
    text = st.text_area(
        "One sentence per line, or a CSV with a first line `sentence,sense` to label the senses",
        EXAMPLE, height=180, key="poly_text", persist_state="session")
    with user_errors():
        return read_sense_text(text, word.strip(), "typed"), "typed"
    return None, "typed"


def explain_static(result: Polysemy, words) -> None:
    word, name, dim = md_literal(result.vectors.word), md_literal(words.name), words.dim
    if result.static_weights:
        parts = ", ".join(f"{md_literal(s)} {w:.0%}" for s, w in sorted(result.static_weights.items()))
        st.caption(
            f"★ The static space {name} (picked in the sidebar) gives '{word}' **one** {dim}-d vector for "
            f"every sense, so it cannot be drawn on this {result.vectors.vectors.shape[-1]}-d map directly. "
            f"We place it honestly: at the average of the sense centres, weighted by how close {name}'s "
            f"'{word}' is to each sense's context words in {name} ({parts}).")
    else:
        st.caption(f"★ A static embedding gives '{word}' one vector for every sense; we draw its stand-in, "
                   f"the average of all occurrences (no labelled senses, or '{word}' or its context words "
                   f"are not in {name}, the space picked in the sidebar).")


@st.cache_data(show_spinner="Scoring every bundled word at every layer…", max_entries=4)
def all_words_table(encoder: str) -> pd.DataFrame:
    from embedlab.senses import sense_table

    table = sense_table(encoder=encoder)
    table.loc["mean"] = table.mean()
    return table.astype(np.float32)


def all_words(encoder: str) -> None:
    with st.expander("Which layers separate senses, for every bundled word?"):
        st.caption("Adjusted Rand index of a 2-cluster k-means split against the senses (1 = perfect, "
                   f"0 = chance), 20 sentences per word, {md_literal(encoder)}.")
        if st.button("Score all bundled words (a few seconds)", key="poly_all"):
            table = all_words_table(encoder).style.format("{:.2f}").background_gradient(axis=None)
            downloads.dataframe(table, f"polysemy-layers-all-words-{encoder}", key="poly_all")


def layer_names(result: Polysemy) -> list[str]:
    """The encoder's names of its layers (ELMo: char-CNN, LSTM 1, LSTM 2, scalar mix), else numbers."""
    names = list(result.vectors.info.get("layer_names") or [])
    n = result.vectors.n_layers
    return names if len(names) == n else [str(i) for i in range(n)]


def layer_help(result: Polysemy) -> str:
    if result.vectors.info.get("layer_names"):
        return ("Layer (0 = the character CNN, one vector per word before any context; 1 and 2 = the LSTM "
                "layers; 3 = ELMo's learned scalar mix of all three)")
    return "Layer (0 = word embeddings before any context; higher = more context mixed in)"


def render(result: Polysemy, source: str, words) -> None:
    cv = result.vectors
    n_sent = len({o.sentence_index for o in cv.occurrences})
    note = f" {cv.truncated} long sentence(s) cut at the model's token limit." if cv.truncated else ""
    st.caption(f"{len(cv.occurrences)} occurrence(s) of '{md_literal(cv.word)}' in {n_sent} sentence(s), "
               f"model {md_literal(cv.encoder)}.{note}")
    best, names = best_layer(result.scores), layer_names(result)
    if widget_value("poly_layer", 0) >= cv.n_layers:  # another encoder had more layers
        set_widget("poly_layer", cv.n_layers - 1)
    layer = st.slider(layer_help(result), 0, cv.n_layers - 1, cv.n_layers - 1, key="poly_layer")
    lm = layer_map(result, layer)
    downloads.chart(occurrence_map(result, lm, layer), f"polysemy-{cv.word}-layer{layer}", key="poly_map")
    explain_static(result, words)
    left, right = st.columns(2)
    with left:
        downloads.chart(occurrence_similarity(result, lm.similarity), f"polysemy-{cv.word}-similarity",
                        key="poly_heat")
    with right:
        downloads.chart(layer_chart(result), f"polysemy-{cv.word}-layers", key="poly_layers")
    score = result.scores[layer]
    if score.ari is not None:
        right.metric(f"Adjusted Rand index at layer {layer} ({names[layer]})", f"{score.ari:.2f}",
                     help="k-means with as many clusters as senses, compared with the labels: "
                     "1 = perfect, 0 = chance")
    right.caption(f"Best layer for this word: {best} ({names[best]}).")
    if st.button("Add these occurrences to my spaces (for Map, Neighbours, export)", key="poly_add"):
        from embedlab.contextual import occurrence_space

        space = occurrence_space(cv, layer, result.senses, source=source)
        space = space.renamed(unique_name(space.name, app_state().session_spaces))
        add_session_space(space, select=False)
        st.success(f"Added '{md_literal(space.name)}' ({len(space)} points); pick it in the space menu on "
                   "other pages.")


def analysis(sense_set: SenseSet, mode: str, which: str, encoder: str, state: PolysemyPage, words) -> None:
    """Analyse the chosen sentences (bundled: shared by every session) and render the result."""
    if mode == "typed" or encoder != DEFAULT_TEXT_ENCODER:  # MiniLM's bundled words ship their states
        text_encoder(encoder)
    with user_errors():
        res = (bundled_analysis(sense_set.word, which, encoder, (words.name, words.fingerprint), words)
               if mode == "bundled" else typed_analysis(sense_set, which, encoder, state, words))
        render(res, sense_set.source if mode == "typed" else f"bundled: {sense_set.word}", words)


def main() -> None:
    st.title("Polysemy explorer")
    st.markdown("A static embedding such as GloVe gives **bank** one vector, whether money or river. A "
                "transformer gives each *occurrence* its own vector, shaped by the sentence. Watch the "
                "senses pull apart as the layers add context.")
    state = page_state(PolysemyPage)
    words = space_picker()
    encoders = {**ENCODERS, **saved_encoders("elmo")}  # and the ELMo models the user trained
    bind("encoder", "poly_encoder", default=DEFAULT_TEXT_ENCODER, options=encoders, short=True)
    encoder = st.radio("Encoder", list(encoders), format_func=encoders.get, key="poly_encoder",
                       horizontal=True)
    small_note(encoder)
    which = st.radio("Several occurrences in one sentence", ["first", "all"], horizontal=True,
                     key="poly_which", help="Use the first occurrence of the word in each sentence, or each "
                     "one as its own point.")
    sense_set, mode = pick_input()
    if sense_set is not None:
        analysis(sense_set, mode, which, encoder, state, words)
    all_words(encoder)


main()

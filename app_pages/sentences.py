"""Sentence lab: whole sentences as vectors — a map, a similarity matrix, semantic search, word order, and the
small sentence encoders compared."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import streamlit as st

from embedlab.catalog import unique_name
from embedlab.encoders.specs import DEFAULT_TEXT_ENCODER
from embedlab.plots.similarity import similarity_heatmap
from embedlab.sentences import (
    MAX_LINES,
    MAX_UPLOAD_BYTES,
    WORD_ORDER_PAIR,
    SentenceInput,
    averaged_space,
    csv_columns,
    default_column,
    embed_sentences,
    parse_text,
    read_upload,
    semantic_search,
    similarity_matrix,
    word_order_demo,
)
from embedlab.space import EmbeddingSpace
from ui import downloads
from ui.common import add_session_space, space_picker, user_errors
from ui.literal import md_literal
from ui.models import text_encoder
from ui.progress import progress_bar
from ui.sentence_compare import LABEL as COMPARE_LABEL
from ui.sentence_compare import TAB as COMPARE_TAB
from ui.sentence_compare import render_compare
from ui.share import bind, tabs
from ui.small_encoders import sentence_encoders, small_note
from ui.spacemap import named_clusters, space_map
from ui.state import app_state, page_state

BASE_MODELS = {"transformer": f"Transformer ({DEFAULT_TEXT_ENCODER}, mean-pooled)",
               "averaged": "Averaged word vectors (the space picked in the sidebar; the baseline)"}
INPUT_MODES = {"type": "Type or paste", "upload": "Upload a file"}
HEATMAP_CAP = 150
DEFAULT_QUERY = "Somebody plays an instrument."
PROGRESS_FROM = 200
TABS = {"Map": "Map", "Similarity": "Similarity matrix", "Search": "Semantic search", "Order": "Word order",
        COMPARE_TAB: COMPARE_LABEL}
EXAMPLE = """A man is playing a guitar on stage.
Someone performs music with a guitar.
The stock market fell sharply today.
Share prices dropped at the close of trading.
A dog is running through the park.
A puppy chases a ball across the grass.
The recipe needs two eggs and a cup of flour.
Mix the flour with the eggs to make the dough."""


@dataclass
class SentencesPage:
    """The embedded spaces, remembered until the sentences change (the typed text stays in its widget)."""

    key: tuple = ()
    spaces: dict = field(default_factory=dict)
    demo: list | None = None
    compared: tuple | None = None  # the encoders and repeats of the Compare encoders tab's result


MAP_METHODS = {"pca": "PCA (fast, linear)", "umap": "UMAP (local neighbourhoods)", "tsne": "t-SNE"}


@st.cache_data(show_spinner="Projecting to 2-D…", max_entries=32)
def map_coords(fingerprint: str, method: str, _space: EmbeddingSpace) -> np.ndarray:
    from embedlab.projection import project

    return project(_space, method, n_components=2, random_state=0)


def read_input() -> SentenceInput | None:
    """Typed lines or an uploaded .txt/.csv; None (with an error shown) when unusable."""
    how = st.radio("Sentences", list(INPUT_MODES), format_func=INPUT_MODES.get, horizontal=True, key="sl_how")
    if how == "type":
        text = st.text_area(f"One sentence per line (up to {MAX_LINES:,})", EXAMPLE, height=200,
                            key="sl_text", persist_state="session")  # kept while the user visits other pages
        with user_errors():
            return parse_text(text)
        return None
    up = st.file_uploader(f"A .txt file (one sentence per line) or a .csv/.tsv column; up to "
                          f"{MAX_UPLOAD_BYTES // 2**20} MB and {MAX_LINES:,} sentences",
                          type=["txt", "csv", "tsv"], key="sl_upload")
    if up is None:
        st.info("Upload a file to begin.")
        return None
    with user_errors():
        data = up.getvalue()
        column = None
        if up.name.lower().endswith((".csv", ".tsv")):
            cols = csv_columns(data, up.name)
            if cols:
                column = st.selectbox("Text column", cols, index=cols.index(default_column(cols)),
                                      key="sl_column")
        return read_upload(up.name, data, column=column)
    return None


def sentence_models() -> dict[str, str]:
    """The Model choices: the transformer, averaged word vectors, then the small encoders trained here."""
    return {**BASE_MODELS, **sentence_encoders()}


def encoder_of(model: str) -> str:
    """The encoder name behind a Model choice (``transformer`` is MiniLM)."""
    return DEFAULT_TEXT_ENCODER if model == "transformer" else model


@st.cache_resource(show_spinner="Embedding the example sentences…", max_entries=16)
def shared_example(model: str, words_key: tuple[str, str], _inp: SentenceInput, _words: EmbeddingSpace
                   ) -> EmbeddingSpace:
    """The example sentences embedded once per server (every session starts from them; spaces are
    read-only, so sharing the object is safe)."""
    if model == "averaged":
        return averaged_space(_inp, _words)
    text_encoder(encoder_of(model))
    return embed_sentences(_inp, encoder_of(model))


def embed(inp: SentenceInput, model: str, state: SentencesPage, words: EmbeddingSpace) -> EmbeddingSpace:
    """Embed once per (sentences, model, word space); a progress bar for larger inputs."""
    key = (inp.source, tuple(inp.sentences), words.name, words.fingerprint)
    if state.key != key:
        state.key, state.spaces = key, {}
    if model not in state.spaces:
        if inp.source == "typed" and "\n".join(inp.sentences) == EXAMPLE:
            state.spaces[model] = shared_example(model, (words.name, words.fingerprint), inp, words)
        elif model == "averaged":
            state.spaces[model] = averaged_space(inp, words)
        else:
            text_encoder(encoder_of(model))
            bar, report = progress_bar("Embedding…") if len(inp.sentences) >= PROGRESS_FROM else (None, None)
            state.spaces[model] = embed_sentences(inp, encoder_of(model), progress=report)
            if bar:
                bar.empty()
    return state.spaces[model]


def notes(inp: SentenceInput, space: EmbeddingSpace, words: EmbeddingSpace) -> None:
    msgs = inp.notes()
    if space.info.get("truncated"):
        msgs.append(f"{space.info['truncated']:,} sentence(s) longer than the model's limit of "
                    f"{space.info['max_length']} tokens were truncated (only their beginning is embedded).")
    if space.info.get("no_known_words"):
        msgs.append(f"{space.info['no_known_words']:,} sentence(s) have no word in {md_literal(words.name)}; "
                    "their vector is all zeros.")
    for m in msgs:
        st.info(md_literal(m))


def sentence_map(space: EmbeddingSpace) -> None:
    if len(space) < 3:
        st.info("Add at least 3 sentences to draw a map.")
        return
    bind("proj", "sl_method", default="pca", options=MAP_METHODS, short=True)
    method = st.selectbox("Projection", list(MAP_METHODS), format_func=MAP_METHODS.get, key="sl_method",
                          persist_state="page")
    with user_errors():
        xy = map_coords(space.fingerprint, method, space)
        title = f"{len(space):,} sentences, {MAP_METHODS[method].split(' (')[0]} of {space.name}"
        short = [k if len(k) <= 36 else k[:35] + "…" for k in space.keys]
        k = int(np.clip(len(space) // 6, 2, 8))
        clusters = named_clusters(space, space.fingerprint, k) if len(space) >= 6 else None
        st.caption("Colours: k-means clusters of the sentence vectors, each named by its TF-IDF keywords "
                   "(words frequent in the cluster and rare in the others).")
        space_map(space, xy, "sl_map", f"sentence-map-{method}", (method,), labels=short, colour=clusters,
                  colour_name="cluster", title=title, text_labels=len(space) <= 40)
        table = pd.DataFrame({"sentence": space.keys, "x": xy[:, 0], "y": xy[:, 1]})
        if clusters is not None:
            table["cluster"] = clusters
        downloads.table(table, f"sentence-map-{method}", key="sl_map_table", label="⬇ Download coordinates")


def sim_heatmap(space: EmbeddingSpace) -> None:
    shown = space if len(space) <= HEATMAP_CAP else space.head(HEATMAP_CAP)
    if len(shown) < len(space):
        st.caption(f"Showing the first {HEATMAP_CAP} of {len(space):,} sentences.")
    labels = [f"{i + 1}. {k[:30]}" for i, k in enumerate(shown.keys)]
    sim = similarity_matrix(shown)
    downloads.chart(similarity_heatmap(sim, labels, diverging=True), "sentence-similarity", key="sl_heat")
    downloads.table(pd.DataFrame(sim, index=list(shown.keys), columns=list(shown.keys)).reset_index(
        names="sentence"), "sentence-similarity", key="sl_heat_table", label="⬇ Download matrix")


def search(space: EmbeddingSpace, static: EmbeddingSpace) -> None:
    c1, c2 = st.columns([4, 1])
    bind("query", "sl_query", default=DEFAULT_QUERY, short=True)
    query = c1.text_input("Find sentences like this one", key="sl_query", persist_state="page")
    k = c2.number_input("Top k", 1, max(1, len(space)), min(5, len(space)), key="sl_k", persist_state="page")
    with user_errors():
        words = static if space.info.get("words") else None
        rows = semantic_search(space, query, k=int(k), words=words)
        hits = pd.DataFrame(rows, columns=["sentence", "cosine"])
        downloads.dataframe(hits, "sentence-search", key="sl_hits", hide_index=True, column_config={
            "cosine": st.column_config.ProgressColumn(format="%.3f", min_value=-1, max_value=1)})


def order_demo(state: SentencesPage, words: EmbeddingSpace) -> None:
    a, b = WORD_ORDER_PAIR
    st.markdown(f"Averaging word vectors forgets word order: **{md_literal(a)}** and **{md_literal(b)}** use "
                "the same words.")
    if st.button(f"Compare “{md_literal(a)}” with “{md_literal(b)}”", key="sl_demo"):
        text_encoder(DEFAULT_TEXT_ENCODER)
        state.demo = word_order_demo(words, DEFAULT_TEXT_ENCODER)
    if state.demo:
        downloads.dataframe(pd.DataFrame(state.demo), "word-order", key="sl_demo_table", hide_index=True)
        downloads.json_data(state.demo, "word-order", key="sl_demo_dl")
        st.caption("Cosine 1.0 with identical vectors: the average cannot tell who bit whom. The transformer "
                   "reads the order, so its two vectors differ.")


def explore(inp: SentenceInput, state: SentencesPage, words: EmbeddingSpace) -> None:
    """Embed the sentences with the chosen model, then the map, matrix, search, word-order and comparison
    tabs (lazy: only the open one runs)."""
    models = sentence_models()
    bind("model", "sl_model", default=next(iter(models)), options=models, short=True)
    model = st.radio("Model", list(models), format_func=models.get, horizontal=True, key="sl_model")
    small_note(model)
    with user_errors():
        space = embed(inp, model, state, words)
        notes(inp, space, words)
        name, tab = tabs(TABS, key="sl_tab", opened_by={"query": "Search"})  # a search link opens Search
        with tab:
            if name == "Map":
                sentence_map(space)
            elif name == "Similarity":
                sim_heatmap(space)
            elif name == "Search":
                search(space, words)
            elif name == "Order":
                order_demo(state, words)
            else:
                render_compare(state)
        downloads.space(space, key="sl_space_dl", label="⬇ Download these sentence vectors")
        if st.button("Add these sentences to my spaces (for Map, Neighbours, export)", key="sl_add"):
            added = space.renamed(unique_name(space.name, app_state().session_spaces))
            add_session_space(added, select=False)
            st.success(f"Added '{md_literal(added.name)}' ({len(added):,} sentences); pick it in the space "
                       "menu.")


def main() -> None:
    st.title("Sentence lab")
    state = page_state(SentencesPage)
    words = space_picker()
    inp = read_input()
    if inp is None:  # nothing to embed yet: the word-order demo still works
        order_demo(state, words)
    else:
        explore(inp, state, words)


main()

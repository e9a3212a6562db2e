"""Use embeddings: what vectors buy, measured — classify, search, recommend, summarise, probe, benefits.

All work is done by :mod:`embedlab.apps`; this page reads widgets, calls one function per panel, renders.
Only the open tab runs (lazy tabs), and every result is cached by a cheap key (content hash, space name and
fingerprint), so switching tabs or re-running is quick.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from embedlab.apps import data as apps_data
from embedlab.apps.features import texts_key
from embedlab.space import EmbeddingSpace
from embedlab.strings import split_list
from ui import downloads, presenter
from ui.common import space_picker, user_errors
from ui.literal import md_literal
from ui.share import bind, tabs
from ui.small_encoders import sentence_encoders, small_note
from ui.state import page_state
from ui.use_tabs import (
    TEXT_SOURCES,
    cached_collection,
    cached_doc_vectors,
    hits_table,
    recommend_tab,
    render_benefits,
    render_probes,
    render_summary,
)

TABS = {name: name for name in ("Classify", "Search", "Recommend", "Summarise", "Probe", "Benefits")}
OPENED_BY = {"search": "Search", "collection": "Search", "task": "Probe"}  # a link naming these opens the tab
LABEL_SOURCES = {
    "bundled": "Bundled: movie-review sentences (200, pos/neg)",
    "upload": "Upload a CSV",
    "paste": "Paste CSV text",
}
PER_CLASS = [5, 10, 30, 100, "all"]
DEFAULT_PER_CLASS = [5, 10, 30, "all"]  # the bundled set has 100 a class: 100 would leave none to test
DEFAULT_FEATURES = ["bow", "glove-50d", "minilm"]
DEFAULT_SEARCH = "wildfire near Sydney"
EXAMPLE_CSV = """text,label
a warm and funny film,pos
great acting and a moving story,pos
I loved every minute,pos
a delightful surprise,pos
a beautiful and clever movie,pos
dull and far too long,neg
the plot makes no sense,neg
boring from start to finish,neg
a waste of a good cast,neg
clumsy and lifeless,neg
"""


@dataclass
class UsePage:
    """What the page remembers between reruns (widget values live in their widgets)."""

    run_transfer: bool = False
    speed: list | None = None


@st.cache_data(show_spinner=False, max_entries=4)
def cached_labelled(name: str) -> apps_data.LabelledTexts:
    return apps_data.load_labelled(name)


@st.cache_data(show_spinner=False, max_entries=16)
def cached_curve(
    key: str, features: tuple, per_class: tuple, repeats: int, seed: int, _texts, _labels, _spaces
):
    from embedlab.apps.classify import learning_curve

    return learning_curve(_texts, _labels, features, per_class, repeats, seed, spaces=_spaces)


@st.cache_data(show_spinner=False, max_entries=16)
def cached_evaluation(key: str, features: str, per_class: int, seed: int, _texts, _labels, _spaces):
    from embedlab.apps.classify import evaluate

    return evaluate(_texts, _labels, features, per_class, seed, spaces=_spaces)


def labelled_input() -> apps_data.LabelledTexts | None:
    """The bundled set, an uploaded CSV or pasted CSV text; None (with a message) when unusable."""
    from embedlab.sentences import csv_columns
    from embedlab.uploads import check_size

    how = st.radio(
        "Labelled texts",
        list(LABEL_SOURCES),
        format_func=LABEL_SOURCES.get,
        horizontal=True,
        key="use_cls_source", persist_state="page",
    )
    if how == "bundled":
        return cached_labelled("pang-lee")
    if how == "upload":
        up = st.file_uploader(
            "CSV or TSV with a header row: a text column and a label column (up to 5 MB)",
            type=["csv", "tsv"],
            key="use_cls_upload",
            max_upload_size=5,
        )
        if up is None:
            st.info("Upload a CSV to begin (or pick the bundled set).")
            return None
        name, raw = up.name, up.getvalue()
    else:
        pasted = st.text_area("CSV with a header row", EXAMPLE_CSV, height=180, key="use_cls_paste",
                              persist_state="session")  # kept while the user visits other pages
        name, raw = "pasted.csv", pasted.encode("utf-8")
    with user_errors():
        check_size(name, len(raw), apps_data.MAX_CSV_BYTES)
        cols = csv_columns(raw, name)
        if len(cols) < 2:
            st.error(md_literal(f"{name} needs a header row with at least two columns (text, label); "
                                f"found {len(cols)}."))
            return None
        c1, c2 = st.columns(2)
        tcol = c1.selectbox(
            "Text column", cols, index=cols.index("text") if "text" in cols else 0, key="use_cls_textcol",
            persist_state="page"
        )
        lcol = c2.selectbox(
            "Label column", cols, index=cols.index("label") if "label" in cols else 1, key="use_cls_labelcol",
            persist_state="page"
        )
        got = apps_data.read_labelled_csv(name, raw, tcol, lcol)
        for note in got.notes:
            st.info(md_literal(note))
        return got
    return None


def _per_class(text: str) -> list:
    """``5,10,all`` (a URL value) → ``[5, 10, "all"]``."""
    return [v if v == "all" else int(v) for v in split_list(text)]


def _joined(values) -> str:
    return ",".join(map(str, values))


def feature_options(space: EmbeddingSpace) -> dict[str, str]:
    from embedlab.apps.features import feature_label

    names = ["bow", "glove-50d", *([space.name] if space.name != "glove-50d" else []), "minilm",
             *sentence_encoders()]  # the small encoders trained here (ELMo, Skip-Thought, DAN, InferSent)
    return {n: feature_label(n) for n in names}


def classify_tab(space: EmbeddingSpace) -> None:
    st.caption(
        "Few labelled examples: does a model learn more from word or sentence vectors than from the "
        "words themselves? Each point: the first N seeded examples of each class train a logistic "
        "regression, all the others test it, repeated over seeds (bars: ±1 sd; band: min–max)."
    )
    got = labelled_input()
    if got is None:
        return
    st.caption(
        md_literal(
            f"{len(got.texts):,} texts; classes: " + ", ".join(f"{k} ({v})" for k, v in got.counts().items())
        )
    )
    opts = feature_options(space)
    c1, c2 = st.columns([3, 2])
    bind("features", "use_cls_features", default=DEFAULT_FEATURES, options=opts, parse=split_list,
         dump=_joined, short=True)
    feats = c1.multiselect("Features", list(opts), format_func=opts.get, key="use_cls_features",
                           persist_state="page")
    bind("per", "use_cls_per", default=DEFAULT_PER_CLASS, options=PER_CLASS, parse=_per_class, dump=_joined,
         short=True)
    per = c2.multiselect("Training examples per class", PER_CLASS, key="use_cls_per", persist_state="page")
    with presenter.extras():
        repeats = st.number_input("Repeats", 1, 20, 5, key="use_cls_repeats", persist_state="page")
    if not feats or not per:
        st.info("Pick at least one kind of features and one number of examples per class.")
        return
    small_note(list(feats))
    spaces = {space.name: space}
    key = texts_key(got.texts + got.labels, salt=f"{space.name}:{space.fingerprint}")
    with user_errors(), st.spinner("Training and testing on repeated splits (sentence vectors are cached)…"):
        curve = cached_curve(key, tuple(feats), tuple(per), int(repeats), 0, got.texts, got.labels, spaces)
        from embedlab.plots.apps import learning_curve_figure

        for note in curve.notes:
            st.info(md_literal(note))
        downloads.chart(
            learning_curve_figure(curve.rows, curve.chance, "Accuracy vs training examples per class"),
            "learning-curve",
            key="use_cls_curve",
        )
        downloads.dataframe(curve.table().rename(index=opts).round(3), "learning-curve", key="use_cls",
                            download=curve.to_frame())
        classify_details(got, curve, opts, spaces, key)


def classify_details(got, curve, opts: dict, spaces: dict, key: str) -> None:
    st.subheader("One split in detail")
    c1, c2 = st.columns(2)
    feats = list(dict.fromkeys(r["features"] for r in curve.rows))
    feat = c1.selectbox(
        "Features", feats, index=len(feats) - 1, format_func=lambda f: opts.get(f, f), key="use_cls_dfeat",
        persist_state="page"
    )
    points = sorted({r["per_class"] for r in curve.rows})
    n = c2.selectbox("Examples per class", points, index=min(1, len(points) - 1), key="use_cls_dn",
                     persist_state="page")
    ev = cached_evaluation(key, feat, int(n), 0, got.texts, got.labels, spaces)
    from embedlab.plots.apps import confusion_figure

    left, right = st.columns([1, 2])
    left.metric(
        "Held-out accuracy", f"{ev.accuracy:.3f}", help=f"{ev.n_train} training, {ev.n_test} test texts"
    )
    with left:
        downloads.chart(confusion_figure(ev.classes, ev.confusion, "Confusion matrix"), "confusion-matrix",
                        key="use_cls_cm")
        matrix = pd.DataFrame(ev.confusion, index=list(ev.classes), columns=list(ev.classes))
        downloads.table(matrix.rename_axis("true label").reset_index(), "confusion-matrix",
                        key="use_cls_cm_dl", label="⬇ Download matrix")
    right.caption(f"{len(ev.mistakes):,} misclassified test texts, most confident mistakes first")
    with right:
        downloads.dataframe(
            ev.mistakes,
            "classification-mistakes",
            key="use_cls_mistakes",
            hide_index=True,
            height=400,
            column_order=["true", "predicted", "confidence", "text"],
            column_config={"confidence": st.column_config.NumberColumn(format="%.2f")},
        )


def collection_input(prefix: str) -> tuple[list[str], str] | None:
    """A bundled collection or the user's sentences (.txt / .csv), with its content key."""
    from embedlab.sentences import read_upload

    bind("collection", f"{prefix}_coll", default=next(iter(TEXT_SOURCES)), options=TEXT_SOURCES, short=True)
    how = st.selectbox("Collection", list(TEXT_SOURCES), format_func=TEXT_SOURCES.get, key=f"{prefix}_coll",
                       persist_state="page")
    if how != "upload":
        docs = cached_collection(how)
        return docs, texts_key(docs)
    up = st.file_uploader(
        "Sentences: .txt (one per line) or .csv (first text column); up to 2 MB",
        type=["txt", "csv", "tsv"],
        key=f"{prefix}_upload",
        max_upload_size=2,
    )
    if up is None:
        st.info("Upload your sentences, or pick a bundled collection.")
        return None
    with user_errors():
        inp = read_upload(up.name, up.getvalue(), max_lines=2000, max_bytes=2 * 2**20)
        return inp.sentences, texts_key(inp.sentences)
    return None


def search_tab() -> None:
    st.caption(
        "Keyword search (BM25) ranks texts by the query's words; semantic search by meaning "
        "(MiniLM sentence vectors). ★ marks a hit the other method misses."
    )
    got = collection_input("use_search")
    if got is None:
        return
    docs, key = got
    c1, c2 = st.columns([4, 1])
    bind("search", "use_search_query", default=DEFAULT_SEARCH, short=True)
    query = c1.text_input("Query", key="use_search_query", persist_state="page")
    k = c2.number_input("Hits per method", 1, 50, 8, key="use_search_k", persist_state="page")
    with user_errors(), st.spinner(f"Embedding {len(docs):,} sentences (once; cached)…"):
        from embedlab.apps.search import compare_search

        hits = compare_search(docs, query, int(k), doc_vectors=cached_doc_vectors(key, docs))
        left, right = st.columns(2)
        for col, method, title in (
            (left, "keyword", "Keyword (BM25)"),
            (right, "semantic", "Semantic (MiniLM)"),
        ):
            with col:
                hits_table(hits[hits["method"] == method], title, f"use_search_{method}")
        downloads.table(hits, f"search-{query}", key="use_search_dl", label="⬇ Download the hits")


def main() -> None:
    st.title("Use embeddings")
    st.caption(
        "What embeddings are for, with numbers: learn from few examples, search by meaning, "
        "recommend, summarise, read properties off vectors — and what dense vectors save."
    )
    space = space_picker()
    state = page_state(UsePage)
    name, tab = tabs(TABS, key="use_tab", opened_by=OPENED_BY)
    panels = {
        "Classify": lambda: classify_tab(space),
        "Search": search_tab,
        "Recommend": recommend_tab,
        "Summarise": render_summary,
        "Probe": lambda: render_probes(space),
        "Benefits": lambda: render_benefits(state, space),
    }
    with tab:
        panels[name]()


main()

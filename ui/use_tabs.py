"""Panels of the "Use embeddings" page (app_pages/use.py): recommend, summarise, probe, benefits, the cached
calls they share with the search panel. Each panel reads widgets, calls :mod:`embedlab.apps`, renders."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from embedlab.apps import data as apps_data
from embedlab.space import EmbeddingSpace
from embedlab.strings import human_bytes, split_list
from ui import downloads, presenter
from ui.common import user_errors
from ui.literal import md_literal
from ui.share import bind

TEXT_SOURCES = {
    "lee-news": "News sentences (300, Lee et al. 2005 corpus)",
    "pang-lee": "Movie-review sentences (200, Pang & Lee)",
    "upload": "Your sentences (upload)",
}
IMAGE_SETS = {"emoji": "Emoji (216 of 648)", "skimage-photos": "scikit-image photos (15)"}
RECOMMEND_KINDS = {
    "images": "Images: more like this",
    "texts": "Texts: more like this",
    "items": "Items: item2vec on baskets",
}
MAX_SEQ_MB = 5
DEFAULT_IMAGE = "animals-nature/ant.png"


@st.cache_data(show_spinner=False, max_entries=4)
def cached_collection(name: str) -> list[str]:
    return apps_data.load_collection(name, limit=300)


@st.cache_data(show_spinner=False, max_entries=16)
def cached_doc_vectors(key: str, _docs: list[str]) -> np.ndarray:
    from embedlab.apps.features import sentence_vectors

    return sentence_vectors(_docs)


def hits_table(part: pd.DataFrame, title: str, key: str) -> None:
    """One method's hits as wrapped plain text (user text is never markdown): ★ = only this method."""
    only = int(part["only_here"].sum())
    st.markdown(f"**{title}** — {len(part)} hits, {only} ★ found only here")
    if part.empty:
        st.info("No hits: no document contains any word of the query.")
        return
    with st.container(border=True, key=key):
        for r in part.itertuples():
            st.text(f"{r.rank}. {'★ ' if r.only_here else ''}{r.text}   [{r.score:.3f}]")


# ----------------------------------------------------------------------------- recommend
@st.cache_resource(show_spinner=False, max_entries=4)
def image_space(name: str) -> EmbeddingSpace:
    from embedlab.images.datasets import load_image_set
    from embedlab.images.pipeline import embed_batch

    batch = load_image_set(name, limit=216 if name == "emoji" else None)
    return embed_batch(batch, name)[0]


@st.cache_resource(show_spinner=False, max_entries=8)
def item_space(key: str, _sequences: list[list[str]]) -> EmbeddingSpace:
    from embedlab.apps.recommend import Item2Vec

    return Item2Vec(random_state=0).fit(_sequences).embedding_


def _image_recommend() -> None:
    from embedlab.apps.recommend import more_like_this
    from embedlab.images.thumbs import uri_bytes

    name = st.selectbox("Image set", list(IMAGE_SETS), format_func=IMAGE_SETS.get, key="use_rec_imgset",
                        persist_state="page")
    with st.spinner("Embedding the images with EfficientNet-Lite0 (once; cached on disk)…"):
        space = image_space(name)
    keys = list(space.keys)
    default = keys.index(DEFAULT_IMAGE) if DEFAULT_IMAGE in keys else 0
    key = st.selectbox("Item", keys, index=default, key="use_rec_img", persist_state="page")
    thumbs = dict(zip(space.keys, space.meta["thumb"], strict=True))
    hits = more_like_this(space, key, topn=8)
    cols = st.columns(9)
    cols[0].image(uri_bytes(thumbs[key]), caption="this one", width=80)
    for col, (k, s) in zip(cols[1:], hits, strict=False):
        col.image(uri_bytes(thumbs[k]), caption=f"{s:.2f}", width=80)
    downloads.dataframe(pd.DataFrame(hits, columns=["item", "cosine"]), f"more-like-{key}",
                        key="use_rec_img_table", hide_index=True)


def _text_recommend() -> None:
    from embedlab.apps.recommend import more_like_this

    name = st.selectbox(
        "Collection", ["lee-news", "pang-lee"], format_func=TEXT_SOURCES.get, key="use_rec_coll",
        persist_state="page"
    )
    docs = cached_collection(name)
    from embedlab.apps.features import texts_key

    vecs = cached_doc_vectors(texts_key(docs), docs)
    space = EmbeddingSpace(docs, vecs, name=name)
    pick = st.selectbox("Sentence", range(len(docs)), format_func=lambda i: docs[i][:120], key="use_rec_text",
                        persist_state="page")
    downloads.dataframe(
        pd.DataFrame(more_like_this(space, docs[pick], topn=8), columns=["more like this", "cosine"]),
        "more-like-this-sentence",
        key="use_rec_text_table",
        hide_index=True,
    )


def _sequences() -> tuple[list[list[str]], str, bool] | None:
    from embedlab.apps.features import texts_key
    from embedlab.apps.recommend import bundled_baskets, parse_sequences

    how = st.radio(
        "Sequences",
        ["bundled", "upload"],
        horizontal=True,
        key="use_rec_seqsrc", persist_state="page",
        format_func={"bundled": "Bundled baskets (3,000, synthetic)", "upload": "Upload (.txt)"}.get,
    )
    if how == "bundled":
        seqs = bundled_baskets()
        return seqs, "bundled", True
    up = st.file_uploader(
        f"One basket / playlist / session per line, item ids separated by spaces or commas "
        f"(up to {MAX_SEQ_MB} MB)",
        type=["txt", "csv"],
        key="use_rec_sequp",
        max_upload_size=MAX_SEQ_MB,
    )
    if up is None:
        st.info("Upload a file of item sequences, or use the bundled baskets.")
        return None
    with user_errors():
        seqs = parse_sequences(up.name, up.getvalue())
        return seqs, texts_key([" ".join(s) for s in seqs]), False
    return None


def _item_recommend() -> None:
    from embedlab.apps.recommend import ITEM_THEME, more_like_this
    from embedlab.plots.maps import scatter_map

    got = _sequences()
    if got is None:
        return
    seqs, key, bundled = got
    with user_errors(), st.spinner("Training item2vec (word2vec on the sequences)…"):
        space = item_space(key, seqs)
        keys = list(space.keys)
        item = st.selectbox(
            "Item", keys, index=keys.index("spaghetti") if "spaghetti" in keys else 0, key="use_rec_item",
            persist_state="page"
        )
        left, right = st.columns([1, 2])
        with left:
            downloads.dataframe(
                pd.DataFrame(more_like_this(space, item, topn=8), columns=["bought with it", "cosine"]),
                f"bought-with-{item}",
                key="use_rec_item_table",
                hide_index=True,
            )
        from embedlab.linalg import pca_2d

        colour = [ITEM_THEME.get(k, "other") for k in keys] if bundled else None
        fig, _ = scatter_map(
            pca_2d(space.vectors),
            keys,
            color=colour,
            color_name="theme" if bundled else None,
            highlight=[item],
            title=f"{len(keys)} items, PCA of item2vec vectors",
        )
        with right:
            downloads.chart(fig, "item2vec-map", key="use_rec_item_map")
        st.caption(f"{space.info['sequences']:,} sequences; items seen fewer than 2 times are left out.")


def recommend_tab() -> None:
    st.caption("Recommend by nearest neighbours: similar vectors = similar items.")
    kind = st.radio(
        "What to recommend",
        list(RECOMMEND_KINDS),
        format_func=RECOMMEND_KINDS.get,
        horizontal=True,
        key="use_rec_kind", persist_state="page",
    )
    with user_errors():
        {"images": _image_recommend, "texts": _text_recommend, "items": _item_recommend}[kind]()


# ----------------------------------------------------------------------------- summarise
@st.cache_data(show_spinner=False, max_entries=16)
def cached_summary(text: str, k: int, lam: float):
    from embedlab.apps.summarise import summarise

    return summarise(text, k=k, lam=lam)


def _highlight(row: pd.Series) -> list[str]:
    return ["background-color: #fff3b0" if row["in summary"] else ""] * len(row)


def render_summary() -> None:
    st.caption(
        "Extractive summary: the sentences closest to the text's centroid (MiniLM vectors), with MMR "
        "skipping sentences too similar to ones already picked. Picked sentences are highlighted in place."
    )
    text = st.text_area("Text to summarise", apps_data.sample_article(0), height=200, key="use_sum_text",
                        persist_state="page")
    k = st.slider("Sentences in the summary", 1, 10, 3, key="use_sum_k", persist_state="page")
    with presenter.extras():
        lam = st.slider("Centrality vs novelty (1 = centrality only)", 0.0, 1.0, 0.7, 0.05, key="use_sum_lam",
                        persist_state="page")
    with user_errors(), st.spinner("Embedding the sentences…"):
        s = cached_summary(text, int(k), float(lam))
        st.markdown("**Summary**")
        st.text(s.text)
        df = s.to_frame().rename(columns={"in_summary": "in summary"})
        df["pick"] = [f"#{int(p)}" if p == p and p is not None else "" for p in df["pick"]]
        downloads.dataframe(
            df.style.apply(_highlight, axis=1).format({"centrality": "{:.3f}"}),
            "summary-sentences",
            key="use_sum_table",
            hide_index=True,
            column_order=["pick", "centrality", "in summary", "sentence"],
            column_config={
                c: st.column_config.Column(width="small") for c in ("pick", "centrality", "in summary")
            },
            height=min(40 + 35 * len(df), 800),
        )
        downloads.json_data({"summary": s.text, "sentences": int(k), "centrality_vs_novelty": float(lam)},
                            "summary", key="use_sum_dl", label="⬇ Download the summary")


# ----------------------------------------------------------------------------- probes
@st.cache_resource(show_spinner=False, max_entries=8)
def cached_probes(name: str, fingerprint: str, _space: EmbeddingSpace) -> dict:
    from embedlab.apps.probes import PROBE_TASKS, run_probe
    from embedlab.errors import EmbedlabError

    out = {}
    for task in PROBE_TASKS:
        try:
            out[task] = run_probe(_space, task)
        except EmbedlabError as exc:
            out[task] = exc
    return out


def render_probes(space: EmbeddingSpace) -> None:
    from embedlab.apps.probes import PROBE_TASKS
    from embedlab.plots.apps import direction_figure, probe_figure

    st.caption(
        md_literal(
            f"A linear probe reads a property off {space.name}'s vectors. Held out: words it never saw. "
            "Baseline: the same probe trained on shuffled labels (what it can fake with no signal)."
        )
    )
    with st.spinner("Fitting the probes…"):
        probes = cached_probes(space.name, space.fingerprint, space)
    rows = [
        {"title": PROBE_TASKS[t].title, **p.summary()}
        for t, p in probes.items()
        if not isinstance(p, Exception)
    ]
    for t, p in probes.items():
        if isinstance(p, Exception):
            st.warning(md_literal(f"{PROBE_TASKS[t].title}: {p}"))
    if not rows:
        return
    downloads.chart(probe_figure(rows, f"Linear probes on {space.name}"), f"probes-{space.name}",
                    key="use_probe_fig")
    table = pd.DataFrame(rows)[
        ["title", "accuracy", "baseline", "baseline_std", "majority", "n_train", "n_test", "missing"]
    ].round(3)
    downloads.dataframe(table, f"probes-{space.name}", key="use_probe", hide_index=True)
    ok = [t for t, p in probes.items() if not isinstance(p, Exception)]
    bind("task", "use_probe_task", default=ok[0], options=ok, short=True)
    task = st.selectbox("Probe", ok, format_func=lambda t: PROBE_TASKS[t].title, key="use_probe_task",
                        persist_state="page")
    probe = probes[task]
    st.caption(f"Words: {PROBE_TASKS[task].source}.")
    defaults = {
        "plural": "pencils, pencil, giraffes, giraffe, bicycles, bicycle",
        "continent": "lesotho, djibouti, brunei, maldives, malta, andorra, grenada",
        "sentiment": "delicious, gloomy, vacation, funeral, sunshine, tax",
    }
    words = st.text_input(
        "Apply the probe to words it has not seen (comma-separated)",
        defaults[task],
        key=f"use_probe_words_{task}", persist_state="page",
    )
    with user_errors():
        out = probe.predict(space, split_list(words))
        c1, c2 = st.columns([1, 1])
        with c1:
            downloads.dataframe(
                out,
                f"probe-{task}-applied",
                key="use_probe_applied",
                hide_index=True,
                column_config={
                    "confidence": st.column_config.NumberColumn(format="%.2f"),
                    "score": st.column_config.NumberColumn(format="%.3f"),
                },
            )
        found = out[out["predicted"] != ""]
        if probe.direction_ is not None and len(found):
            with c2:
                fig = direction_figure(
                    list(found["word"]), list(found["score"]), list(probe.classes_), "The learned direction"
                )
                downloads.chart(fig, f"probe-{task}-direction", key="use_probe_dir")
        with st.expander("Held-out words and the probe's answers"):
            downloads.dataframe(probe.results_, f"probe-{task}-held-out", key="use_probe_results",
                                hide_index=True)


# ----------------------------------------------------------------------------- benefits
@st.cache_resource(show_spinner=False, max_entries=1)
def small_space() -> EmbeddingSpace:
    from embedlab.apps.benefits import train_small_space

    return train_small_space()


@st.cache_data(show_spinner=False, max_entries=2)
def cached_transfer():
    from embedlab.apps.benefits import transfer

    got = apps_data.load_labelled("pang-lee")
    return transfer(got.texts, got.labels, small=small_space())


def render_benefits(state, space: EmbeddingSpace) -> None:
    from embedlab.apps.benefits import lookup_speed, one_hot_vs_dense
    from embedlab.plots.apps import cosine_pair_figure, learning_curve_figure

    st.subheader("One-hot vs dense")
    words = st.text_input(
        "Your words (comma-separated)", "cat, dog, kitten, car, automobile, banana", key="use_ben_words",
        persist_state="page"
    )
    with user_errors():
        r = one_hot_vs_dense(space, split_list(words))
        c = st.columns(4)
        c[0].metric("One-hot dimensions", f"{r['one_hot_dim']:,}")
        c[1].metric(md_literal(f"Dense dimensions ({space.name})"), f"{r['dense_dim']:,}")
        c[2].metric(
            "One-hot matrix (float32)",
            human_bytes(r["one_hot_bytes_dense"]),
            help=f"sparse: {human_bytes(r['one_hot_bytes_sparse'])} (an index and a value per word)",
        )
        c[3].metric("Dense matrix (float32)", human_bytes(r["dense_bytes"]))
        if r["missing"]:
            st.info(md_literal("Not in the space (left out): " + ", ".join(r["missing"])))
        downloads.chart(cosine_pair_figure(r["words"], r["one_hot_cos"], r["dense_cos"], space.name),
                        "one-hot-vs-dense", key="use_ben_cos")
        st.caption(
            f"Largest one-hot cosine between two different words: {r['max_off_diagonal_one_hot']:.1f}. "
            "One-hot vectors cannot say that 'car' is closer to 'automobile' than to 'banana'."
        )
    st.subheader("Lookup speed")
    if st.button("Measure lookup speed", key="use_ben_speed"):
        state.speed = lookup_speed(space)
    if state.speed:
        downloads.dataframe(pd.DataFrame(state.speed).round(2), "lookup-speed", key="use_ben_speed_table",
                            hide_index=True)
    st.subheader("Transfer: pretrained vs trained on a small corpus")
    st.caption(
        "Averaged glove-50d vectors (trained on 6 billion tokens) vs word2vec trained here on ~115k "
        "words of the bundled corpus, as features for the movie-review classifier."
    )
    if st.button("Run the comparison (trains word2vec first; about a minute)", key="use_ben_transfer"):
        state.run_transfer = True
    if state.run_transfer:
        with user_errors(), st.spinner("Training word2vec and the classifiers…"):
            curve = cached_transfer()
            downloads.chart(learning_curve_figure(curve.rows, curve.chance, "Transfer"), "transfer",
                            key="use_ben_tr")

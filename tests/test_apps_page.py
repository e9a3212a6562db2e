"""The "Use embeddings" page under AppTest: every tab renders on bundled data; bad inputs show a sentence."""

from __future__ import annotations

import pytest
from conftest import open_page, shown


@pytest.fixture(scope="module")
def page():
    return open_page("use", timeout=600)


def _switch(at, tab: str, **widgets):
    for key, value in widgets.items():
        at.session_state[key] = value
    at.query_params["tab"] = tab  # as a link opens it
    at.run()
    assert not at.exception, at.exception
    return at


def _frame(at, *columns: str):
    """The first table on the page that has all ``columns`` (AppTest tables carry no keys)."""
    for d in at.dataframe:
        value = d.value
        value = value.data if hasattr(value, "data") else value  # a Styler
        if all(c in value.columns for c in columns):
            return value
    raise AssertionError(f"no table with columns {columns}")


def _errors(at) -> list[str]:
    return [e.value for e in at.error]


def test_classify_tab_draws_the_curve_on_the_bundled_set(page):
    assert not _errors(page)
    assert page.get("plotly_chart")  # learning curve and confusion matrix
    table = _frame(page, 5, 10, 30, 80)
    assert len(table) == 3 and list(table.columns) == [5, 10, 30, 80]
    assert not any("nothing to test on" in i.value for i in page.info)  # defaults the bundled set can test


def test_asking_for_more_examples_than_a_class_has_gives_a_note(page):
    at = _switch(page, "Classify", use_cls_per=[10, 100])
    assert any("100 examples per class" in i.value for i in at.info)
    assert list(_frame(at, 10).columns) == [10]
    _switch(at, "Classify", use_cls_per=[5, 10, 30, "all"])


@pytest.mark.parametrize(
    ("csv", "message"),
    [
        ("text,label\nfine,pos\ngood,pos\nnice,pos\n", "at least two classes"),
        ("text\njust one column\n", "at least two columns"),
        ("text,label\na,0.1\nb,0.25\nc,0.7\nd,0.33\n", "looks like a score"),
        ("text,label\n,pos\n  ,neg\n", "no row has both"),
        ("text,label\na,pos\nb,neg\n", "too few"),
    ],
)
def test_bad_csv_shows_a_sentence_and_the_page_keeps_working(page, csv, message):
    at = _switch(page, "Classify", use_cls_source="paste", use_cls_paste=csv)
    assert any(message in e for e in _errors(at)), _errors(at)
    at = _switch(at, "Classify", use_cls_source="bundled")
    assert not _errors(at)


def test_fewer_examples_than_asked_for_are_skipped_with_a_note(page):
    at = _switch(
        page, "Classify", use_cls_source="paste", use_cls_paste="text,label\na,pos\nb,neg\nc,pos\nd,neg\n"
    )
    assert not _errors(at)
    assert sum("would leave nothing to test on" in i.value for i in at.info) == 3  # 5, 10, 30
    _switch(at, "Classify", use_cls_source="bundled")


def test_search_tab_marks_hits_only_semantic_search_finds(page):
    at = _switch(page, "Search", use_search_query="wildfire")
    hits = [t.value for t in at.text]
    assert len(hits) == 8 and all("★" in h for h in hits)  # the corpus says "bushfire": no keyword hit
    assert any("No hits" in i.value for i in at.info)
    at = _switch(at, "Search", use_search_query="   ")
    assert any("empty" in e for e in _errors(at))


def test_recommend_tab_items_and_images(page):
    at = _switch(page, "Recommend", use_rec_kind="items", use_rec_seqsrc="bundled")
    table = _frame(at, "bought with it")
    assert "olive_oil" in set(table["bought with it"])  # spaghetti's basket mates
    at = _switch(at, "Recommend", use_rec_kind="images", use_rec_imgset="skimage-photos")
    assert len(_frame(at, "item", "cosine")) == 8
    at = _switch(at, "Recommend", use_rec_kind="texts", use_rec_coll="pang-lee")
    assert len(_frame(at, "more like this")) == 8


def test_summarise_tab_and_empty_text(page):
    at = _switch(page, "Summarise", use_sum_k=3)
    df = _frame(at, "in summary")
    assert df["in summary"].sum() == 3
    at = _switch(at, "Summarise", use_sum_text="   ")
    assert any("no sentences" in e for e in _errors(at))


def test_probe_tab_beats_baselines_and_applies_to_new_words(page):
    at = _switch(page, "Probe", use_probe_task="plural", use_probe_words_plural="pencils, pencil, qqzzx")
    table = _frame(at, "accuracy", "baseline")
    assert (table["accuracy"] > table["baseline"]).all()
    applied = _frame(at, "word", "predicted", "seen")
    assert list(applied["predicted"]) == ["plural", "singular", ""]


def test_benefits_tab_and_too_few_known_words(page):
    at = _switch(page, "Benefits", use_ben_words="cat, dog, car")
    assert [m.value for m in at.metric][:2] == ["400,000", "50"]
    at = _switch(at, "Benefits", use_ben_words="cat, qqzzx")
    assert any("at least two words" in e for e in _errors(at))


def test_user_labels_are_shown_literally_not_as_markdown(page):
    csv = "text,label\n" + "".join(f"good {i},**bold**\nbad {i},[x](http://e.test)\n" for i in range(8))
    at = _switch(page, "Classify", use_cls_source="paste", use_cls_paste=csv, use_cls_features=["bow"])
    captions = " ".join(c.value for c in at.caption)
    assert "\\*\\*bold\\*\\* \\(8\\)" in captions and "\\[x\\]\\(http\\:" in captions
    assert "**bold**" not in captions
    _switch(at, "Classify", use_cls_source="bundled", use_cls_features=["bow", "glove-50d", "minilm"])


def test_probes_follow_the_space_picked_in_the_sidebar(page):
    at = _switch(page, "Probe")
    at.selectbox(key="space_picker").set_value("word2vec-gnews-bolukbasi").run()
    assert not at.exception, at.exception
    assert "word2vec" in " ".join(c.value for c in at.caption)
    table = _frame(at, "accuracy", "baseline")
    assert (table["accuracy"] > table["baseline"]).all()
    at.selectbox(key="space_picker").set_value("glove-50d").run()


def test_the_small_encoders_trained_here_are_features_with_their_note(page):
    at = _switch(page, "Classify", use_cls_source="bundled", use_cls_per=[10])
    offered = at.multiselect(key="use_cls_features").options
    assert {"sentence vectors (use-dan-small)", "sentence vectors (elmo-small)"} <= set(offered)
    at = _switch(at, "Classify", use_cls_features=["bow", "use-dan-small"])
    table = _frame(at, 10)
    assert list(table.index) == ["bag-of-words", "sentence vectors (use-dan-small)"]
    assert 0 < table.loc["sentence vectors (use-dan-small)", 10] <= 1
    assert any("use-dan-small is a small model" in shown(c.value) for c in at.caption)

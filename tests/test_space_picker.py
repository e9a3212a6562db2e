"""The sidebar space picker picks (issue 9.1): on every page the choice sticks across reruns, the page's
results follow it, the URL carries it (``?space=``), and a link with a space in it opens that space."""

from __future__ import annotations

import pytest
from conftest import open_page, open_tab

OTHER = "word2vec-gnews-bolukbasi"
# every page with the sidebar picker (Compare picks its two spaces A and B on the page, A starting from this
# choice; Lessons computes on GloVe 50d, as its text says)
PAGES = ["home", "map", "neighbours", "train", "polysemy", "sentences", "bias", "images", "graphs", "use"]


def _pick(at, name: str):
    at.selectbox(key="space_picker").set_value(name).run()
    assert not at.exception, at.exception
    return at


def _metrics(at) -> list[str]:
    return [m.value for m in at.metric]


def _captions(at) -> str:
    return " ".join(c.value for c in at.caption)


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_picking_a_space_sticks_and_goes_into_the_url(page):
    at = open_page(page)
    assert at.selectbox(key="space_picker").value == "glove-50d"
    _pick(at, OTHER)
    at.run()  # a second rerun: the old code snapped back to glove-50d here
    assert at.selectbox(key="space_picker").value == OTHER
    assert at.query_params["space"] == [OTHER] or at.query_params["space"] == OTHER


def test_neighbours_results_follow_the_picked_space():
    at = open_page("neighbours")
    before = at.dataframe[0].value.copy()
    _pick(at, OTHER)
    after = at.dataframe[0].value
    assert list(before["word"]) != list(after["word"])


def test_home_summary_follows_the_picked_space():
    at = open_page("home")
    assert "400,000" in _metrics(at)
    _pick(at, OTHER)
    assert "26,423" in _metrics(at)


def test_polysemy_places_the_static_vector_from_the_picked_space():
    at = open_page("polysemy")
    assert "glove\\-50d" in _captions(at) or "glove-50d" in _captions(at)
    _pick(at, OTHER)
    caps = _captions(at).replace("\\", "")
    assert OTHER in caps and "300-d" in caps


def test_sentence_lab_averages_the_picked_space():
    at = open_tab(open_page("sentences"), "Search")  # the hits table
    at.radio(key="sl_model").set_value("averaged").run()
    glove_rows = at.dataframe[0].value.copy() if at.dataframe else None
    _pick(at, OTHER)
    assert not at.exception
    other_rows = at.dataframe[0].value
    assert glove_rows is not None
    assert list(glove_rows.iloc[:, 1].round(4)) != list(other_rows.iloc[:, 1].round(4))


def test_train_compares_against_the_picked_space():
    at = open_page("train")
    assert "glove-50d" in at.multiselect(key="train_compare").value
    _pick(at, OTHER)
    chosen = at.multiselect(key="train_compare").value
    assert OTHER in chosen and "glove-50d" not in chosen


def test_bias_lab_measures_the_picked_space():
    at = open_page("bias")
    before = _metrics(at)
    _pick(at, OTHER)
    assert _metrics(at) != before


def test_a_link_with_a_space_opens_it():
    at = open_page("neighbours", run=False)
    at.query_params["space"] = OTHER
    at.run()
    assert not at.exception
    assert at.selectbox(key="space_picker").value == OTHER
    at.run()
    assert at.selectbox(key="space_picker").value == OTHER  # and it stays


def test_a_link_with_an_unknown_space_is_a_literal_message():
    at = open_page("neighbours", run=False)
    at.query_params["space"] = "**nope** [x](javascript:alert(1))"
    at.run()
    assert not at.exception
    assert at.selectbox(key="space_picker").value == "glove-50d"
    body = at.warning[0].value
    assert "\\*\\*nope\\*\\*" in body and "\\[x\\]\\(javascript" in body  # escaped: shown, not rendered

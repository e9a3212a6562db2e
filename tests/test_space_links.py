"""``?space=`` works on every page (ui.share.PARAMS promises it): Compare and Lessons have the space picker
too, so a link picks the space there and an unknown one is refused with a message."""

from __future__ import annotations

import pytest
from conftest import open_linked, shown

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("page", ["compare", "lessons"])
def test_a_space_link_picks_the_space(page):
    at = open_linked(page, space="word2vec-gnews-bolukbasi")
    assert at.sidebar.selectbox(key="space_picker").value == "word2vec-gnews-bolukbasi"
    assert at.session_state["_embedlab_state"].space_name == "word2vec-gnews-bolukbasi"
    assert at.query_params["space"] == "word2vec-gnews-bolukbasi"  # the URL keeps it
    assert not at.warning


def test_compare_takes_the_linked_space_as_space_a():
    at = open_linked("compare", space="word2vec-gnews-bolukbasi")
    assert at.selectbox(key="cmp_a").value == "word2vec-gnews-bolukbasi"
    assert at.selectbox(key="cmp_b").value == "glove-50d"


@pytest.mark.parametrize("page", ["compare", "lessons"])
def test_an_unknown_space_in_a_link_is_refused_with_a_message(page):
    at = open_linked(page, space="no-such-space")
    assert any("no-such-space" in shown(w.value) for w in at.warning)
    assert at.sidebar.selectbox(key="space_picker").value == "glove-50d"

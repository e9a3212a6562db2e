"""Shareable links on the Compare and Use pages: query parameters seed the widgets, the URL follows the
user's changes, a bad value gives a message (never an exception), and what the page computes has downloads."""

from __future__ import annotations

import pytest
from conftest import open_page, shown
from test_compare import _pair

from embedlab import workspace


def _url(at) -> dict:
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def _linked(page: str, timeout: float = 300, **params):
    at = open_page(page, timeout=timeout, run=False)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _download_keys(at) -> set[str]:
    return {b.proto.id for b in at.get("download_button")}


def _has_download(at, key: str) -> bool:
    return any(key in i for i in _download_keys(at))


# ------------------------------------------------------------------------------------------- compare
@pytest.fixture(scope="module")
def pair():
    a, b = _pair(swap=(3, 7), noise=0.05)
    workspace.save(a, "link-a")
    workspace.save(b, "link-b")


def test_compare_link_sets_spaces_measure_and_top(pair):
    at = _linked("compare", a="link-a", b="link-b", measure="knn", top="7")
    assert at.selectbox(key="cmp_a").value == "link-a"
    assert at.selectbox(key="cmp_b").value == "link-b"
    assert at.radio(key="cmp_measure").value == "knn"
    assert at.number_input(key="cmp_top").value == 7
    assert not at.warning
    at.radio(key="cmp_measure").set_value("cosine").run()
    at.number_input(key="cmp_top").set_value(9).run()
    url = _url(at)
    assert url["a"] == "link-a" and url["b"] == "link-b" and url["top"] == "9"
    assert "measure" not in url  # the default stays out of the link
    at.button(key="cmp_go").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    table = at.dataframe[0].value
    assert len(table) == 9 and set(table["word"][:2]) == {"w3", "w7"}
    for key in ("cmp_dl_csv", "cmp_hist_dl_html", "cmp_aligned_dl_w2v"):
        assert _has_download(at, key), (key, _download_keys(at))


def test_compare_link_with_an_unknown_space_or_measure_says_so(pair):
    at = _linked("compare", a="no-such-space", b="link-b", measure="<b>x</b>", top="9999")
    warnings = shown(" ".join(w.value for w in at.warning))
    assert "no-such-space" in warnings and "measure" in warnings and "top" in warnings
    assert at.selectbox(key="cmp_a").value != "no-such-space"
    assert at.selectbox(key="cmp_b").value == "link-b"
    assert at.radio(key="cmp_measure").value == "cosine"
    assert at.number_input(key="cmp_top").value == 20


# ----------------------------------------------------------------------------------------------- use
def test_use_link_opens_search_with_the_query_and_offers_the_hits():
    at = _linked("use", tab="Search", search="bushfire", collection="lee-news")
    assert at.session_state["use_tab"] == "Search"
    assert at.text_input(key="use_search_query").value == "bushfire"
    assert any("bushfire" in t.value.lower() for t in at.text)  # keyword hits for the corpus's own word
    assert _has_download(at, "use_search_dl_csv")
    at.text_input(key="use_search_query").set_value("rain and floods").run()
    url = _url(at)
    assert url["search"] == "rain and floods" and url["tab"] == "Search"


def test_use_link_sets_classify_features_and_examples_per_class():
    at = _linked("use", features="bow", per="5,all")
    assert at.multiselect(key="use_cls_features").value == ["bow"]
    assert at.multiselect(key="use_cls_per").value == [5, "all"]
    assert not at.error, [e.value for e in at.error]
    for key in ("use_cls_dl_csv", "use_cls_curve_dl_html", "use_cls_cm_dl_csv"):
        assert _has_download(at, key), (key, _download_keys(at))
    at.multiselect(key="use_cls_per").set_value([5, 10]).run()
    assert _url(at)["per"] == "5,10"


def test_use_link_with_repeated_values_gives_each_chip_once():
    at = _linked("use", features="bow,bow,bow", per=",".join(["5", "05", "all"] * 100))  # 900 characters
    assert at.multiselect(key="use_cls_features").value == ["bow"]
    assert at.multiselect(key="use_cls_per").value == [5, "all"]
    assert not at.error and not at.warning, [m.value for m in [*at.error, *at.warning]]
    assert _url(at)["per"] == "5,all"


def test_use_link_with_bad_values_keeps_the_defaults():
    at = _linked("use", tab="Nowhere", per="7", features="bow,<b>")
    warnings = shown(" ".join(w.value for w in at.warning))
    assert "tab" in warnings and "per" in warnings and "features" in warnings
    assert at.session_state["use_tab"] == "Classify"
    assert at.multiselect(key="use_cls_per").value == [5, 10, 30, "all"]


def test_use_link_picks_the_probe_task():
    at = _linked("use", tab="Probe", task="continent")
    assert at.selectbox(key="use_probe_task").value == "continent"
    assert _has_download(at, "use_probe_dl_csv") and _has_download(at, "use_probe_fig_dl_html")
    at.selectbox(key="use_probe_task").set_value("plural").run()
    assert "task" not in _url(at)  # the first task is the default


def test_a_link_opens_the_sentence_labs_comparison_and_elmo_in_polysemy():
    at = _linked("sentences", tab="Compare")
    assert at.session_state["sl_tab"] == "Compare encoders"  # the tab's label
    assert any(b.key == "sl_cmp_run" for b in at.button)
    at = _linked("sentences", query="A dog bites a man.")  # a search link still opens the search tab
    assert at.session_state["sl_tab"] == "Semantic search"
    at = _linked("polysemy", word="bank", encoder="elmo-small")
    assert at.radio(key="poly_encoder").value == "elmo-small" and at.slider(key="poly_layer").max == 3

"""Bias lab page (AppTest): renders, debiases, runs the residual check, shows bad input as st.error."""

from __future__ import annotations

import pytest
from conftest import open_page, open_tab, shown
from streamlit.testing.v1 import AppTest


@pytest.fixture(scope="module")
def small_glove():
    """The 8,000 most frequent GloVe words plus every word the page's defaults use (real vectors, fast)."""
    from embedlab.bias import wordlists
    from embedlab.bias._vocab import lookup
    from embedlab.registry import load

    glove = load("glove-50d")
    words = list(glove.keys[:8_000])
    extra = [w for t in wordlists.weat_tests() for ws in t.lists() for w in ws]
    extra += [w for p in wordlists.definitional_pairs() + wordlists.equalize_pairs() for w in p]
    extra += wordlists.neutral_professions() + "rich poor wealthy affluent impoverished needy".split()
    extra += "maestro skipper protege socialite nanny".split()
    found, _ = lookup(glove, extra)
    keep = list(dict.fromkeys(words + found))
    return glove.subset(keep, name="glove-small")


def _app(space) -> AppTest:
    from ui.state import AppState

    return open_page("bias", 60, AppState(space_name=space.name, session_spaces={space.name: space}))


def test_page_renders_directions_and_weat(small_glove):
    at = _app(small_glove)
    assert not at.exception and not at.error
    labels = {m.label: m.value for m in at.metric}
    assert "Variance explained by PC1" in labels
    labels = {m.label: m.value for m in open_tab(at, "WEAT").metric}
    assert labels["Effect size d"].startswith("+")  # weat6 (career/family) on GloVe
    assert labels["Partitions"] == "12,870"
    at.button(key="weat_all").click().run()
    assert not at.exception and not at.error
    table = next(d.value for d in at.dataframe if len(d.value) == 10)
    assert table["same_sign"].all() and {"d", "p", "paper_d", "exact"} <= set(table.columns)


def test_zero_direction_and_missing_lists_show_st_error(small_glove):
    at = _app(small_glove)
    at.radio(key="dx_how").set_value("pair").run()
    at.text_input(key="dx_b").set_value("he").run()
    assert not at.exception
    assert any("zero vector" in shown(e.value) for e in at.error)

    open_tab(at, "WEAT")
    at.selectbox(key="weat_choice").set_value("custom").run()
    at.text_area(key="weat_words_A").set_value("qqqzx\nzzkqv").run()
    assert not at.exception
    assert any("list A" in e.value and "qqqzx" in shown(e.value) for e in at.error)

    open_tab(at, "Directions")
    assert at.radio(key="dx_how").value == "pair"  # kept while the WEAT tab was open
    at.radio(key="dx_how").set_value("pairs").run()
    at.text_area(key="dx_pairs").set_value("he, she, it").run()
    assert not at.exception and any("is not a pair" in shown(e.value) for e in at.error)


def test_debias_adds_a_session_space_and_residual_check_runs(small_glove):
    at = open_tab(_app(small_glove), "Debias")
    at.button(key="bias_debias").click().run()
    assert not at.exception and not at.error
    metrics = {m.label: m.value for m in at.metric}
    assert float(metrics["DirectBias₁ after"]) < 0.001 < float(metrics["DirectBias₁ before"])
    state = at.session_state["_embedlab_state"]
    assert "glove-small-debiased" in state.session_spaces
    assert state.space_name == "glove-small"  # the user's selection is kept

    open_tab(at, "Residual")
    at.number_input(key="res_n").set_value(200).run()
    at.button(key="res_run").click().run()
    assert not at.exception and not at.error
    metrics = {m.label: m.value for m in at.metric}
    after = float(metrics["Cluster accuracy after debiasing"].rstrip("%"))
    assert after > 60.0

    open_tab(at, "Debias")
    at.text_input(key="bias_save_name").set_value("bad name!").run()
    at.button(key="bias_save").click().run()
    assert not at.exception and any("not a valid space name" in shown(e.value) for e in at.error)


@pytest.mark.slow
def test_page_default_space_runs():
    at = open_page("bias", 120)
    assert not at.error

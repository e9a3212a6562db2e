"""Tabs are lazy and linkable on every page that has them (``ui.share.tabs``): only the open tab runs,
``?tab=<name>`` opens a tab, a name the page does not have is refused with a message, and widgets in a
closed tab keep their values."""

from __future__ import annotations

import pytest
from conftest import open_linked, open_tab, shown

pytestmark = pytest.mark.slow

# page -> (tab names as links carry them, the label of each); the first tab is the default
TABS = {
    "bias": {"Directions": "Directions", "WEAT": "WEAT", "Debias": "Debias", "Residual": "Lipstick on a pig"},
    "compare": {"Moved": "↔️ What moved", "Slices": "🕰️ Slices & trajectories",
                "Dynamic": "🌱 Static vs dynamic", "Map": "🧭 Map A → B"},
    "sentences": {"Map": "Map", "Similarity": "Similarity matrix", "Search": "Semantic search",
                  "Order": "Word order"},
    "use": {n: n for n in ("Classify", "Search", "Recommend", "Summarise", "Probe", "Benefits")},
}


def _opened(at, labels) -> list[str]:
    """Labels of the tabs (among ``labels``) that hold anything: the ones that ran."""
    return [t.label for t in at.tabs if t.label in labels and len(t.children)]


def _url(at) -> dict:
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}


@pytest.mark.parametrize(("page", "name"), [("bias", "Residual"), ("compare", "Dynamic"),
                                            ("sentences", "Order"), ("use", "Probe")])
def test_a_link_opens_one_tab_and_only_that_tab_runs(page, name):
    labels = TABS[page]
    at = open_linked(page, tab=name)
    assert [t.label for t in at.tabs if t.label in labels.values()] == list(labels.values())  # all shown
    assert _opened(at, labels.values()) == [labels[name]]
    assert _url(at)["tab"] == name
    assert not at.warning


@pytest.mark.parametrize("page", ["bias", "compare"])
def test_without_a_link_the_first_tab_runs_and_the_url_stays_short(page):
    labels = TABS[page]
    at = open_linked(page)
    assert _opened(at, labels.values()) == [next(iter(labels.values()))]
    assert "tab" not in _url(at)
    second = list(labels)[1]
    open_tab(at, second)
    assert _opened(at, labels.values()) == [labels[second]] and _url(at)["tab"] == second


@pytest.mark.parametrize("page", ["bias", "compare"])
def test_a_tab_the_page_does_not_have_is_refused_with_a_message(page):
    labels = TABS[page]
    at = open_linked(page, tab="<b>Nowhere</b>")
    warning = shown(" ".join(w.value for w in at.warning))
    assert "tab" in warning and "Nowhere" in warning and list(labels)[1] in warning  # names the choices
    assert _opened(at, labels.values()) == [next(iter(labels.values()))]
    assert "tab" not in _url(at)


def test_a_search_link_opens_the_sentence_search_tab():
    at = open_linked("sentences", query="A dog runs in the park.")
    assert _opened(at, TABS["sentences"].values()) == ["Semantic search"]
    assert at.text_input(key="sl_query").value == "A dog runs in the park."


def test_widgets_in_a_closed_tab_keep_their_values():
    at = open_linked("bias", tab="WEAT")
    at.selectbox(key="weat_choice").set_value("weat8").run()
    open_tab(at, "Directions")
    at.text_area(key="dir_words").set_value("nurse, engineer").run()
    open_tab(at, "WEAT")
    assert at.selectbox(key="weat_choice").value == "weat8"
    open_tab(at, "Directions")
    assert at.text_area(key="dir_words").value == "nurse, engineer"


def test_image_sources_and_views_are_tabs_too():
    at = open_linked("images", source="upload")
    assert _opened(at, ["Bundled image set", "Your pictures"]) == ["Your pictures"]
    at = open_linked("images", set="skimage-photos", tab="Clusters")  # embeds the set, opens Clusters
    assert _opened(at, ["Map", "Clusters", "Text search"]) == ["Clusters"]
    assert not at.get("plotly_chart")  # the map did not run


@pytest.mark.parametrize(("page", "params", "label", "key", "value"), [
    ("bias", {"test": "weat8"}, "WEAT", "weat_choice", "weat8"),
    ("use", {"task": "continent"}, "Probe", "use_probe_task", "continent"),
])
def test_a_link_to_a_widget_in_a_tab_opens_that_tab(page, params, label, key, value):
    at = open_linked(page, **params)  # no ?tab=: its own tab opens (Lessons links)
    assert _opened(at, TABS[page].values()) == [label]
    assert at.selectbox(key=key).value == value

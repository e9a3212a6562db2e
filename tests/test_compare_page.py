"""The Compare page under AppTest: align two saved spaces, fit a map, continue training, train slices."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import open_page, open_tab
from test_compare import _pair
from test_compare_train import old_corpus

from embedlab import jobs, workspace


@pytest.fixture(scope="module")
def saved():
    from embedlab.train.live import make_params, run

    a, b = _pair(swap=(3, 7), noise=0.05)
    workspace.save(a, "page-a")
    workspace.save(b, "page-b")
    params = make_params("skipgram", dim=16, epochs=2, window=4, min_count=1, workers=1, seed=3)
    run(None, old_corpus(), params, name="page-base", evaluate=False)


def _tab(app, label: str):
    return next(t for t in app.tabs if t.label == label)


def test_align_and_list_the_planted_swaps(saved):
    app = open_page("compare")
    assert [t.label for t in app.tabs] == ["↔️ What moved", "🕰️ Slices & trajectories", "🌱 Static vs dynamic",
                                          "🧭 Map A → B"]
    app.selectbox(key="cmp_a").set_value("page-a")
    app.selectbox(key="cmp_b").set_value("page-b")
    app.run()
    app.button(key="cmp_go").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    table = _tab(app, "↔️ What moved").dataframe[0].value
    assert set(table["word"][:2]) == {"w3", "w7"}
    assert {m.label for m in app.metric} >= {"Shared words", "Mean cosine after alignment"}
    assert _tab(app, "↔️ What moved").get("plotly_chart")  # histogram and traced words


def test_map_tab_fits_in_the_background_and_reports_precision(saved):
    from ui.translation import FitSettings

    app = open_tab(open_page("compare"), "Map")
    app.selectbox(key="cmp_a").set_value("page-a")
    app.selectbox(key="cmp_b").set_value("page-b")
    app.run()
    a, b = workspace.load("page-a"), workspace.load("page-b")
    assert jobs.get(FitSettings(a.name, a.fingerprint, b.name, b.fingerprint).job_key) is None  # not yet
    app.button(key="map_go").click().run()
    job = jobs.get(FitSettings(a.name, a.fingerprint, b.name, b.fingerprint).job_key)
    assert job.wait(300).status == jobs.DONE, job.error_trace
    app.run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    p1 = next(m for m in app.metric if m.label == "precision@1")  # A → B first
    assert float(p1.value) >= 0.95
    app.text_input(key="map_word").set_value("w10").run()
    assert _tab(app, "🧭 Map A → B").dataframe[0].value["translation"].iloc[0] == "w10"


def test_static_vs_dynamic_and_slices(saved):
    app = open_tab(open_page("compare"), "Dynamic")
    app.selectbox(key="dyn_base_name").set_value("page-base")
    app.number_input(key="dyn_every").set_value(50)
    app.number_input(key="dyn_epochs").set_value(1)
    app.run()
    app.button(key="dyn_go").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    frames = _tab(app, "🌱 Static vs dynamic").dataframe
    untouched = next(f.value for f in frames if "cosine old → new" in f.value.columns)
    inspector = next(f.value for f in frames if list(f.value.columns) == ["before", "after"])
    assert len(inspector) == 8
    assert len(untouched) and np.allclose(untouched["cosine old → new"], 1.0)  # not in the news
    assert workspace.exists("page-base-continued")

    open_tab(app, "Slices")
    app.number_input(key="sl_every").set_value(50)
    app.number_input(key="sl_dim").set_value(10)
    app.number_input(key="sl_epochs").set_value(1)
    app.run()
    app.button(key="sl_go").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    tab = _tab(app, "🕰️ Slices & trajectories")
    assert list(tab.dataframe[0].value["slice"]) == ["dictionary", "encyclopedia-news"]
    assert len(tab.dataframe) >= 2 and tab.get("plotly_chart")

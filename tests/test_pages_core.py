"""AppTests for Home, Map and Neighbours & analogies on the bundled glove-50d, plus their helpers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import open_page, shown
from streamlit.testing.v1 import AppTest

TIMEOUT = 120
GOOD_GLOVE = b"apple 1 0 0\nbanana 0.9 0.1 0\ncar 0 1 0\ntruck 0 0.9 0.1\nriver 0 0 1\n"
BAD_GLOVE = b"apple 1 0 0\nbanana 0.9 zero 0\ncar 0 1\n"


def _frames(at: AppTest) -> list[pd.DataFrame]:
    return [df.value for df in at.dataframe]


def _charts(at: AppTest) -> list:
    return at.get("plotly_chart")


def _maps(at: AppTest) -> list:
    """Maps drawn: Plotly charts, and point maps (past ~2,000 points in 2-D)."""
    return at.get("plotly_chart") + at.get("bidi_component")


def _no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


# --------------------------------------------------------------------------- Neighbours & analogies
def test_neighbours_default_king_shows_queen_and_prince():
    at = open_page("neighbours")
    _no_exception(at)
    words = _frames(at)[0]["word"].tolist()
    assert "queen" in words and "prince" in words
    assert _charts(at), "the neighbourhood map is drawn"


def test_typing_a_word_updates_the_table():
    at = open_page("neighbours")
    at.text_input(key="nb_query").input("paris").run()
    _no_exception(at)
    words = _frames(at)[0]["word"].tolist()
    assert "france" in words or "london" in words
    scores = _frames(at)[0]["score"].to_numpy()
    assert np.all(np.diff(scores) <= 1e-6), "ranked best first"


def test_analogy_king_man_woman_gives_queen_and_draws_it():
    at = open_page("neighbours")
    at.text_input(key="nb_query").input("king - man + woman").run()
    _no_exception(at)
    assert _frames(at)[0]["word"].iloc[0] == "queen"
    fig = _charts(at)[0].proto.spec
    for w in ("man", "king", "woman", "queen"):
        assert f'"{w}"' in fig


def test_3cosmul_also_gives_queen():
    at = open_page("neighbours")
    at.text_input(key="nb_query").input("king - man + woman")
    at.radio(key="nb_method").set_value("3cosmul").run()
    _no_exception(at)
    assert _frames(at)[0]["word"].iloc[0] == "queen"


def test_unknown_word_shows_error_with_suggestion_buttons():
    at = open_page("neighbours")
    at.text_input(key="nb_query").input("kingg").run()
    _no_exception(at)
    assert at.error and "king" in shown(at.error[0].value)
    suggestion = next(b for b in at.button if b.label == "king")
    suggestion.click().run()
    _no_exception(at)
    assert at.text_input(key="nb_query").value == "king"
    assert "queen" in _frames(at)[0]["word"].tolist()


def test_odd_one_out_with_one_word_asks_for_more_in_plain_words():
    at = open_page("neighbours")
    at.text_input(key="nb_odd").input("cat").run()
    _no_exception(at)
    message = shown(at.error[0].value)
    assert "Odd one out needs at least two words" in message and "doesnt_match" not in message
    at.text_input(key="nb_odd").input("cat dog car").run()
    assert not at.error and "car" in at.success[0].value


def test_empty_expression_and_restrict_option():
    at = open_page("neighbours")
    at.text_input(key="nb_query").input("   ").run()
    _no_exception(at)
    assert at.info, "asks for a word"
    at.text_input(key="nb_query").input("king")
    at.checkbox(key="nb_restrict_on").check().run()
    at.number_input(key="nb_restrict").set_value(1000).run()
    _no_exception(at)
    words = _frames(at)[0]["word"].tolist()
    from embedlab.registry import load

    glove = load("glove-50d")
    assert all(glove.index(w) < 1000 for w in words)


def test_odd_one_out():
    at = open_page("neighbours")
    at.text_input(key="nb_odd").input("breakfast cereal dinner lunch").run()
    _no_exception(at)
    assert any("cereal" in shown(s.value) for s in at.success)


# ----------------------------------------------------------------------------------------------- Map
def test_map_renders_pca_for_top_n_with_trustworthiness():
    at = open_page("map")
    _no_exception(at)
    assert not at.error, [shown(e.value) for e in at.error]
    assert _maps(at), "a map is drawn"
    assert any("5,000" in shown(c.value) for c in at.caption), "the selection is stated"
    metric = next(m for m in at.metric if m.label == "Trustworthiness")
    assert 0.5 < float(metric.value) <= 1.0


def test_map_query_mode_highlight_and_clusters():
    at = open_page("map")
    at.radio(key="map_mode").set_value("query").run()
    at.text_input(key="map_query").input("king")
    at.selectbox(key="map_colour").set_value("k-means clusters")
    at.text_input(key="map_highlight").input("queen").run()
    _no_exception(at)
    assert not at.error, [shown(e.value) for e in at.error]
    assert _charts(at)
    assert '"queen"' in _charts(at)[0].proto.spec


def test_map_unknown_highlight_is_an_error_not_a_crash():
    at = open_page("map")
    at.text_input(key="map_highlight").input("kingg").run()
    _no_exception(at)
    assert at.error and "king" in shown(at.error[0].value)
    assert _maps(at), "the map is still drawn"


def test_map_custom_axes():
    at = open_page("map")
    at.number_input(key="map_n").set_value(1000)
    at.selectbox(key="map_method").set_value("axes").run()
    _no_exception(at)
    assert not at.error, [shown(e.value) for e in at.error]
    assert "Custom axes, 2-D" in _charts(at)[0].proto.spec
    at.radio(key="map_dims").set_value(3).run()
    _no_exception(at)
    assert '"scatter3d"' in _charts(at)[0].proto.spec


@pytest.mark.slow
def test_map_tsne_runs_in_background_then_replaces_pca():
    import time

    at = open_page("map")
    at.radio(key="map_mode").set_value("query").run()
    at.text_input(key="map_query").input("river")
    at.slider(key="map_k").set_value(40)
    at.selectbox(key="map_method").set_value("tsne").run()
    _no_exception(at)
    first = _charts(at)[0].proto.spec
    assert "41 points, PCA" in first or "41 points, t-SNE" in first, "PCA is shown while t-SNE computes"
    deadline = time.monotonic() + 90
    while "t-SNE" not in _charts(at)[0].proto.spec and time.monotonic() < deadline:
        time.sleep(1)
        at.run()
        _no_exception(at)
    assert "t-SNE" in _charts(at)[0].proto.spec
    assert any(m.label == "Trustworthiness" for m in at.metric)


def test_map_tsne_past_its_limit_shows_pca_and_says_why(monkeypatch):
    from types import SimpleNamespace

    from embedlab import jobs
    from ui import mapcalc

    monkeypatch.setitem(mapcalc.MAX_POINTS, "tsne", 500)
    submitted = []

    def submit(key, *args, **kwargs):  # record the start; a job that failed at once keeps the page simple
        submitted.append(key)
        return SimpleNamespace(status="failed", running=False, result=None, error="stub")

    monkeypatch.setattr(jobs, "submit", submit)
    at = open_page("map")
    at.number_input(key="map_n").set_value(600)
    at.selectbox(key="map_method").set_value("tsne").run()
    _no_exception(at)
    assert any("t-SNE is offered for up to 500 points and 600 are selected" in i.value for i in at.info)
    assert "600 points, PCA" in _charts(at)[0].proto.spec and submitted == []
    at.number_input(key="map_n").set_value(500).run()  # within the limit: computed in the background
    _no_exception(at)
    assert not any("is offered for up to" in i.value for i in at.info)
    assert len(submitted) == 1 and submitted[0].startswith("projection:")
    assert "t-SNE failed: stub" in at.error[0].value


def test_map_failed_background_projection_is_reported_once_not_retried(monkeypatch, tmp_path):
    import time

    monkeypatch.setenv("EMBEDLAB_HOME", str(tmp_path))  # no projection cached by an earlier test

    from embedlab.errors import InvalidParameterError
    from embedlab.projection import UMAPProjection

    calls = []

    def broken(self, *args, **kwargs):  # UMAP fails inside the job; PCA (the fallback) still works
        calls.append(1)
        raise InvalidParameterError("umap cannot run here (test).")

    monkeypatch.setattr(UMAPProjection, "fit", broken)
    at = open_page("map")
    at.radio(key="map_mode").set_value("query").run()
    at.text_input(key="map_query").input("glacier")
    at.selectbox(key="map_method").set_value("umap").run()
    deadline = time.monotonic() + 120  # generous: the machine may be busy
    while not at.error and time.monotonic() < deadline:
        time.sleep(0.5)
        at.run()
    _no_exception(at)
    assert "cannot run here" in shown(at.error[0].value) and _charts(at), "error shown, PCA map still drawn"
    at.run()
    assert len(calls) == 1, "a failed job is not restarted on every rerun"
    at.button(key="map_retry").click().run()
    _no_exception(at)


def test_selected_rows_maps_map_points_back_to_rows():
    from embedlab.plots.maps import scatter_map
    from ui.mapcalc import selected_rows

    coords = np.array([[0, 0], [1, 1], [2, 0], [3, 1]], dtype=np.float32)
    fig, _ = scatter_map(coords, ["a", "b", "c", "d"], color=["x", "y", "x", "y"], highlight=["d"])
    by_label = {}
    for curve, trace in enumerate(fig.data):
        for i, row in enumerate(trace.customdata):
            by_label.setdefault(["a", "b", "c", "d"][int(row)], (curve, i))
    points = [{"curve_number": c, "point_index": i} for c, i in (by_label["c"], by_label["b"], by_label["c"])]
    points += [{"customdata": 3}, {"curve_number": 99, "point_index": 0}, {"customdata": 42}]
    assert selected_rows(points, fig, 4) == [2, 1, 3]


def test_kmeans_labels_are_deterministic_and_separate_blobs():
    from ui.mapcalc import kmeans_labels

    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(loc, 0.05, size=(20, 4)) for loc in (0.0, 5.0)]).astype(np.float32)
    a, b = kmeans_labels(X, 2), kmeans_labels(X, 2)
    assert (a == b).all()
    assert len(set(a[:20])) == 1 and len(set(a[20:])) == 1 and a[0] != a[20]


# ---------------------------------------------------------------------------------------------- Home
def test_home_lists_glove_and_summarises_it():
    at = open_page("home")
    _no_exception(at)
    table = _frames(at)[0]
    assert "glove-50d" in table["name"].tolist()
    about = table.loc[table["name"] == "glove-50d", "about"].iloc[0]
    assert any(about in c.value.replace("\\", "") for c in at.caption), "the whole description, not cut"
    labels = {m.label: m.value for m in at.metric}
    assert labels["Keys (words)"] == "400,000" and labels["Dimensions"] == "50"
    assert any("200 MB" in m.value for m in at.markdown), "the upload limit is stated"


def test_home_upload_of_malformed_file_shows_error_and_keeps_spaces():
    at = open_page("home")
    at.file_uploader(key="home_upload").upload("bad.txt", BAD_GLOVE)
    at.button(key="home_upload_go").click().run()
    _no_exception(at)
    assert at.error and "bad.txt" in shown(at.error[0].value)
    assert at.selectbox(key="space_picker").value == "glove-50d"


def test_home_upload_good_file_is_added_selected_and_saved():
    at = open_page("home")
    at.file_uploader(key="home_upload").upload("fruit.txt", GOOD_GLOVE)
    at.button(key="home_upload_go").click().run()
    _no_exception(at)
    assert not at.error, [shown(e.value) for e in at.error]
    assert at.selectbox(key="space_picker").value == "fruit"
    assert {m.label: m.value for m in at.metric}["Keys (words)"] == "5"
    assert "glove-50d" in at.selectbox(key="space_picker").options
    at.text_input(key="home_save_name").input("fruit-saved")
    at.button(key="home_save").click().run()
    _no_exception(at)
    from embedlab import workspace

    assert "fruit-saved" in workspace.list_names()
    assert "fruit-saved" in _frames(at)[0]["name"].tolist()
    at.button(key="home_del_fruit-saved").click().run()
    assert any("permanently" in shown(w.value) for w in at.warning)
    at.button(key="home_del_yes_fruit-saved").click().run()
    _no_exception(at)
    assert "fruit-saved" not in workspace.list_names()


def test_home_upload_projector_pair_keeps_metadata():
    at = open_page("home")
    up = at.file_uploader(key="home_upload")
    up.upload("vectors.tsv", b"1\t0\n0.9\t0.1\n0\t1\n")
    up.upload("metadata.tsv", b"word\tkind\napple\tfruit\npear\tfruit\ncar\tvehicle\n")
    at.text_input(key="home_upload_name").input("things")
    at.button(key="home_upload_go").click().run()
    _no_exception(at)
    assert not at.error, [shown(e.value) for e in at.error]
    assert at.selectbox(key="space_picker").value == "things"
    assert {m.label: m.value for m in at.metric}["Metadata columns"] == "1"

"""Map and analogy figures: SVG or WebGL by size, float32 data, stated sampling, rows known from clicks."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from embedlab.errors import DimensionError, UnknownKeyError
from embedlab.plots.maps import analogy_figure, project_keys_for_analogy, scatter_map
from embedlab.plots.style import SVG_MAX_POINTS


def _map(n: int, d: int = 2, seed: int = 0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)).astype(np.float32), [f"w{i}" for i in range(n)]


def _point_traces(fig: go.Figure) -> list:
    return [t for t in fig.data if t.type in ("scatter", "scattergl", "scatter3d")]


def test_small_map_is_svg_float32_with_every_row_once():
    coords, labels = _map(50)
    fig, note = scatter_map(coords, labels, title="toy")
    assert note == ""
    (trace,) = _point_traces(fig)
    assert isinstance(trace, go.Scatter)  # no WebGL context for a small plot
    assert trace.x.dtype == np.float32 and trace.y.dtype == np.float32
    assert sorted(trace.customdata.tolist()) == list(range(50))  # click/lasso → rows
    assert list(trace.hovertext[:3]) == ["w0", "w1", "w2"]
    assert "text" in trace.mode  # ≤ 200 points: labelled automatically


def test_big_map_is_webgl_highlights_included():
    coords, labels = _map(SVG_MAX_POINTS + 1)
    fig, _ = scatter_map(coords, labels, color=np.array(["a", "b"])[np.arange(len(labels)) % 2],
                         highlight=["w0"])
    assert {t.type for t in _point_traces(fig)} == {"scattergl"}  # one kind per figure
    n = SVG_MAX_POINTS - 1  # plus the highlighted point drawn again on top
    fig, _ = scatter_map(coords[:n], labels[:n], highlight=["w0"])
    assert {t.type for t in _point_traces(fig)} == {"scatter"}


def test_past_max_points_density_layer_plus_stated_sample():
    coords, labels = _map(3000)
    fig, note = scatter_map(coords, labels, max_points=500, highlight=["w2999"])
    assert isinstance(fig.data[0], go.Heatmap) and fig.data[0].z.dtype == np.float32
    assert np.nansum(np.expm1(fig.data[0].z)) == pytest.approx(3000, rel=1e-4)  # density of *all* points
    drawn = np.concatenate([t.customdata for t in _point_traces(fig) if t.name != "highlighted"])
    assert len(drawn) == 501 and 2999 in drawn  # the sample keeps highlighted rows
    assert "3,000 points" in note and "random sample of 500" in note
    again, _ = scatter_map(coords, labels, max_points=500, highlight=["w2999"])
    np.testing.assert_array_equal(again.data[1].customdata, fig.data[1].customdata)  # seeded


def test_categorical_colour_caps_legend_and_says_so():
    coords, labels = _map(600)
    colours = np.array([f"c{i % 25}" for i in range(600)])
    fig, note = scatter_map(coords, labels, color=colours, color_name="cluster")
    names = [t.name for t in _point_traces(fig)]
    assert len(names) == 21 and names[-1] == "other"
    assert "cluster has 25 values" in note
    assert sum(len(t.x) for t in _point_traces(fig)) == 600


def test_legend_lists_categories_in_natural_order_not_by_size():
    coords, labels = _map(66)
    sizes = {"cluster 2": 30, "cluster 10": 20, "cluster 1": 10, "Banana": 4, "apple": 2}
    colours = np.array([name for name, k in sizes.items() for _ in range(k)])
    fig, _ = scatter_map(coords, labels, color=colours, color_name="cluster")
    names = [t.name for t in _point_traces(fig)]
    assert names == ["apple", "Banana", "cluster 1", "cluster 2", "cluster 10"]
    drawn = {t.name: len(t.x) for t in _point_traces(fig)}
    assert drawn == sizes


def test_numeric_colour_uses_a_colour_scale():
    coords, labels = _map(100)
    fig, _ = scatter_map(coords, labels, color=np.arange(100), color_name="rank", text_labels=False)
    (trace,) = _point_traces(fig)
    assert trace.marker.color.dtype == np.float32 and trace.marker.colorbar.title.text == "rank"
    assert trace.mode == "markers" and "rank" in trace.hovertemplate


def test_highlight_drawn_big_with_labels_and_3d():
    coords, labels = _map(400, d=3)
    fig, note = scatter_map(coords, labels, highlight=[3, "w7"], max_points=100)
    assert all(isinstance(t, go.Scatter3d) for t in fig.data)  # no density layer in 3-D
    hl = fig.data[-1]
    assert hl.name == "highlighted" and list(hl.text) == ["w3", "w7"] and hl.marker.size > 5
    assert "random sample of 100" in note and "density" not in note


def test_bad_shapes_are_reported():
    coords, labels = _map(10)
    with pytest.raises(DimensionError, match="10 points but 9 labels"):
        scatter_map(coords, labels[:9])
    with pytest.raises(DimensionError, match=r"\(n, 2\) or \(n, 3\)"):
        scatter_map(np.zeros((10, 4)), labels)


def test_analogy_figure_draws_the_parallelogram(planted_space):
    coords = project_keys_for_analogy(planted_space, ["man", "king", "woman", "queen"], context=["apple"])
    assert set(coords) == {"man", "king", "woman", "queen", "apple"}
    assert all(v.dtype == np.float32 and v.shape == (2,) for v in coords.values())
    fig = analogy_figure(coords, "man", "king", "woman", "queen", context_keys=["apple"])
    four = next(t for t in fig.data if t.name == "analogy")
    assert list(four.text) == ["man", "king", "woman", "queen"] and four.x.dtype == np.float32
    assert len(fig.layout.annotations) == 2  # arrows a→b and c→d
    assert sum(1 for t in fig.data if t.mode == "lines" and t.line.dash == "dash") == 2
    arrow = fig.layout.annotations[0]  # drawn from man to king
    np.testing.assert_allclose([arrow.ax, arrow.ay, arrow.x, arrow.y],
                               [*coords["man"], *coords["king"]], rtol=1e-6)


def test_analogy_errors(planted_space):
    with pytest.raises(UnknownKeyError, match="quen"):
        project_keys_for_analogy(planted_space, ["man", "king", "woman", "quen"])
    with pytest.raises(Exception, match="No coordinates for 'queen'"):
        analogy_figure({"man": np.zeros(2), "king": np.ones(2), "woman": np.ones(2)}, "man", "king",
                       "woman", "queen")


def test_labels_of_crowded_points_go_to_different_sides_lone_ones_stay_on_top():
    from embedlab.plots.style import label_positions

    # three points in a row, closer than their labels are wide: the same side would stack the labels
    coords = np.array([[0.0, 0.0], [0.02, 0.0], [0.04, 0.0], [1.0, 1.0], [1.0, -1.0]])
    texts = ["a fairly long label", "another long label", "a third long label", "far", "away"]
    pos = label_positions(coords, texts)
    assert len(set(pos[:3])) == 3
    assert list(pos[3:]) == ["top center", "top center"]
    assert list(label_positions(coords[:1], texts[:1])) == ["top center"]


def test_map_labels_placed_apart_per_point():
    coords = np.array([[0.0, 0.0], [0.01, 0.0], [1.0, 1.0]], dtype=np.float32)
    fig, _ = scatter_map(coords, ["sentence one, long", "sentence two, long", "x"], highlight=["x"])
    (points, highlighted) = _point_traces(fig)
    assert points.textposition[0] != points.textposition[1]
    assert highlighted.textposition[0] == points.textposition[2]


def test_thumbnail_map_names_each_cluster_at_its_centre_literally():
    """Issue 25: the image map's clusters are named on the map, at their centres, as text (escaped)."""
    from embedlab.plots.images import thumbnail_map

    xy = np.array([[0, 0], [0.2, 0], [10, 10], [10.2, 10]], dtype=np.float32)
    groups = ["0: tabby, lynx", "0: tabby, lynx", "1: <b>jeep</b>", "1: <b>jeep</b>"]
    fig, _ = thumbnail_map(xy, list("abcd"), [""] * 4, groups)
    (names,) = [t for t in fig.data if t.name == "region names"]
    assert list(names.text) == ["0: tabby, lynx", "1: &lt;b&gt;jeep&lt;/b&gt;"]
    assert names.textfont.weight == "bold"
    assert list(names.x) == pytest.approx([0.1, 10.1])

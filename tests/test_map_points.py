"""The Map past ~2,000 points (issue 25): every point sent to the point map, clusters named in its legend,
regions named at several levels, highlighted words marked; small maps stay Plotly SVG with region names."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import open_page
from test_regions import TOPICS, topic_space

from embedlab.plots.pointmap import (
    PointMapData,
    category_codes,
    numeric_codes,
    payload,
    read_payload,
    rows_in_polygon,
)
from ui.pointmap import selection_rows
from ui.state import AppState


def _map_page(space, **query):
    at = open_page("map", 180, AppState(space_name=space.name, session_spaces={space.name: space}), run=False)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _point_map(at) -> dict:
    maps = at.get("bidi_component")
    assert maps, "a point map is drawn"
    return read_payload(maps[0].proto.bytes)


def test_all_points_of_a_planted_space_go_to_the_point_map_with_named_clusters_and_regions():
    space, _ = topic_space(per_topic=800)  # 2,409 points: past Plotly's share
    at = _map_page(space, mode="all")
    at.slider(key="map_clusters").set_value(3).run()
    header, arrays = _point_map(at)
    assert header["n"] == len(space) and len(arrays["xy"]) == 2 * len(space)
    legend = [c["name"] for c in header["categories"]]
    for words in TOPICS.values():  # the legend names each planted topic by its planted words
        assert any(sorted(name.split(": ", 1)[1].split(", ")) == sorted(words) for name in legend), legend
    levels = {r["level"] for r in header["regions"]}
    assert levels == {0, 1} and all(r["name"] for r in header["regions"])
    words = arrays["ltext"].tobytes().decode()
    assert words.startswith("applepearplum")


def test_highlighted_words_are_marked_on_the_point_map():
    space, _ = topic_space(per_topic=800)
    at = _map_page(space, mode="all", highlight="car")
    header, _ = _point_map(at)
    assert header["highlight"] == [{"row": space.index("car"), "text": "car"}]
    assert header["focus"]["rows"] == [space.index("car")], "a searched word is flown to"


def test_small_maps_stay_plotly_svg_with_region_names():
    space, _ = topic_space(per_topic=200)  # 609 points
    at = _map_page(space, mode="all")
    assert not at.get("bidi_component")
    spec = at.get("plotly_chart")[0].proto.spec
    assert '"type":"scatter"' in spec.replace(" ", "") and "scattergl" not in spec
    assert "region names" in spec


def test_a_payload_without_points_names_the_points_the_browser_holds():
    xy = np.random.default_rng(0).normal(size=(50, 2)).astype(np.float32)
    data = PointMapData("k1", xy, [f"<b>{i}</b>" for i in range(50)], title="t")
    full, light = payload(data, "m"), payload(data, "m", have="k1")
    header, arrays = read_payload(full)
    assert np.array_equal(arrays["xy"].reshape(-1, 2), xy)
    assert arrays["ltext"].tobytes().decode().startswith("<b>0</b><b>1</b>"), "labels travel as data"
    light_header, light_arrays = read_payload(light)
    assert light_arrays == {} and light_header["key"] == header["key"] == "k1"
    assert len(light) < len(full) / 3


def test_colour_codes_name_categories_and_bin_numbers():
    codes, legend = category_codes(["b", "a", "b", "c"] + [f"x{i}" for i in range(30)], max_categories=3)
    assert [c["name"] for c in legend] == ["a", "b", "c", "other (30 values)"]  # the 3 most common
    assert codes[0] == codes[2] and codes.max() == 3
    codes, legend = numeric_codes(np.arange(100.0), bins=4)
    assert len(legend) == 4 and codes[0] == 0 and codes[-1] == 3


def test_a_lasso_selects_the_points_inside_it():
    xy = np.array([[0, 0], [1, 1], [2, 2], [0.5, 0.2], [5, 5]], dtype=np.float32)
    lasso = [[-0.5, -0.5], [1.5, -0.5], [1.5, 1.5], [0.6, 0.9], [-0.5, 1.5]]
    assert rows_in_polygon(xy, lasso).tolist() == [0, 1, 3]
    assert selection_rows(xy, {"kind": "lasso", "polygon": lasso}).rows.tolist() == [0, 1, 3]
    assert selection_rows(xy, {"kind": "point", "row": 4}).rows.tolist() == [4]
    assert selection_rows(xy, {"kind": "point", "row": 99}).rows.tolist() == []
    assert selection_rows(xy, None).rows.tolist() == []
    with pytest.raises(Exception, match="3"):
        rows_in_polygon(xy, [[0, 0], [1, 1]])


def test_3d_maps_stay_plotly_and_draw_up_to_100k_points():
    from embedlab.plots.maps import scatter_map
    from ui.mapcalc import MAX_3D_POINTS

    space, _ = topic_space(per_topic=800)
    at = _map_page(space, mode="all")
    at.radio(key="map_dims").set_value(3).run()
    assert not at.exception and not at.get("bidi_component")
    assert '"scatter3d"' in at.get("plotly_chart")[0].proto.spec
    xyz = np.random.default_rng(0).normal(size=(MAX_3D_POINTS + 5000, 3)).astype(np.float32)
    fig, note = scatter_map(xyz, [f"w{i}" for i in range(len(xyz))], max_points=MAX_3D_POINTS)
    assert sum(len(t.x) for t in fig.data) == MAX_3D_POINTS and "random sample of 100,000" in note


def test_a_map_of_every_point_shares_the_space_s_unit_vectors_and_index():
    from embedlab.selection import select_points

    space, _ = topic_space(per_topic=50)
    sel = select_points(space, mode="all", n=0)  # nothing computed on the space yet
    assert sel.normed is space.normed, "one copy of the unit vectors (80 MB for GloVe's 400k), not two"
    assert "king" not in sel and sel.keys[0] in sel and sel.keys == space.keys
    assert space.renamed("other").normed is space.normed


def test_the_coordinates_table_is_made_only_when_a_file_is_asked_for(monkeypatch):
    from embedlab.space import EmbeddingSpace

    calls = []
    frame = EmbeddingSpace.to_frame
    monkeypatch.setattr(EmbeddingSpace, "to_frame", lambda self: calls.append(1) or frame(self))
    space, _ = topic_space(per_topic=800)
    at = _map_page(space, mode="all")
    assert any(b.proto.label == "CSV" for b in at.get("download_button"))
    assert calls == [], "a 400k-row table is not built (nor held) on every rerun"

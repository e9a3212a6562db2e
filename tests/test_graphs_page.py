"""The Graphs page under AppTest: karate embedded on arrival, node details, evaluation, upload, save."""

from __future__ import annotations

import pytest
from conftest import open_page, shown


@pytest.fixture(scope="module")
def app():
    return open_page("graphs")


def test_karate_opens_with_both_views_and_default_embedding(app):
    assert not app.error
    assert len(app.get("plotly_chart")) == 2
    captions = " ".join(shown(c.value) for c in app.caption)
    assert "34 nodes, 78 edges" in captions and "coloured by label" in captions


def test_node_lists_embedding_and_graph_neighbours(app):
    app.selectbox(key="graphs_node").set_value("33").run()
    assert not app.exception
    nearest, graph_nbrs = app.dataframe[0].value, app.dataframe[1].value
    assert len(nearest) == 10 and "33" not in set(nearest["node"])
    assert set(graph_nbrs["node"]) >= {"32", "8"}  # member 33's friends in the club


def test_classification_and_link_prediction_give_scores_with_meaning(app):
    app.button(key="graphs_classify").click().run()
    assert not app.exception and not app.error
    assert 0.0 <= float(app.metric[0].value) <= 1.0
    assert any("Macro-F1 averages" in c.value for c in app.caption)
    app.button(key="graphs_linkpred").click().run()
    assert not app.exception and not app.error
    assert any("0.5 is guessing" in c.value for c in app.caption)


def test_save_as_space(app):
    from embedlab import workspace

    app.text_input(key="graphs_save_name").set_value("karate-page-test").run()
    app.button(key="graphs_save").click().run()
    assert not app.error
    space = workspace.load("karate-page-test")
    assert len(space) == 34 and "label" in space.meta_columns


def test_switching_to_les_miserables_retrains(app):
    app.selectbox(key="graphs_bundled").set_value("lesmis").run()
    assert not app.exception and not app.error
    assert any("77 nodes, 254 edges" in shown(c.value) for c in app.caption)
    assert len(app.get("plotly_chart")) == 2


def test_uploaded_graph_without_labels_is_coloured_by_community():
    """An upload (read by the same reader the form calls) is explored like a bundled graph."""
    from conftest import ROOT
    from streamlit.testing.v1 import AppTest

    from embedlab.graphs.io import read_graph
    from ui.state import AppState

    edges = "".join(f"{a} {b}\n" for a, b in [("x1", "x2"), ("x2", "x3"), ("x3", "x1"), ("y1", "y2"),
                                              ("y2", "y3"), ("y3", "y1"), ("x1", "y1"), ("x1", "x1")])
    graph = read_graph(edges.encode(), name="mine.txt")
    at = AppTest.from_file(str(ROOT / "app_pages" / "graphs.py"), default_timeout=120)
    state = AppState()
    at.session_state["_embedlab_state"] = state
    at.run()
    state.pages["GraphsPage"].uploads["mine.txt"] = graph
    at.radio(key="graphs_source").set_value("upload").run()
    assert not at.exception and not at.error
    captions = " ".join(shown(c.value) for c in at.caption)
    assert "6 nodes, 7 edges" in captions and "1 self-loops were dropped" in captions
    assert "coloured by Louvain community" in captions
    assert len(at.get("plotly_chart")) == 2
    import json  # issue 25: each community is named by its best-connected nodes, in the legend and on the map

    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        names = [t["name"] for t in spec["data"] if t.get("name", "").startswith("community")]
        assert names and all(": x1" in n or ": y" in n or ": x" in n for n in names), names
        assert any(t.get("name") == "region names" for t in spec["data"])


def test_uploaded_graph_with_nodes_without_edges_says_how_many():
    """Nodes without edges keep untrained vectors: the page says how many, as the CLI does."""
    from conftest import ROOT
    from streamlit.testing.v1 import AppTest

    from embedlab.graphs.io import read_graph
    from ui.state import AppState

    graphml = ('<?xml version="1.0" encoding="UTF-8"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
               '<graph edgedefault="undirected"><node id="a"/><node id="b"/><node id="c"/><node id="d"/>'
               '<node id="lonely"/><edge source="a" target="b"/><edge source="b" target="c"/>'
               '<edge source="c" target="a"/><edge source="c" target="d"/></graph></graphml>')
    graph = read_graph(graphml.encode(), name="loners.graphml")
    at = AppTest.from_file(str(ROOT / "app_pages" / "graphs.py"), default_timeout=120)
    state = AppState()
    at.session_state["_embedlab_state"] = state
    at.run()
    state.pages["GraphsPage"].uploads["loners.graphml"] = graph
    at.radio(key="graphs_source").set_value("upload").run()
    assert not at.exception and not at.error
    warnings = [shown(w.value) for w in at.warning]
    assert any(w.startswith("1 of the 5 nodes has no edges ('lonely')") for w in warnings), warnings

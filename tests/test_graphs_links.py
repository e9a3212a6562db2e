"""Shareable links on the Graphs page: graph, method, p, q and dim come from the URL and follow changes; the
node embedding, the figures and the evaluation results have downloads."""

from __future__ import annotations

from conftest import open_page, shown


def _url(at) -> dict:
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def _linked(**params):
    at = open_page("graphs", timeout=300, run=False)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _has_download(at, key: str) -> bool:
    return any(key in b.proto.id for b in at.get("download_button"))


def test_link_sets_graph_method_and_node2vec_parameters():
    at = _linked(graph="lesmis", method="node2vec", p="0.25", q="4", dim="16")
    assert at.selectbox(key="graphs_bundled").value == "lesmis"
    assert at.radio(key="graphs_method").value == "node2vec"
    assert at.select_slider(key="graphs_p").value == 0.25
    assert at.select_slider(key="graphs_q").value == 4.0
    assert at.select_slider(key="graphs_dim").value == 16
    assert not at.warning and not at.error
    assert any("77 nodes, 254 edges" in shown(c.value) for c in at.caption)  # embedded on arrival
    for key in ("graphs_network_dl_html", "graphs_embedding_dl_html", "graphs_space_dl_w2v"):
        assert _has_download(at, key), key
    at.select_slider(key="graphs_q").set_value(0.5).run()
    assert "q" not in _url(at) and _url(at)["p"] == "0.25"  # the default stays out of the link
    at.select_slider(key="graphs_dim").set_value(8).run()
    at.radio(key="graphs_method").set_value("deepwalk").run()
    url = _url(at)
    assert url["dim"] == "8" and url["method"] == "deepwalk" and url["graph"] == "lesmis"


def test_evaluation_results_can_be_downloaded():
    at = _linked(method="deepwalk", dim="8")
    at.button(key="graphs_classify").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert _has_download(at, "graphs_classify_dl_json")


def test_bad_link_values_are_refused_with_a_message():
    at = _linked(graph="<b>nope</b>", method="magic", p="0.3", dim="many")
    warnings = shown(" ".join(w.value for w in at.warning))
    assert all(name in warnings for name in ("graph", "method", "p =", "dim"))
    assert at.selectbox(key="graphs_bundled").value == "karate"
    assert at.radio(key="graphs_method").value == "node2vec"
    assert at.select_slider(key="graphs_p").value == 1.0
    assert at.select_slider(key="graphs_dim").value == 32

"""Figures and drawing helpers of the Graphs page: samples of big graphs, shared colours, literal node ids."""

from __future__ import annotations

import networkx as nx
import numpy as np

from embedlab.graphs import Graph
from embedlab.graphs.io import from_networkx
from embedlab.graphs.layout import colour_labels, draw_sample, force_layout, induced_edges
from embedlab.plots.graphs import embedding_figure, label_colours, network_figure


def test_big_graph_is_drawn_as_a_connected_sample():
    g = from_networkx(nx.connected_watts_strogatz_graph(5000, 6, 0.05, seed=0), "ws")
    rows = draw_sample(g, max_nodes=300, seed=0)
    assert len(rows) == 300 and len(np.unique(rows)) == 300
    sub = g.to_networkx().subgraph([g.nodes[r] for r in rows])
    # breadth-first snowballs: few pieces, not 300 scattered nodes
    assert nx.number_connected_components(sub) <= 5
    assert np.array_equal(rows, draw_sample(g, max_nodes=300, seed=0))
    small = from_networkx(nx.karate_club_graph(), "karate")
    assert np.array_equal(draw_sample(small, 2000), np.arange(34))


def test_layout_and_edges_of_the_drawn_part():
    g = from_networkx(nx.karate_club_graph(), "karate")
    rows = np.arange(10)
    xy = force_layout(g, rows)
    assert xy.shape == (10, 2) and np.isfinite(xy).all()
    e = induced_edges(g, rows)
    assert len(e) == sum(1 for a, b in nx.karate_club_graph().edges if a < 10 and b < 10)


def test_unlabelled_graph_is_coloured_by_community():
    g = from_networkx(nx.connected_caveman_graph(3, 6), "caves")
    labels, kind = colour_labels(g)
    assert kind == "community" and len(set(labels)) == 3


def test_both_figures_share_colours_and_escape_node_ids():
    keys = ["<b>bold</b>", "b", "c", "d"]
    g = Graph.from_edges(keys[:3], keys[1:])
    labels = np.asarray(["<i>x</i>", "<i>x</i>", "y", "y"])
    colours = label_colours(labels)
    xy = np.random.default_rng(0).normal(size=(4, 2))
    net = network_figure(xy, keys, labels, induced_edges(g, np.arange(4)), colours, selected="<b>bold</b>",
                         graph_neighbours=["b"])
    emb = embedding_figure(xy, keys, labels, colours, selected="<b>bold</b>", embedding_neighbours=["c"])
    for fig in (net, emb):
        names = [t.name for t in fig.data]
        assert "&lt;i&gt;x&lt;/i&gt;" in names and "<i>x</i>" not in names
        texts = [str(t.hovertext) + str(t.text) for t in fig.data]
        assert not any("<b>bold" in t for t in texts)
        by_name = {t.name: t.marker.color for t in fig.data if t.name in ("&lt;i&gt;x&lt;/i&gt;", "y")}
        assert by_name == {"&lt;i&gt;x&lt;/i&gt;": colours["<i>x</i>"], "y": colours["y"]}
    e = induced_edges(g, np.arange(4))
    assert np.allclose(net.data[0].x[0::3], xy[e[:, 0], 0])
    assert np.allclose(net.data[0].x[1::3], xy[e[:, 1], 0])


def test_many_labels_fold_into_other():
    labels = [f"c{i}" for i in range(20) for _ in range(20 - i)]
    colours = label_colours(labels)
    assert len({c for c in colours.values()}) == 10  # nine palette colours + grey
    assert colours["c0"] != colours["c19"]

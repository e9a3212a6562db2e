"""Graph embeddings: planted communities recovered, karate factions, walk statistics, GraphSAGE on an
unseen node, link prediction, saving as a space."""

from __future__ import annotations

from collections import Counter

import networkx as nx
import numpy as np
import pytest

from embedlab.graphs import (
    Graph,
    GraphSAGE,
    embed_graph,
    link_prediction_run,
    load_bundled,
    node_classification,
    random_walks,
    split_edges,
)
from embedlab.graphs.io import from_networkx


def sbm_graph(sizes=(40, 40, 40), p_in=0.25, p_out=0.01, seed=0) -> Graph:
    """A stochastic block model whose node labels are the planted blocks."""
    k = len(sizes)
    probs = [[p_in if i == j else p_out for j in range(k)] for i in range(k)]
    g = nx.stochastic_block_model(list(sizes), probs, seed=seed)
    labels = {str(n): f"block{d['block']}" for n, d in g.nodes(data=True)}
    return from_networkx(g, "sbm", label_attrs=()).with_labels(labels)


@pytest.fixture(scope="module")
def sbm():
    return sbm_graph()


@pytest.mark.parametrize("method", ["deepwalk", "node2vec", "graphsage"])
def test_planted_communities_are_recovered(sbm, method):
    extra = {"steps": 120} if method == "graphsage" else {}
    space = embed_graph(sbm, method, dim=16, p=1.0, q=0.5, seed=0, **extra)
    assert set(space.keys) == set(sbm.nodes)
    res = node_classification(space, seed=0)
    assert res["macro_f1"] >= 0.9, res
    assert res["baseline_macro_f1"] < 0.3


def test_karate_factions_are_separated():
    g = load_bundled("karate")
    assert Counter(g.labels.values()) == {"Mr. Hi": 17, "Officer": 17}
    space = embed_graph(g, "node2vec", dim=16, p=1.0, q=0.5, seed=0)
    res = node_classification(space, seed=0)
    assert res["macro_f1"] >= 0.8, res
    # the two leaders are far apart: each is nearer most of its own faction than the other leader
    assert space.similarity("0", "33") < np.median([space.similarity("0", k) for k in g.neighbours("0")])


def test_walks_follow_edges_and_are_reproducible(sbm):
    walks = random_walks(sbm, walk_length=12, num_walks=3, p=0.5, q=2.0, seed=3)
    assert walks.shape == (3 * sbm.n_nodes, 12)
    edges = set(map(tuple, sbm.edge_array().tolist()))
    for a, b in zip(walks[:, :-1].ravel(), walks[:, 1:].ravel(), strict=True):
        assert (min(a, b), max(a, b)) in edges
    assert np.array_equal(walks, random_walks(sbm, walk_length=12, num_walks=3, p=0.5, q=2.0, seed=3))
    assert not np.array_equal(walks, random_walks(sbm, walk_length=12, num_walks=3, p=0.5, q=2.0, seed=4))
    # every node starts exactly num_walks walks
    assert np.array_equal(np.bincount(walks[:, 0], minlength=sbm.n_nodes), np.full(sbm.n_nodes, 3))


def _return_rate(walks: np.ndarray) -> float:
    return float(np.mean(walks[:, 2:] == walks[:, :-2]))


def _spread(graph: Graph, walks: np.ndarray) -> float:
    """Mean shortest-path distance between a walk's start and end."""
    dist = dict(nx.all_pairs_shortest_path_length(graph.to_networkx()))
    return float(np.mean([dist[graph.nodes[w[0]]][graph.nodes[w[-1]]] for w in walks]))


@pytest.mark.parametrize("graph_name", ["karate", "lesmis", "sbm"])
@pytest.mark.parametrize("seed", [0, 1])
def test_p_and_q_change_walk_statistics(graph_name, seed):
    g = sbm_graph(seed=seed) if graph_name == "sbm" else load_bundled(graph_name)

    def walks(p, q):
        return random_walks(g, walk_length=10, num_walks=20, p=p, q=q, seed=seed)

    # low p: walks return to where they came from far more often
    assert _return_rate(walks(0.1, 1.0)) > 2 * _return_rate(walks(10.0, 1.0))
    # low q: walks move outward (DFS-like) and end further from their start than with high q (BFS-like)
    assert _spread(g, walks(1.0, 0.2)) > _spread(g, walks(1.0, 5.0)) + 0.2


def test_second_order_transitions_match_the_node2vec_formula():
    """Empirical P(x | t -> v) equals w(v,x) * alpha(t,x) / Z (rejection sampling is exact)."""
    g = Graph.from_edges(["t", "t", "v", "v", "v", "a"], ["v", "a", "a", "b", "c", "b"],
                         weights=[1, 1, 1, 2, 3, 1])
    p, q = 0.5, 4.0
    walks = random_walks(g, walk_length=3, num_walks=60_000, p=p, q=q, seed=0)
    t, v = g.index("t"), g.index("v")
    third = walks[(walks[:, 0] == t) & (walks[:, 1] == v), 2]
    freq = np.bincount(third, minlength=g.n_nodes) / len(third)
    # neighbours of v: t (return, w=1, alpha=1/p), a (w=1, also next to t: alpha=1),
    # b (w=2, alpha=1/q), c (w=3, alpha=1/q)
    expected = {"t": 1 / p, "a": 1.0, "b": 2 / q, "c": 3 / q}
    z = sum(expected.values())
    assert len(third) > 2000
    for node, mass in expected.items():
        assert freq[g.index(node)] == pytest.approx(mass / z, abs=0.03), node


def test_weighted_first_step_prefers_heavy_edges():
    g = Graph.from_edges(["s", "s"], ["light", "heavy"], weights=[1.0, 9.0])
    walks = random_walks(g, walk_length=2, num_walks=4000, seed=0)
    steps = walks[walks[:, 0] == g.index("s"), 1]
    assert np.mean(steps == g.index("heavy")) == pytest.approx(0.9, abs=0.03)


def test_directed_walks_stop_at_dead_ends():
    g = Graph.from_edges(["a", "b"], ["b", "c"], directed=True)
    walks = random_walks(g, walk_length=4, num_walks=1, seed=0)
    by_start = {g.nodes[w[0]]: w for w in walks}
    assert by_start["a"].tolist() == [g.index("a"), g.index("b"), g.index("c"), -1]
    assert by_start["c"].tolist() == [g.index("c"), -1, -1, -1]
    space = embed_graph(g, "deepwalk", dim=4, seed=0)
    assert len(space) == 3


def test_graphsage_embeds_a_node_it_never_saw():
    full = sbm_graph(seed=2)
    held_out = [str(i) for i in range(0, 120, 12)]  # ten nodes, spread over the blocks
    keep = np.flatnonzero([full.nodes[a] not in held_out and full.nodes[b] not in held_out
                           for a, b in full.edge_array()])
    rest = [n for n in full.nodes if n not in held_out]
    e = full.edge_array()[keep]
    train = Graph.from_edges([full.nodes[a] for a in e[:, 0]], [full.nodes[b] for b in e[:, 1]], nodes=rest,
                             name="sbm-train", labels={k: full.labels[k] for k in rest})
    model = GraphSAGE(dim=16, random_state=0).fit(train)
    assert not set(held_out) & set(model.embedding_.keys)
    new = model.transform(full, nodes=held_out)
    assert list(new.keys) == held_out and np.isfinite(new.vectors).all()
    # a classifier trained on the training graph's nodes puts most unseen nodes in their planted block
    from sklearn.linear_model import LogisticRegression

    seen = model.embedding_
    clf = LogisticRegression(max_iter=1000).fit(seen.normed, [train.labels[k] for k in seen.keys])
    hits = np.mean(clf.predict(new.normed) == np.asarray([full.labels[k] for k in held_out]))
    assert hits >= 0.8


def test_graphsage_uses_node_features_and_labels():
    g = sbm_graph(seed=1)
    rng = np.random.default_rng(0)
    blocks = np.asarray([int(g.labels[k][-1]) for k in g.nodes])
    feats = rng.normal(size=(g.n_nodes, 8)).astype(np.float32)
    feats[:, 0] += 3 * blocks  # the features carry the blocks too
    from dataclasses import replace

    gf = replace(g, features=feats)
    model = GraphSAGE(dim=8, supervised=True, random_state=0).fit(gf)
    assert model.uses_graph_features_ and model.classes_ == ["block0", "block1", "block2"]
    assert node_classification(model.embedding_, seed=0)["macro_f1"] >= 0.9
    with pytest.raises(Exception, match="node features"):
        model.transform(g)  # trained with features: a graph without them is refused


def test_split_edges_keeps_every_node_connected(sbm):
    train, hidden = split_edges(sbm, test_fraction=0.3, seed=0)
    assert len(hidden) == round(0.3 * sbm.n_edges)
    assert train.n_edges == sbm.n_edges - len(hidden)
    assert (train.degrees > 0).all()
    assert nx.number_connected_components(train.to_networkx()) == nx.number_connected_components(
        sbm.to_networkx())
    train_edges = set(map(tuple, train.edge_array().tolist()))
    assert not train_edges & set(map(tuple, np.sort(hidden, axis=1).tolist()))


def test_link_prediction_scores_planted_structure(sbm):
    res = link_prediction_run(sbm, "node2vec", test_fraction=0.2, dim=16, seed=0)
    assert res["auc"] > 0.8, res
    assert res["n_test_edges"] == round(0.2 * sbm.n_edges)


def test_tree_cannot_hide_edges():
    g = from_networkx(nx.path_graph(6), "path")
    with pytest.raises(Exception, match="tree or forest"):
        split_edges(g, 0.2)


def test_node_space_saves_and_loads_with_metadata():
    from embedlab import workspace

    g = load_bundled("karate")
    space = embed_graph(g, "deepwalk", dim=8, seed=0, name="karate-dw-test")
    assert space.meta_columns == ["label", "degree"]
    assert space.info["graph"] == "karate" and space.info["method"] == "deepwalk"
    workspace.save(space)
    back = workspace.load("karate-dw-test")
    assert back.keys == space.keys
    assert back.meta_column("label").tolist() == g.label_array().tolist()
    assert back.meta_column("degree").tolist() == g.degrees.tolist()


def test_wordnet_graph_ships_with_labels_and_glove_features():
    g = load_bundled("wordnet-nouns")
    assert g.n_nodes > 10_000 and g.n_edges > g.n_nodes
    assert g.features is not None and g.features.shape == (g.n_nodes, 50)
    assert g.labels["dog"] == "animal" and g.labels["car"] == "artifact"
    assert "animal" in g.neighbours("dog") or "canine" in g.neighbours("dog")


@pytest.mark.parametrize("method", ["deepwalk", "node2vec", "graphsage"])
def test_nodes_without_edges_are_counted_and_explained(method):
    g = Graph.from_edges(["a", "b", "c"], ["b", "c", "a"], nodes=["a", "b", "c", "x", "y"])
    assert g.isolated.tolist() == [3, 4]
    space = embed_graph(g, method, dim=4, seed=0, **({"steps": 5} if method == "graphsage" else {}))
    assert len(space) == 5 and space.info["isolated_nodes"] == 2
    (note,) = space.info["notes"]
    assert note.startswith("2 of the 5 nodes have no edges ('x', 'y')")
    assert ("untrained" if method != "graphsage" else "hashed ids") in note
    assert embed_graph(load_bundled("karate"), method, dim=4, **(
        {"steps": 5} if method == "graphsage" else {})).info["notes"] == []


def test_directed_nodes_with_in_edges_only_are_not_isolated():
    g = Graph.from_edges(["a", "b"], ["b", "c"], nodes=["a", "b", "c", "z"], directed=True)
    assert [g.nodes[i] for i in g.isolated] == ["z"]


def test_one_label_is_named_as_plain_text():
    from embedlab.errors import InvalidParameterError
    from embedlab.graphs.evaluate import node_classification
    from embedlab.space import EmbeddingSpace

    space = EmbeddingSpace([f"n{i}" for i in range(6)], np.eye(6, 4, dtype=np.float32))
    with pytest.raises(InvalidParameterError) as err:
        node_classification(space, {f"n{i}": "a" for i in range(6)})
    assert "only 'a'." in str(err.value) and "np.str_" not in str(err.value)

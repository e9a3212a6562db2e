"""Every numeric parameter of the graph methods is checked in one place (embedlab.graphs.params), before
any work, with a message that gives the range and why; the CLI shows it as one sentence and exits 2."""

from __future__ import annotations

import pytest

from embedlab.cli import main
from embedlab.errors import InvalidParameterError
from embedlab.graphs import Graph, embed_graph, link_prediction_run, load_bundled, random_walks
from embedlab.graphs.params import MEMORY_BUDGET, check_params, check_walk_budget


@pytest.fixture(scope="module")
def triangle():
    return Graph.from_edges(["a", "b", "c"], ["b", "c", "a"])


WALK_CASES = [
    ({"walk_length": 100_000_000}, "walk length must be a whole number from 2 to 1,000; got 100000000"),
    ({"walk_length": 1}, "walk length must be a whole number from 2"),
    ({"window": 1_000_000_000}, "window must be a whole number from 1 to 50"),
    ({"window": 12, "walk_length": 10}, "window must be at most walk length - 1 = 9; got 12"),
    ({"epochs": -5}, "epochs must be a whole number from 1 to 100; got -5"),
    ({"epochs": 0}, "epochs must be"),
    ({"num_walks": 100_000_000}, "walks per node must be a whole number from 1 to 100,000"),
    ({"dim": 0}, "dim must be a whole number from 2 to 1,024; got 0"),
    ({"dim": 16.5}, "dim must be a whole number"),
    ({"seed": -1}, "seed must be a whole number from 0 to 4,294,967,295; got -1"),
]
PQ_CASES = [
    ({"p": 1e301}, "p must be a number from 1e-300 to 1e\\+300"),
    ({"q": float("nan")}, "q must be a number"),
    ({"p": "x"}, "p must be a number .* got 'x'"),
]


@pytest.mark.parametrize("method, kw, said", [("node2vec", *c) for c in WALK_CASES + PQ_CASES]
                         + [("deepwalk", *c) for c in WALK_CASES])
def test_walk_parameters_are_refused_with_a_reason(triangle, method, kw, said):
    with pytest.raises(InvalidParameterError, match=said) as err:
        embed_graph(triangle, method, **kw)
    assert "Why:" in str(err.value)


def test_a_short_walk_narrows_the_default_window(triangle):
    space = embed_graph(triangle, "deepwalk", dim=4, walk_length=3)
    assert space.info["params"]["window"] == 2


def test_work_and_memory_budgets():
    karate = load_bundled("karate")
    with pytest.raises(InvalidParameterError, match="walk tokens .* the limit is 2,000,000,000"):
        embed_graph(karate, "node2vec", num_walks=100_000, walk_length=1000)
    with pytest.raises(InvalidParameterError, match="GB .* Lower the walk length, use 1 epoch"):
        check_walk_budget(1_000_000, 64, 80, 10, epochs=2)
    with pytest.raises(InvalidParameterError, match="dimension"):
        check_walk_budget(2_000_000, 1024, 40, 10, epochs=1)
    check_walk_budget(1_000_000, 128, 80, 10, epochs=1)  # a big graph with usual settings fits
    assert 4 * 1_000_000 * 80 + 8 * 1_000_000 * 128 < MEMORY_BUDGET
    with pytest.raises(InvalidParameterError, match="walks per node, all kept"):
        random_walks(karate, walk_length=1000, num_walks=20_000)


def test_check_params_normalises_numbers():
    out = check_params("node2vec", dim=16.0, walk_length="20", p=2, window=None, supervised=True)
    assert out == {"dim": 16, "walk_length": 20, "p": 2.0, "window": None, "supervised": True}
    assert isinstance(out["dim"], int) and isinstance(out["p"], float)


CLI_CASES = [
    (["embed", "karate", "--walk-length", "100000000", "--out", "x"], "walk length must be"),
    (["embed", "karate", "--window", "1000000000", "--out", "x"], "window must be"),
    (["embed", "karate", "--epochs", "-5", "--out", "x"], "epochs must be"),
    (["embed", "karate", "--p", "1e301", "--out", "x"], "p must be"),
    (["embed", "karate", "--seed", "-1", "--out", "x"], "seed must be"),
    (["linkpred", "karate", "--window", "1000000000"], "window must be"),
]


# GraphSAGE
@pytest.mark.parametrize("kw, said", [
    ({"dim": 0}, "dim must be a whole number from 2 to 1,024; got 0"),
    ({"dim": 100_000}, "dim must be a whole number from 2 to 1,024; got 100000"),
    ({"steps": -5}, "steps must be a whole number from 1 to 100,000; got -5"),
    ({"steps": 0}, "steps must be"),
    ({"num_samples": (10, 0)}, "neighbours sampled must be a whole number from 1 to 100; got 0"),
    ({"num_samples": 5}, "neighbours sampled must be two whole numbers"),
    ({"seed": 2 ** 40}, "seed must be"),
])
def test_graphsage_parameters_are_refused_with_a_reason(triangle, kw, said):
    with pytest.raises(InvalidParameterError, match=said) as err:
        embed_graph(triangle, "graphsage", **kw)
    assert "Why:" in str(err.value)


def test_graphsage_estimator_checks_its_own_parameters(triangle):
    """The library's estimator refuses bad values too, not only the entry point pages and CLI use."""
    from embedlab.graphs import GraphSAGE

    for kw in ({"hidden": 0}, {"lr": 0.0}, {"lr": 5.0}, {"batch_size": 0}, {"negative": -1}):
        with pytest.raises(InvalidParameterError, match="must be"):
            GraphSAGE(**kw).fit(triangle)


CLI_CASES += [
    (["embed", "karate", "--method", "graphsage", "--dim", "0", "--out", "x"], "dim must be"),
    (["embed", "karate", "--method", "graphsage", "--steps", "-5", "--out", "x"], "steps must be"),
    (["embed", "karate", "--method", "graphsage", "--dim", "100000", "--out", "x"], "dim must be"),
]


# evaluation
def test_evaluation_fractions_and_seeds(triangle):
    from embedlab.graphs import node_classification, split_edges

    karate = load_bundled("karate")
    with pytest.raises(InvalidParameterError, match="test fraction 1e-06 of karate's 78 edges hides no edge"):
        split_edges(karate, 1e-6)
    with pytest.raises(InvalidParameterError, match="test fraction must be a number strictly between 0"):
        link_prediction_run(karate, "deepwalk", test_fraction=1.0)
    space = embed_graph(karate, "deepwalk", dim=4, num_walks=2)
    with pytest.raises(InvalidParameterError, match="seed must be"):
        node_classification(space, seed=-3)


CLI_CASES += [(["linkpred", "karate", "--test-fraction", "0.000001"], "hides no edge")]


@pytest.mark.parametrize("args, said", CLI_CASES)
def test_cli_refuses_bad_numbers_in_one_sentence(capsys, args, said):
    from embedlab import workspace

    assert main(["graph", *args]) == 2
    captured = capsys.readouterr()
    assert said in captured.err
    assert "Why:" in captured.err or said == "hides no edge"
    assert "Traceback" not in captured.err and not captured.out
    assert "x" not in workspace.list_names()

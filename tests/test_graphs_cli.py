"""``embedlab graph embed|classify|linkpred`` with the shapes issue 11 fixes."""

from __future__ import annotations

import json

from embedlab import workspace
from embedlab.cli import main


def test_embed_then_classify_karate(capsys):
    assert main(["graph", "embed", "karate", "--method", "node2vec", "--p", "1", "--q", "0.5", "--dim", "16",
                 "--seed", "1", "--out", "cli-karate", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["name"] == "cli-karate" and out["n"] == 34 and out["dim"] == 16
    space = workspace.load("cli-karate")
    assert set(space.keys) == {str(i) for i in range(34)}
    assert main(["graph", "classify", "cli-karate", "--seed", "0", "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert 0.0 <= res["macro_f1"] <= 1.0 and 0.0 <= res["accuracy"] <= 1.0
    assert res["macro_f1"] > res["baseline_macro_f1"]


def test_embed_uploaded_edge_list_with_label_file(tmp_path, capsys):
    edges = tmp_path / "edges.csv"
    edges.write_text("source,target,weight\n" + "".join(
        f"{a},{b},1\n" for a, b in [("x1", "x2"), ("x2", "x3"), ("x3", "x1"), ("y1", "y2"), ("y2", "y3"),
                                    ("y3", "y1"), ("x1", "y1")]))
    labels = tmp_path / "labels.csv"
    labels.write_text("".join(f"{n},{n[0]}\n" for n in ["x1", "x2", "x3", "y1", "y2", "y3"]))
    assert main(["graph", "embed", str(edges), "--method", "graphsage", "--dim", "8", "--steps", "30",
                 "--labels", str(labels), "--out", "cli-upload", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["labelled"] == 6
    assert main(["graph", "classify", "cli-upload", "--labels", str(labels), "--test-size", "0.5",
                 "--json"]) == 0
    assert "macro_f1" in json.loads(capsys.readouterr().out)


def test_linkpred_json(capsys):
    assert main(["graph", "linkpred", "lesmis", "--method", "deepwalk", "--test-fraction", "0.2",
                 "--dim", "16", "--seed", "0", "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert 0.5 < res["auc"] <= 1.0
    assert res["n_test_edges"] == round(0.2 * 254) and res["method"] == "deepwalk"


def test_errors_are_one_sentence_and_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_text("a b 1\nb c x\n")
    assert main(["graph", "embed", str(bad), "--out", "never"]) == 2
    err = capsys.readouterr().err
    assert "line 2" in err and "'x' is not a positive number" in err and "Traceback" not in err
    assert main(["graph", "classify", "no-such-space", "--json"]) == 2
    assert "no-such-space" in capsys.readouterr().err


def test_classify_names_a_missing_label_file_and_a_test_size_too_large(capsys):
    assert main(["graph", "embed", "karate", "--dim", "8", "--out", "cli-k8"]) == 0
    capsys.readouterr()
    assert main(["graph", "classify", "cli-k8", "--labels", "nope.csv"]) == 2
    err = capsys.readouterr().err
    assert "nope.csv: does not exist or is not a file" in err and "'node,label' file" in err
    assert main(["graph", "classify", "cli-k8", "--test-size", "0.99"]) == 2
    err = capsys.readouterr().err
    assert "test size 0.99 holds out 34 of the 34 labelled nodes" in err
    assert "at most 0.94" in err and "Traceback" not in err
    assert main(["graph", "classify", "cli-k8", "--test-size", "0.94", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["n_train"] == 2


def test_embed_names_a_missing_label_file(capsys):
    assert main(["graph", "embed", "karate", "--labels", "nope.csv", "--out", "never"]) == 2
    assert "nope.csv: does not exist or is not a file" in capsys.readouterr().err


GRAPHML_WITH_LONERS = """<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <graph edgedefault="undirected">
    <node id="a"/><node id="b"/><node id="c"/><node id="d"/><node id="lonely1"/><node id="lonely2"/>
    <edge source="a" target="b"/><edge source="b" target="c"/><edge source="c" target="a"/>
    <edge source="c" target="d"/><edge source="d" target="a"/>
  </graph>
</graphml>
"""


def test_embed_and_linkpred_count_the_nodes_without_edges(tmp_path, capsys):
    path = tmp_path / "loners.graphml"
    path.write_text(GRAPHML_WITH_LONERS)
    assert main(["graph", "embed", str(path), "--method", "deepwalk", "--dim", "8", "--out", "cli-loners",
                 "--json"]) == 0
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert out["n"] == 6 and out["isolated_nodes"] == 2
    assert out["notes"] == [workspace.load("cli-loners").info["notes"][0]]
    assert "2 of the 6 nodes have no edges ('lonely1', 'lonely2')" in out["notes"][0]
    assert "2 of the 6 nodes have no edges" in captured.err  # said in the plain output too
    assert main(["graph", "linkpred", str(path), "--method", "deepwalk", "--dim", "8", "--test-fraction",
                 "0.2", "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["isolated_nodes"] == 2 and "untrained" in res["notes"][0]

"""Graph input: edge-list dialects, labels, GraphML/GEXF, and every bad input with its message."""

from __future__ import annotations

import gzip

import networkx as nx
import pytest

from embedlab.errors import EmptyInputError, FormatError, InputTooLargeError, InvalidParameterError
from embedlab.graphs import Graph, load_graph, parse_edge_list, parse_labels, read_graph


@pytest.mark.parametrize("data", [
    b"a b\nb c\nc a\n",
    b"a,b\nb,c\nc,a\n",
    b"a\tb\nb\tc\nc\ta\n",
    b"source,target\na,b\nb,c\nc,a\n",
    b"# comment\n% another\n\na  b\n b c\nc a\n",
    b"\xef\xbb\xbfa b\nb c\nc a\n",  # UTF-8 byte-order mark
])
def test_edge_list_dialects(data):
    g = parse_edge_list(data)
    assert sorted(g.nodes) == ["a", "b", "c"] and g.n_edges == 3 and not g.weighted


def test_weights_header_and_string_ids():
    g = parse_edge_list(b"src\tdst\tweight\nJean Valjean\tCosette\t31\nCosette\tMarius\t0.5\n")
    assert g.report.header
    assert g.nodes == ("Jean Valjean", "Cosette", "Marius")
    assert g.weighted and sorted(set(g.edge_weights().tolist())) == [0.5, 31.0]
    assert g.neighbours("Cosette") == ["Jean Valjean", "Marius"]  # strongest edge first


def test_self_loops_and_duplicates_are_dropped_merged_and_reported():
    g = parse_edge_list(b"a b 1\nb a 2\na a 5\nb c 1\nb c 1\n")
    assert g.n_edges == 2
    assert g.report.self_loops == 1 and g.report.duplicates == 2
    assert dict(zip(map(tuple, g.edge_array().tolist()), g.edge_weights().tolist(), strict=True)) == {
        (0, 1): 3.0, (1, 2): 2.0}
    text = " ".join(g.report.sentences())
    assert "1 self-loops were dropped" in text and "2 duplicate edges were merged" in text


def test_directed_keeps_both_directions_apart():
    g = parse_edge_list(b"a b\nb a\nb c\n", directed=True)
    assert g.n_edges == 3 and g.report.duplicates == 0
    assert g.neighbours("c") == []


def test_labels_file_with_header():
    g = parse_edge_list(b"a b\nb c\n")
    assert parse_labels(b"node,label\na,x\nc,y\n", g) == {"a": "x", "c": "y"}


def test_graphml_and_gexf(tmp_path):
    nxg = nx.karate_club_graph()
    for kind, writer in (("graphml", nx.write_graphml), ("gexf", nx.write_gexf)):
        path = tmp_path / f"karate.{kind}"
        writer(nxg, path)
        g = read_graph(path)
        assert g.n_nodes == 34 and g.n_edges == 78 and g.weighted
        assert set(g.labels.values()) == {"Mr. Hi", "Officer"}


def test_gzipped_edge_list_and_label_file(tmp_path):
    edges = tmp_path / "e.tsv.gz"
    edges.write_bytes(gzip.compress(b"1\t2\n2\t3\n3\t1\n"))
    labels = tmp_path / "l.csv"
    labels.write_text("1,red\n2,blue\n")
    g = load_graph(edges, labels=labels)
    assert g.n_edges == 3 and g.labels == {"1": "red", "2": "blue"}


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize("data,match", [
    (b"", "no edges"),
    (b"# only a comment\n\n", "no edges"),
    (b"source,target\n", "header but no edges"),
    (b"a a\nb b\n", "all 2 were self-loops"),
])
def test_no_edges(data, match):
    with pytest.raises(EmptyInputError, match=match):
        parse_edge_list(data)


def test_unknown_node_in_labels():
    g = parse_edge_list(b"a b\nb c\n", name="edges.txt")
    with pytest.raises(FormatError, match=r"labels.csv, line 2: names node 'zed', which is not in the graph"):
        parse_labels(b"a,x\nzed,y\n", g, "labels.csv")


def test_conflicting_labels():
    g = parse_edge_list(b"a b\n")
    with pytest.raises(FormatError, match="two labels"):
        parse_labels(b"a,x\na,y\n", g)


def test_non_numeric_weight_names_the_line():
    with pytest.raises(FormatError, match=r"line 3: the weight 'heavy' is not a positive number"):
        parse_edge_list(b"a b 1\nb c 2\nc d heavy\n", name="w.txt")


def test_negative_weight():
    with pytest.raises(FormatError, match="'-1' is not a positive number"):
        parse_edge_list(b"a b 1\nb c -1\n")


def test_over_the_edge_limit_is_refused_before_parsing():
    data = b"".join(b"%d %d\n" % (i, i + 1) for i in range(101))
    with pytest.raises(InputTooLargeError, match="the limit is 100 edges"):
        parse_edge_list(data, max_edges=100)


def test_one_column_and_ragged_lines():
    with pytest.raises(FormatError, match="only one"):
        parse_edge_list(b"a\nb\n")
    with pytest.raises(FormatError, match="line 2: has only one node id"):
        parse_edge_list(b"a,b\nc\n")


def test_not_utf8_is_read_as_windows_1252_with_a_note():
    g = parse_edge_list(b"caf\xe9 b\nb c\n", "fr.txt")
    assert "caf\xe9" in g.nodes
    assert any("Windows-1252" in s and "line 1" in s for s in g.report.sentences())


def test_broken_graphml(tmp_path):
    path = tmp_path / "bad.graphml"
    path.write_text("<graphml><graph><node id=")
    with pytest.raises(FormatError, match="could not be read as GRAPHML"):
        read_graph(path)


def test_missing_file_and_unknown_bundled_name():
    with pytest.raises(FormatError, match="bundled graph name"):
        load_graph("no-such-graph")


def test_bad_walk_parameters():
    from embedlab.graphs import embed_graph

    g = Graph.from_edges(["a"], ["b"])
    with pytest.raises(InvalidParameterError, match="p must be a number from 1e-300 to 1e\\+300; got 0"):
        embed_graph(g, "node2vec", p=0, q=1)
    with pytest.raises(InvalidParameterError, match="Unknown method 'line'"):
        embed_graph(g, "line")
    with pytest.raises(InvalidParameterError, match="no node labels"):
        embed_graph(g, "graphsage", supervised=True)


@pytest.mark.parametrize("data, line, what", [
    (b"a b\nc\x00d e\n", 2, "NUL"),
    (b"a b\nb c\x0bd\n", 2, "vertical tab"),
    (b"# a comment\na\x1bb c\n", 2, "ESC"),
])
def test_control_characters_in_node_ids_are_refused_naming_the_line(data, line, what):
    with pytest.raises(FormatError, match=f"line {line}: holds a control character \\({what}") as err:
        parse_edge_list(data, "e.txt")
    assert "printable" in str(err.value)


def test_control_characters_in_a_label_file_are_refused():
    g = parse_edge_list(b"a b\nb c\n")
    with pytest.raises(FormatError, match="labels, line 1: holds a control character \\(NUL"):
        parse_labels(b"a\x00,x\nb,y\n", g, "labels")


def test_missing_label_file_is_named(tmp_path):
    from embedlab.graphs.io import read_labels

    g = parse_edge_list(b"a b\nb c\n")
    with pytest.raises(FormatError, match="nope.csv: does not exist or is not a file"):
        read_labels(tmp_path / "nope.csv", g)
    with pytest.raises(FormatError, match="does not exist or is not a file"):
        read_graph(b"a b\nb c\n", name="e.txt", labels=str(tmp_path / "nope.csv"))
    assert read_labels(b"a,x\nb,y\n", g) == {"a": "x", "b": "y"}

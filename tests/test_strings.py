"""The small string helpers of every layer (``embedlab.strings``)."""

from __future__ import annotations

import pytest

from embedlab.strings import split_list


@pytest.mark.parametrize(("text", "items"), [
    ("cat, dog,,  bird ", ["cat", "dog", "bird"]),
    ("one", ["one"]),
    (" , ,", []),
    ("", []),
    (None, []),
    ("a,a", ["a", "a"]),  # repeats are the caller's business
])
def test_split_list(text, items):
    assert split_list(text) == items


def test_split_list_other_separator():
    assert split_list("a; b;;c", sep=";") == ["a", "b", "c"]


def test_the_callers_split_through_it():
    """The selection, the CLI's word options and the classifier's sizes read lists the same way."""
    from embedlab.apps.classify import parse_per_class
    from embedlab.cli.compare import _words
    from embedlab.selection import word_list

    assert word_list(" king, queen ,, king")[0] == ["king", "queen"]
    assert _words(" , ") is None and _words("a, b") == ["a", "b"]
    assert parse_per_class("5, ,all") == [5, "all"]


@pytest.mark.parametrize(("token", "number"), [
    ("3", True), ("-0.5", True), ("1e-3", True), (" 2 ", True), ("nan", True), ("inf", True),
    ("", False), ("weight", False), ("1,5", False), ("0x10", False),
])
def test_is_number(token, number):
    from embedlab.strings import is_number

    assert is_number(token) is number


def test_one_is_number_serves_vectors_graphs_and_labels():
    """A header row is told from data by the same test in the graph reader, the vector sniffer and the
    labelled-CSV check."""
    from embedlab.apps.data import read_labelled_csv
    from embedlab.errors import InvalidParameterError
    from embedlab.formats.detect import sniff
    from embedlab.graphs.io import parse_edge_list

    assert parse_edge_list(b"a b weight\nx y 2\nz w 1\n").n_edges == 2  # "weight" is a header
    assert sniff(b"k 0.5 1\nj 2 3\n") in ("glove-text", "word2vec-text")
    rows = "text,label\n" + "".join(f"text number {i},{i * 0.37:.2f}\n" for i in range(20))
    with pytest.raises(InvalidParameterError, match="looks like a score"):
        read_labelled_csv("x.csv", rows.encode())


@pytest.mark.parametrize(("nbytes", "text"), [
    (0, "0 B"), (512, "512 B"), (1000, "1,000 B"), (1023, "1,023 B"), (1024, "1.0 KB"), (1536, "1.5 KB"),
    (4 * 400_000 * 50, "76.3 MB"), (3 * 1024 ** 4, "3.0 TB"), (2 * 1024 ** 5, "2,048.0 TB"),
])
def test_human_bytes_counts_in_binary_units(nbytes, text):
    from embedlab.strings import human_bytes

    assert human_bytes(nbytes) == text


@pytest.mark.parametrize(("n", "text"), [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"),
                                         (12, "12th"), (13, "13th"), (21, "21st"), (111, "111th"),
                                         (961, "961st"), (1002, "1,002nd")])
def test_ordinal_says_a_rank_in_words(n, text):
    from embedlab.strings import ordinal

    assert ordinal(n) == text

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

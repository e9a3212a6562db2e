"""Sentence spaces: input cleaning, averaged-GloVe baseline, semantic search, the ``sentences`` command."""

from __future__ import annotations

import json

import numpy as np
import pytest

from embedlab.errors import EmptyInputError, FormatError, InputTooLargeError
from embedlab.sentences import (
    averaged_space,
    csv_columns,
    embed_sentences,
    parse_text,
    read_upload,
    semantic_search,
    similarity_matrix,
    word_order_demo,
)

SENTENCES = ["A man is playing a guitar on stage.", "The stock market fell sharply today.",
             "A dog is running through the park.", "The recipe needs two eggs and a cup of flour.",
             "Heavy rain flooded the streets overnight."]


@pytest.fixture(scope="module")
def glove():
    from embedlab.registry import load

    return load("glove-50d")


@pytest.fixture(scope="module")
def space():
    return embed_sentences(SENTENCES)


# ---------------------------------------------------------------- input cleaning
def test_parse_text_drops_and_counts_empty_and_duplicate_lines():
    inp = parse_text("a b\n\n   \na  b\nc\n")
    assert inp.sentences == ["a b", "c"]
    assert (inp.dropped_empty, inp.duplicates) == (2, 1)
    assert any("2 empty" in n for n in inp.notes())


def test_parse_text_cap_and_empty():
    with pytest.raises(InputTooLargeError, match="limit is 3"):
        parse_text("a\nb\nc\nd", max_lines=3)
    with pytest.raises(EmptyInputError, match="no sentences"):
        parse_text("\n \n")


def test_read_upload_refuses_non_text():
    with pytest.raises(FormatError, match="binary"):
        read_upload("s.txt", b"\x89PNG\r\n\x1a\n\x00\x00")
    latin = read_upload("s.txt", "caf\u00e9\n".encode("latin-1"))  # not refused: read as Windows-1252
    assert latin.sentences == ["caf\u00e9"] and "Windows-1252" in latin.notes()[0]
    with pytest.raises(FormatError, match=r"'\.png'"):
        read_upload("s.png", b"hello")
    with pytest.raises(InputTooLargeError, match="limit"):
        read_upload("s.txt", b"x\n" * 100, max_bytes=50)


def test_read_upload_csv_column():
    data = b"id,text\n1,First sentence.\n2,\n3,\"Second, with a comma.\"\n"
    assert csv_columns(data, "s.csv") == ["id", "text"]
    inp = read_upload("s.csv", data, column="text")
    assert inp.sentences == ["First sentence.", "Second, with a comma."] and inp.dropped_empty == 1
    assert read_upload("s.csv", data).sentences == inp.sentences  # 'text' column found by name
    with pytest.raises(FormatError, match="no column 'body'"):
        read_upload("s.csv", data, column="body")


# ---------------------------------------------------------------- spaces
def test_sentence_space(space):
    assert space.keys == tuple(SENTENCES) and space.dim == 384
    np.testing.assert_allclose(np.linalg.norm(space.vectors, axis=1), 1.0, atol=1e-5)
    assert space.info["encoder"] == "minilm-l6" and space.info["truncated"] == 0
    sims = similarity_matrix(space)
    assert sims.shape == (5, 5) and sims.dtype == np.float32
    np.testing.assert_allclose(sims, sims.T, atol=1e-6)
    np.testing.assert_allclose(np.diag(sims), 1.0, atol=1e-5)


def test_truncation_is_counted():
    sp = embed_sentences(["short", "word " * 300])
    assert sp.info["truncated"] == 1
    assert sp.meta_column("truncated").tolist() == [False, True]


def test_semantic_search_ranks_a_paraphrase_first(space):
    rows = semantic_search(space, "Somebody performs music with a guitar.", k=3)
    assert rows[0][0] == SENTENCES[0]
    assert len(rows) == 3 and rows[0][1] > rows[1][1] >= rows[2][1]
    with pytest.raises(EmptyInputError):
        semantic_search(space, "   ")


def test_averaged_glove_ignores_word_order(glove):
    sp = averaged_space(["dog bites man", "man bites dog", "zzqx qqzx"], glove)
    np.testing.assert_array_equal(sp.vectors[0], sp.vectors[1])
    assert sp.info["no_known_words"] == 1 and not sp.vectors[2].any()
    rows = semantic_search(sp, "a dog bit a man", k=1, words=glove)
    assert rows[0][0] in {"dog bites man", "man bites dog"}


def test_word_order_demo(glove):
    avg, transformer = word_order_demo(glove)
    assert avg["identical"] and avg["cosine"] == pytest.approx(1.0, abs=1e-6)
    assert not transformer["identical"] and transformer["cosine"] < 0.99


# ---------------------------------------------------------------- CLI
def test_cli_sentences_json(capsys, tmp_path):
    from embedlab.cli import main

    f = tmp_path / "s.txt"
    f.write_text("\n".join(SENTENCES) + "\n\n", encoding="utf-8")
    assert main(["sentences", str(f), "--query", "A puppy runs in a park.", "--k", "2", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [set(r) for r in rows] == [{"key", "score"}] * 2
    assert rows[0]["key"] == SENTENCES[2]


def test_cli_sentences_baseline_and_errors(capsys, tmp_path):
    from embedlab.cli import main

    f = tmp_path / "s.csv"
    f.write_text("sentence\ndog bites man\nthe cat sleeps\n", encoding="utf-8")
    assert main(["sentences", str(f), "--query", "man bites dog", "--baseline", "glove-50d"]) == 0
    out = capsys.readouterr().out
    assert "dog bites man" in out and "1.0000" in out
    bad = tmp_path / "x.bin"
    bad.write_bytes(b"\x00\x01")
    assert main(["sentences", str(bad), "--query", "q"]) == 2
    assert "expected one of" in capsys.readouterr().err

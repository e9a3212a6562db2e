"""The core CLI commands, run through ``embedlab.cli.main`` on a tiny vectors file and on glove-50d."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from embedlab import workspace
from embedlab.cli import main
from embedlab.space import EmbeddingSpace

# 12 words, 8 d, word2vec text: king - man + woman = queen, plus keys "photo_001.jpg" and "well-known"
TINY = str(Path(__file__).parent / "data" / "core" / "tiny.txt")
ROOT = Path(__file__).resolve().parents[1]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *argv: str):
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture(scope="module")
def glove():
    from embedlab.registry import load

    return load("glove-50d")  # cached by the registry: every command below reuses it


# ----------------------------------------------------------------- tiny file
def test_neighbours_json_shape(capsys):
    rows = run_json(capsys, "neighbours", TINY, "dog", "--k", "3")
    assert isinstance(rows, list) and len(rows) == 3
    assert all(set(r) == {"key", "score"} and isinstance(r["score"], float) for r in rows)
    assert rows[0]["key"] == "photo_001.jpg" and "dog" not in [r["key"] for r in rows]
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)


def test_neighbours_text_and_any_key(capsys):
    code, out, _ = run(capsys, "neighbours", TINY, "photo_001.jpg", "--k", "2")
    assert code == 0 and "Nearest to 'photo_001.jpg'" in out and "dog" in out
    code, out, _ = run(capsys, "neighbours", TINY, "WELL-KNOWN")  # case-insensitive fallback
    assert code == 0 and "well-known" in out


def test_neighbours_of_an_expression(capsys):
    rows = run_json(capsys, "neighbours", TINY, "king - man + woman", "--k", "2")
    assert [set(r) for r in rows] == [{"key", "score"}] * 2 and rows[0]["key"] == "queen"
    assert not {"man", "king", "woman"} & {r["key"] for r in rows}
    rows = run_json(capsys, "neighbours", TINY, "king - man + woman", "--method", "3cosmul")
    assert rows[0]["key"] == "queen"
    code, out, _ = run(capsys, "neighbours", TINY, "King -man +woman", "--k", "2")
    assert code == 0 and "Nearest to 'king + woman - man'" in out and "queen" in out


def test_analogy_both_methods(capsys):
    for method in ("3cosadd", "3cosmul"):
        rows = run_json(capsys, "analogy", TINY, "man", "king", "woman", "--method", method, "--k", "2")
        assert rows[0]["key"] == "queen" and len(rows) == 2
        assert not {"man", "king", "woman"} & {r["key"] for r in rows}
    code, out, _ = run(capsys, "analogy", TINY, "man", "king", "woman")
    assert code == 0 and "man : king :: woman : ?" in out and "queen" in out


def test_unknown_word_suggests_and_exits_2(capsys):
    code, out, err = run(capsys, "neighbours", TINY, "wman")
    assert code == 2 and out == ""
    assert err.startswith("embedlab: error:") and "Did you mean 'woman'" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    code, _, err = run(capsys, "analogy", TINY, "man", "kingg", "woman")
    assert code == 2 and "'king'" in err


def test_unknown_space_exits_2(capsys):
    code, _, err = run(capsys, "info", "no-such-space")
    assert code == 2 and "no-such-space" in err and "glove-50d" in err


@pytest.mark.parametrize("argv", [["neighbours", TINY, "dog", "--k", "0"], ["analogy", TINY, "a", "b"],
                                  ["export", TINY, "--format", "csv", "--out", "x"]])
def test_usage_errors_exit_2(capsys, argv):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert "usage" in capsys.readouterr().err


def test_info_json_and_text(capsys):
    d = run_json(capsys, "info", TINY)
    assert d["name"] == "tiny" and d["size"] == 12 and d["dim"] == 8
    assert d["first_keys"][:3] == ["man", "king", "apple"] and d["meta_columns"] == []
    assert d["info"]["format"] == "word2vec-text"
    code, out, _ = run(capsys, "info", TINY)
    assert code == 0 and "12 keys x 8 dimensions" in out


def test_evaluate_tiny_reports_coverage(capsys):
    d = run_json(capsys, "evaluate", TINY, "--failures", "3")
    assert len(d["analogy"]) == 14 and d["analogy_asked"] == 19544
    assert d["analogy_coverage"] == pytest.approx(d["analogy_answered"] / 19544)
    assert d["wordsim353"]["pairs_total"] == 353 and len(d["failures"]) <= 3
    code, out, err = run(capsys, "evaluate", TINY)
    assert code == 0 and "WordSim-353" in out and "SimLex-999" in out and "coverage" in out
    assert "evaluating tiny" in err  # progress goes to stderr, never into --json output


@pytest.mark.parametrize("fmt, fname", [("word2vec", "v.txt"), ("word2vec-binary", "v.bin"),
                                        ("projector-tsv", "vectors.tsv"), ("parquet", "v.parquet")])
def test_export_round_trips(capsys, tmp_path, fmt, fname):
    from embedlab.formats import read

    out = tmp_path / fname
    d = run_json(capsys, "export", TINY, "--format", fmt, "--out", str(out))
    assert d["format"] == fmt and d["files"][0] == str(out) and out.is_file()
    back = read(out, metadata=d["files"][1]) if fmt == "projector-tsv" else read(out)
    original = read(TINY)
    assert back.keys == original.keys
    np.testing.assert_allclose(back.vectors, original.vectors, rtol=1e-6)
    if fmt == "projector-tsv":
        assert len(d["files"]) == 2
    if fmt.startswith("word2vec"):
        from gensim.models import KeyedVectors

        kv = KeyedVectors.load_word2vec_format(str(out), binary=fmt == "word2vec-binary")
        assert list(kv.index_to_key) == list(original.keys)


def test_export_to_a_folder_is_a_user_error(capsys, tmp_path):
    code, _, err = run(capsys, "export", TINY, "--format", "word2vec", "--out", str(tmp_path))
    assert code == 2 and "is a folder" in err


def test_spaces_and_delete(capsys):
    workspace.save(EmbeddingSpace(["a", "b"], np.eye(2), name="cli-saved"))
    rows = run_json(capsys, "spaces")
    by_name = {r["name"]: r for r in rows}
    assert by_name["glove-50d"]["kind"] == "bundled" and by_name["glove-50d"]["available"]
    assert by_name["cli-saved"]["kind"] == "saved" and "2 keys" in by_name["cli-saved"]["title"]
    assert run_json(capsys, "info", "cli-saved")["size"] == 2
    assert run_json(capsys, "delete", "cli-saved") == {"deleted": "cli-saved"}
    assert not workspace.exists("cli-saved")
    code, _, err = run(capsys, "delete", "cli-saved")
    assert code == 2 and "No saved space named 'cli-saved'" in err
    code, _, err = run(capsys, "delete", "glove-50d")
    assert code == 2 and "bundled" in err


@pytest.mark.parametrize("argv", [["info", TINY, "--json"], ["neighbours", TINY, "dog", "--k", "5"]])
def test_reader_closing_the_pipe_ends_quietly(argv):
    """`embedlab info X --json | head -1`: a reader that stops early gets no BrokenPipeError traceback."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone before the command writes anything: every write fails
    try:
        done = subprocess.run([sys.executable, "-m", "embedlab", *argv], stdout=write_end,
                              stderr=subprocess.PIPE, text=True, cwd=ROOT, timeout=120)
    finally:
        os.close(write_end)
    assert done.stderr == "" and done.returncode == 141


# ----------------------------------------------------------------- glove-50d
def test_glove_neighbours_of_an_expression(capsys, glove):
    rows = run_json(capsys, "neighbours", "glove-50d", "king - man + woman", "--k", "5")
    assert rows[0]["key"] == "queen" and len(rows) == 5
    code, out, _ = run(capsys, "neighbours", "glove-50d", "king - man + woman")
    assert code == 0 and "queen" in out


def test_glove_neighbours_and_analogy(capsys, glove):
    rows = run_json(capsys, "neighbours", "glove-50d", "king", "--k", "10")
    assert len(rows) == 10 and "queen" in [r["key"] for r in rows]
    rows = run_json(capsys, "analogy", "glove-50d", "man", "king", "woman")
    assert rows[0]["key"] == "queen"
    code, _, err = run(capsys, "neighbours", "glove-50d", "kingg")
    assert code == 2 and "Did you mean 'king'" in err


def test_glove_info(capsys, glove):
    d = run_json(capsys, "info", "glove-50d")
    assert (d["size"], d["dim"], d["meta_columns"]) == (400_000, 50, ["rank"])
    assert d["first_keys"][0] == "the" and "GloVe" in d["info"]["source"]


def test_glove_evaluate_restricted(capsys, glove):
    d = run_json(capsys, "evaluate", "glove-50d", "--restrict", "5000", "--failures", "2")
    assert d["restrict_vocab"] == 5000 and d["vocab_size"] == 400_000
    fam = next(c for c in d["analogy"] if c["category"] == "family")
    assert fam["accuracy"] > 0.5 and fam["total"] + fam["skipped"] == 506
    assert d["wordsim353"]["pairs_used"] == 353 and 0.4 < d["wordsim353"]["spearman"] < 0.6
    assert len(d["failures"]) == 2 and d["failures_total"] > 2
    assert set(d["failures"][0]) == {"category", "a", "b", "c", "expected", "got"}

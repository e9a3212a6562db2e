"""``embedlab index`` and ``embedlab neighbours --approx`` on a small clustered space."""

from __future__ import annotations

import json

import numpy as np

from embedlab.cli import main
from embedlab.formats import write
from embedlab.space import EmbeddingSpace


def _space_file(tmp_path):
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(20, 16))
    vecs = np.repeat(centres, 50, axis=0) + 0.05 * rng.normal(size=(1000, 16))
    space = EmbeddingSpace([f"w{i}" for i in range(1000)], vecs, name="clusters")
    return write(space, tmp_path / "clusters.txt", "word2vec-text")[0], space


def test_index_builds_once_and_reports_recall(tmp_path, capsys):
    path, _ = _space_file(tmp_path)
    assert main(["index", str(path), "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["built"] is True and first["n"] == 1000
    assert first["recall_at_10"] >= 0.95 and first["query_ms"] > 0
    assert main(["index", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["built"] is False, "the saved index is reused"


def test_approximate_neighbours_match_exact_ones(tmp_path, capsys):
    path, space = _space_file(tmp_path)
    assert main(["neighbours", str(path), "w7", "--k", "5", "--approx", "--json"]) == 0
    approx = json.loads(capsys.readouterr().out)
    assert main(["neighbours", str(path), "w7", "--k", "5", "--json"]) == 0
    exact = json.loads(capsys.readouterr().out)
    assert [r["key"] for r in approx] == [r["key"] for r in exact]
    assert "w7" not in {r["key"] for r in approx}
    np.testing.assert_allclose([r["score"] for r in approx], [r["score"] for r in exact], atol=1e-4)


def test_approx_without_a_saved_index_says_it_builds_one_and_shows_progress(tmp_path, capsys):
    rng = np.random.default_rng(7)  # a space of its own: indexes are saved per fingerprint for the session
    space = EmbeddingSpace([f"w{i}" for i in range(300)], rng.normal(size=(300, 8)), name="fresh")
    path = write(space, tmp_path / "fresh.txt", "word2vec-text")[0]
    assert main(["neighbours", str(path), "w3", "--k", "3", "--approx"]) == 0
    err = capsys.readouterr().err
    assert "building it once" in err and "%" in err  # not minutes of silence on a big space
    assert main(["neighbours", str(path), "w3", "--k", "3", "--approx"]) == 0
    assert "building" not in capsys.readouterr().err  # the saved index is reused quietly


def test_approximate_neighbours_of_an_expression(tmp_path, capsys):
    path, space = _space_file(tmp_path)
    assert main(["neighbours", str(path), "w7 + w60 - w120", "--k", "5", "--approx", "--json"]) == 0
    approx = json.loads(capsys.readouterr().out)
    assert main(["neighbours", str(path), "w7 + w60 - w120", "--k", "5", "--json"]) == 0
    exact = json.loads(capsys.readouterr().out)
    assert [r["key"] for r in approx] == [r["key"] for r in exact]
    assert not {"w7", "w60", "w120"} & {r["key"] for r in approx}

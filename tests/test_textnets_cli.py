"""``embedlab train-encoder`` and the small encoders in ``sentences``, ``classify``, ``polysemy``,
``batch embed`` and ``encoders``."""

from __future__ import annotations

import json

import numpy as np
import pytest

from embedlab.cli import main

STORY = ("The storm reached the coast at night. Fishermen pulled their boats onto the sand. Rain fell for "
         "three days. The river rose above the bridge. Schools closed and shops stayed dark. "
         "On the fourth day the sun came out. People walked to the harbour to see the damage. "
         "Two boats had sunk. ")


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A DAN trained with --quick on a short text, saved as ``cli-dan``."""
    path = tmp_path_factory.mktemp("corpus") / "story.txt"
    path.write_text(STORY * 30, encoding="utf-8")
    assert main(["train-encoder", "use-dan", "--corpus", str(path), "--out", "cli-dan", "--quick",
                 "--device", "cpu", "--json"]) == 0
    return path


def test_train_encoder_reports_json_and_saves(trained, capsys):
    assert main(["encoders", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    names = {r["name"]: r for r in rows}
    assert names["cli-dan"]["saved"] and {"elmo-small", "skip-thought-small", "use-dan-small",
                                           "infersent-small"} <= set(names)
    assert "not the published weights" in names["elmo-small"]["description"]


def test_a_saved_encoder_serves_sentences_and_classify(trained, tmp_path, capsys):
    capsys.readouterr()
    lines = tmp_path / "lines.txt"
    lines.write_text("The boats sank in the storm.\nShops sold bread.\nThe river flooded the town.\n",
                     encoding="utf-8")
    assert main(["sentences", str(lines), "--query", "a flood", "--encoder", "cli-dan", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert len(hits) == 3 and all(-1.0001 <= h["score"] <= 1.0001 for h in hits)
    assert main(["classify", "pang-lee", "--features", "bow,cli-dan,use-dan-small", "--per-class", "10",
                 "--repeats", "1", "--json"]) == 0
    curve = json.loads(capsys.readouterr().out)["curve"]
    assert {r["features"] for r in curve} == {"bow", "cli-dan", "use-dan-small"}
    assert [r["label"] for r in curve if r["features"] == "cli-dan"] == ["sentence vectors (cli-dan)"]


def test_polysemy_with_elmo_shows_its_layers_and_scalar_mix(capsys):
    assert main(["polysemy", "bank", "--encoder", "elmo-small", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in out["layers"]] == ["char-CNN", "LSTM 1", "LSTM 2", "scalar mix"]
    assert main(["polysemy", "bank", "--encoder", "elmo-small"]) == 0
    assert "scalar mix" in capsys.readouterr().out


def test_polysemy_with_a_sentence_only_encoder_says_so(capsys):
    assert main(["polysemy", "bank", "--encoder", "skip-thought-small"]) == 2
    assert "not per word in context" in capsys.readouterr().err


def test_batch_embed_runs_a_small_encoder_on_the_workers(tmp_path, capsys):
    from embedlab.batch import open_space
    from embedlab.encoders import get_encoder

    texts = [f"the storm reached the coast on day {i}" for i in range(20)]
    src = tmp_path / "texts.txt"
    src.write_text("\n".join(texts) + "\n", encoding="utf-8")
    assert main(["batch", "embed", str(src), "--kind", "text", "--out", str(tmp_path / "out"),
                 "--workers", "1", "--encoder", "skip-thought-small", "--shard-size", "8", "--device", "cpu",
                 "--json"]) == 0
    space = open_space(tmp_path / "out")
    assert np.abs(np.asarray(space.vectors) - get_encoder("skip-thought-small").encode(texts)).max() <= 1e-5


def test_train_encoder_refuses_an_nli_csv_with_an_unknown_label(tmp_path, capsys):
    csv = tmp_path / "nli.csv"
    csv.write_text("premise,hypothesis,label\nA man sleeps.,A person rests.,entails\n", encoding="utf-8")
    assert main(["train-encoder", "infersent", "--corpus", str(csv), "--out", "bad-nli", "--quick"]) == 2
    err = capsys.readouterr().err
    assert "'entails'" in err and "line 2" in err and "entailment, neutral, contradiction" in err


def test_train_encoder_refuses_an_empty_corpus(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert main(["train-encoder", "skip-thought", "--corpus", str(empty), "--out", "nothing", "--quick"]) == 2
    assert "no text" in capsys.readouterr().err

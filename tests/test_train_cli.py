"""``embedlab train`` and ``embedlab corpus info``."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from embedlab.cli import main
from embedlab.registry import load

DATA = Path(__file__).parent / "data" / "train"


@pytest.fixture
def corpus_file(tmp_path):
    from test_train_glove import planted

    path = tmp_path / "planted.txt"
    path.write_text("\n\n".join(" ".join(s) for s in planted(300).sentences), encoding="utf-8")
    return path


def test_corpus_info_json(capsys):
    assert main(["corpus", "info", str(DATA / "tiny.txt"), "--min-count", "2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["tokens"] == 18 and out["vocab_size"] == 6 and out["sentences"] == 2


@pytest.mark.parametrize("argv", [
    ["train", "word2vec", "--cbow", "--corpus", "{c}", "--out", "cli-cbow"],
    ["train", "{c}", "--method", "glove", "--out", "cli-glove"],
])
def test_train_both_spellings_save_and_report_json(argv, corpus_file, capsys):
    argv = [a.format(c=corpus_file) for a in argv]
    code = main([*argv, "--dim", "8", "--epochs", "2", "--window", "3", "--min-count", "1", "--seed", "5",
                 "--workers", "1", "--json"])
    cap = capsys.readouterr()
    assert code == 0, cap.err
    out = json.loads(cap.out)
    assert out["epochs"] == 2 and out["vocab_size"] == 64 and out["evaluation"]["vocab_size"] == 64
    assert "epoch 2/2" in cap.err  # progress goes to stderr
    space = load(out["name"])
    assert space.dim == 8 and np.isfinite(space.vectors).all()
    assert space.info["method"] == ("cbow" if "cbow" in out["name"] else "glove")


def test_train_bad_input_is_one_sentence_and_exit_2(capsys, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("   ")
    assert main(["train", str(empty), "--out", "x"]) == 2
    assert "contains no text" in capsys.readouterr().err
    assert main(["train", "glove", "--cbow", "--corpus", str(empty), "--out", "x"]) == 2
    assert "Conflicting" in capsys.readouterr().err

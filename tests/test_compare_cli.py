"""``embedlab compare``, ``embedlab map``, ``embedlab slices`` and ``embedlab train --continue-from``."""

from __future__ import annotations

import json

import numpy as np
import pytest
from test_compare import _pair
from test_compare_train import TECH, WATER, new_corpus, old_corpus

from embedlab import workspace
from embedlab.cli import main
from embedlab.registry import load
from embedlab.space import EmbeddingSpace


@pytest.fixture(scope="module")
def saved_pair():
    a, b = _pair(swap=(3, 7), noise=0.05)
    workspace.save(a, "cli-a")
    workspace.save(b, "cli-b")
    return a, b


def _json(capsys, argv: list[str]) -> dict:
    code = main([*argv, "--json"])
    cap = capsys.readouterr()
    assert code == 0, cap.err
    return json.loads(cap.out)


def test_compare_json_shape_and_planted_swaps_first(saved_pair, capsys):
    out = _json(capsys, ["compare", "cli-a", "cli-b", "--top", "4", "--min-count", "50"])
    assert out["shared"] == 400 and 0.95 < out["mean_cosine"] <= 1.0
    assert [m["key"] for m in out["moved"][:2]] in (["w3", "w7"], ["w7", "w3"])
    dists = [m["distance"] for m in out["moved"]]
    assert len(dists) == 4 and dists == sorted(dists, reverse=True)
    assert isinstance(out["moved"][0]["neighbours_a"], list)


def test_compare_saves_the_aligned_space(saved_pair, capsys):
    out = _json(capsys, ["compare", "cli-a", "cli-b", "--top", "1", "--save-aligned", "cli-a-aligned"])
    aligned = load("cli-a-aligned")
    np.testing.assert_allclose(aligned.vector("w10"), load("cli-b").vector("w10", normed=True), atol=0.05)
    assert out["saved"].endswith("cli-a-aligned")


def test_compare_bad_inputs_are_one_sentence(saved_pair, capsys, tmp_path):
    assert main(["compare", "cli-a", "no-such-space"]) == 2
    assert "no-such-space" in capsys.readouterr().err
    assert main(["compare", "cli-a", "cli-b", "--max-rank", "10"]) == 2
    assert "'rank'" in capsys.readouterr().err
    workspace.save(EmbeddingSpace(["p", "q"], np.eye(2, 16), name="pq"), "cli-pq")
    assert main(["compare", "cli-a", "cli-pq"]) == 2
    assert "share 0 key" in capsys.readouterr().err


def test_map_reports_precision_and_translations(saved_pair, capsys, tmp_path):
    out = _json(capsys, ["map", "cli-a", "cli-b", "--translate", "w10"])
    assert out["precision_at_1"] >= 0.95 and out["test_words"] == 80
    assert out["translations"]["w10"][0]["key"] == "w10"
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("\n".join(f"w{i}\tw{i}" for i in range(100)), encoding="utf-8")
    out = _json(capsys, ["map", "cli-a", "cli-b", "--pairs", str(pairs), "--least-squares"])
    assert out["train_pairs"] == 80 and not out["orthogonal"]
    assert main(["map", "cli-a", "cli-b", "--pairs", str(tmp_path / "missing.tsv")]) == 2
    assert "does not exist" in capsys.readouterr().err
    pairs.write_text("# word pairs, separated by spaces\n" + "\n".join(f"w{i} w{i}" for i in range(100)),
                     encoding="utf-8")
    assert _json(capsys, ["map", "cli-a", "cli-b", "--pairs", str(pairs)])["train_pairs"] == 80
    pairs.write_text("w1\tw1\nw2\n", encoding="utf-8")
    assert main(["map", "cli-a", "cli-b", "--pairs", str(pairs)]) == 2
    assert "pairs.tsv, line 2" in capsys.readouterr().err


def test_train_continue_from_grows_the_vocabulary(tmp_path, capsys):
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text("\n\n".join(" ".join(s) for s in old_corpus().sentences), encoding="utf-8")
    new.write_text("\n\n".join(" ".join(s) for s in new_corpus().sentences), encoding="utf-8")
    common = ["--min-count", "1", "--workers", "1", "--no-eval"]
    _json(capsys, ["train", "word2vec", str(old), "--out", "cli-old", "--dim", "16", "--epochs", "4",
                   "--window", "4", *common])
    out = _json(capsys, ["train", str(new), "--continue-from", "cli-old", "--out", "cli-new", "--epochs", "3",
                         *common])
    assert out["continued_from"] == "cli-old" and out["new_words"] == 1 and out["epochs"] == 3
    before, after = load("cli-old"), load("cli-new")
    assert "smartwatch" in after and "smartwatch" not in before
    np.testing.assert_array_equal(after.vector(WATER[0]), before.vector(WATER[0]))
    assert after.similarity("apple", TECH[0]) > before.similarity("apple", TECH[0])
    # a space without training state, and a change of shape, are refused with a sentence
    assert main(["train", str(new), "--continue-from", "cli-a", "--out", "x", *common]) == 2
    assert "no saved word2vec training state" in capsys.readouterr().err
    assert main(["train", str(new), "--continue-from", "cli-old", "--dim", "8", "--out", "x", *common]) == 2
    assert "cannot change" in capsys.readouterr().err
    assert main(["train", "glove", str(new), "--continue-from", "cli-old", "--out", "x", *common]) == 2
    assert "word2vec" in capsys.readouterr().err


def test_train_continue_from_keeps_the_method_or_says_why_not(tmp_path, capsys):
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text("\n\n".join(" ".join(s) for s in old_corpus().sentences), encoding="utf-8")
    new.write_text("\n\n".join(" ".join(s) for s in new_corpus().sentences[:300]), encoding="utf-8")
    common = ["--min-count", "1", "--workers", "1", "--no-eval", "--epochs", "1"]
    _json(capsys, ["train", "word2vec", str(old), "--out", "sg-base", "--dim", "8", *common])
    for asked in (["--cbow"], ["cbow"], ["--method", "cbow"]):
        assert main(["train", *asked, str(new), "--continue-from", "sg-base", "--out", "x", *common]) == 2
        err = capsys.readouterr().err
        assert "'sg-base' was trained with skip-gram" in err and "CBOW was asked for" in err, asked
    assert not workspace.exists("x")
    out = _json(capsys, ["train", "--sg", str(new), "--continue-from", "sg-base", "--out", "sg-more", "--dim",
                         "8", *common])  # the same method and dimension, said again, are fine
    assert out["params"]["sg"] is True and out["method"] == "skipgram"


def test_continue_params_refuses_only_changes():
    from embedlab.errors import InvalidParameterError
    from embedlab.train.continued import continue_params
    from embedlab.train.word2vec import Word2VecParams, Word2VecState

    params = Word2VecParams(sg=False, dim=8).to_dict()
    state = Word2VecState(["a"], np.ones(1, dtype=np.int64), np.zeros((1, 8), np.float32), params, 1)
    assert continue_params(state, sg=False, dim=8, epochs=2).sg is False
    with pytest.raises(InvalidParameterError, match="'cb' was trained with CBOW.*skip-gram was asked for"):
        continue_params(state, "cb", sg=True)
    with pytest.raises(InvalidParameterError, match="dim cannot change"):
        continue_params(state, dim=16)


def test_map_with_no_usable_pair_says_so(saved_pair, tmp_path, capsys):
    pairs = tmp_path / "de-en.tsv"
    pairs.write_text("Hund\tw1\nKatze\tw2\nHaus\tw3\nBaum\tw4\n", encoding="utf-8")
    assert main(["map", "cli-a", "cli-b", "--pairs", str(pairs)]) == 2
    err = capsys.readouterr().err
    assert "None of the 4 seed pairs has its source word in cli-a and its target word in cli-b" in err
    assert "'Hund' → 'w1' ('Hund' is not in cli-a)" in err and "-1" not in err


def test_slices_from_files_save_aligned_spaces(tmp_path, capsys):
    files = []
    for name, corpus in (("1990.txt", old_corpus()), ("2020.txt", new_corpus())):
        p = tmp_path / name
        p.write_text("\n\n".join(" ".join(s) for s in corpus.sentences[:500]), encoding="utf-8")
        files.append(str(p))
    out = _json(capsys, ["slices", *files, "--prefix", "cli-sl", "--dim", "8", "--epochs", "2",
                         "--min-count", "1", "--workers", "1", "--words", "apple,nothere"])
    assert out["spaces"] == ["cli-sl-1990", "cli-sl-2020"] and list(out["trajectories"]) == ["apple"]
    assert load("cli-sl-2020").info["alignment"]["to_previous"] == "1990"
    assert main(["slices", files[0]]) == 2
    assert "at least two" in capsys.readouterr().err


@pytest.fixture(scope="module")
def bilingual_pair():
    from test_translation import bilingual

    a, b, _, pairs = bilingual(n=300, d=16, noise=0.1, shared=20)
    workspace.save(a.renamed("bi-en"), "bi-en")
    workspace.save(b.renamed("bi-fr"), "bi-fr")
    return pairs


def test_map_eval_csls_refine_json_shape(bilingual_pair, tmp_path, capsys):
    train, held = tmp_path / "train.tsv", tmp_path / "eval.tsv"
    train.write_text("".join(f"{x}\t{y}\n" for x, y in bilingual_pair), encoding="utf-8")
    held.write_text("".join(f"{x}\t{y}\n" for x, y in bilingual_pair[250:]), encoding="utf-8")
    out = _json(capsys, ["map", "bi-en", "bi-fr", "--pairs", str(train), "--eval", str(held), "--csls",
                         "--refine", "2", "--translate", "s260"])
    assert isinstance(out["p_at_1"], float) and isinstance(out["p_at_5"], float)
    assert out["p_at_1"] >= 0.95 and (out["n_eval"], out["n_train"]) == (50, 250)
    assert out["retrieval"] == "csls" and out["refine"] == 2 and len(out["rounds"]) == 3
    assert out["precision_at_1"] == out["p_at_1"] and out["test_words"] == 50  # the old keys stay
    assert out["translations"]["s260"][0]["key"] == "t260"
    code = main(["map", "bi-en", "bi-fr", "--eval", str(held), "--no-dictionary", "--refine", "2"])
    text = capsys.readouterr().out
    assert code == 0 and "from 20 seed pairs (identical strings and numerals (no dictionary))" in text
    assert "precision@1 1.000" in text


def test_map_between_two_languages_uses_freedict_or_says_it_is_missing(bilingual_pair, tmp_path, capsys,
                                                                       monkeypatch):
    from test_dictionaries import write_dictd

    from embedlab.compare import dictionaries

    a, b = load("bi-en"), load("bi-fr")
    workspace.save(a.with_vectors(a.vectors, info={"language": "en"}), "bi-en-en")
    workspace.save(b.with_vectors(b.vectors, info={"language": "fr"}), "bi-fr-fr")
    monkeypatch.setattr(dictionaries, "DICTD_DIR", tmp_path)  # no FreeDict here
    out = _json(capsys, ["map", "bi-en-en", "bi-fr-fr"])
    assert out["dictionary"] == "identical" and out["n_train"] == 16  # 20 numerals, 4 held out
    assert "apt-get install dict-freedict-eng-fra dict-freedict-fra-eng" in out["notes"][0]
    write_dictd(tmp_path, "freedict-eng-fra", {x: f"{x}\n{y}\n" for x, y in bilingual_pair})
    out = _json(capsys, ["map", "bi-en-en", "bi-fr-fr"])
    assert out["dictionary"] == "freedict" and out["n_train"] == 240 and out["p_at_1"] >= 0.95
    assert "GPL" in out["dictionary_licence"]

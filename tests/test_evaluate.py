"""Intrinsic evaluation: matches gensim exactly, planted analogies, coverage, case handling, reports."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from embedlab.errors import EmptyInputError, InvalidParameterError
from embedlab.evaluate import (
    Evaluation,
    analogy_questions,
    compare,
    data_path,
    evaluate,
    similarity_pairs,
    word_pair_score,
)
from embedlab.space import EmbeddingSpace

PAIRS = [("boy", "girl"), ("brother", "sister"), ("dad", "mom"), ("father", "mother"), ("king", "queen"),
         ("man", "woman"), ("son", "daughter"), ("uncle", "aunt")]


def _family_space(upper: bool = False, extra: int = 20) -> EmbeddingSpace:
    """Male word i = e_i, female word i = (e_i + e_g) / sqrt(2): every family question has an exact answer."""
    n = len(PAIRS)
    dim = 2 * n + extra + 1
    keys, vecs = [], []
    eye = np.eye(dim)
    for i, (m, f) in enumerate(PAIRS):
        keys += [m, f]
        vecs += [eye[i], (eye[i] + eye[-1]) / np.sqrt(2)]
    for j in range(extra):  # distractors
        keys.append(f"other{j}")
        vecs.append(eye[n + j])
    if upper:
        keys = [k.upper() for k in keys]
    return EmbeddingSpace(keys, np.array(vecs), name="family")


def _family_questions(words: set[str]) -> int:
    fam = dict(analogy_questions())["family"]
    return sum(all(w in words for w in q) for q in fam)


def test_datasets_parse():
    sections = analogy_questions()
    assert len(sections) == 14 and sections[0][0] == "capital-common-countries"
    assert sum(len(qs) for _, qs in sections) == 19544
    assert sections[0][1][0] == ("Athens", "Greece", "Baghdad", "Iraq")
    ws = similarity_pairs(str(data_path("wordsim353.tsv")))
    sl = similarity_pairs(str(data_path("simlex999.txt")))
    assert len(ws) == 353 and ws[0] == ("love", "sex", 6.77)
    assert len(sl) == 999 and sl[0] == ("old", "new", 1.58)


def test_planted_family_analogies_all_correct():
    sp = _family_space()
    ev = evaluate(sp, similarity=False)
    cats = {c.category: c for c in ev.analogy}
    expected = _family_questions(set(sp.keys))
    assert expected > 40
    fam = cats["family"]
    assert (fam.correct, fam.total, fam.skipped) == (expected, expected, 506 - expected)
    assert fam.accuracy == 1.0 and fam.group == "semantic"
    assert ev.analogy_overall == 1.0 and ev.failures == []
    assert ev.analogy_coverage == pytest.approx(expected / 19544)
    assert all(c.total == 0 and math.isnan(c.accuracy) for name, c in cats.items() if name != "family")
    assert ev.wordsim353 is None and ev.simlex999 is None
    assert cats["gram1-adjective-to-adverb"].group == "syntactic"


def test_batched_answers_equal_one_query_at_a_time():
    rng = np.random.default_rng(0)
    base = _family_space()
    noisy = base.with_vectors(base.vectors + rng.normal(scale=0.25, size=base.vectors.shape))
    ev = evaluate(noisy, similarity=False)
    from embedlab.neighbours import analogy

    fam = dict(analogy_questions())["family"]
    wrong = []
    for a, b, c, d in fam:
        if all(w in noisy for w in (a, b, c, d)):
            got = analogy(noisy, a, b, c, topn=1)[0][0]
            if got != d:
                wrong.append((a, b, c, d, got))
    assert [(f.a, f.b, f.c, f.expected, f.got) for f in ev.failures] == wrong
    assert 0 < len(wrong) < _family_questions(set(noisy.keys))


def test_case_insensitive_matching():
    upper = _family_space(upper=True)
    ev = evaluate(upper, similarity=False)
    assert ev.analogy_overall == 1.0 and ev.analogy_answered == _family_questions(set(_family_space().keys))
    strict = evaluate(upper, similarity=False, case_insensitive=False)
    assert strict.analogy_answered == 0 and math.isnan(strict.analogy_overall)
    assert strict.analogy_coverage == 0.0
    d = strict.to_dict()
    assert d["analogy_overall"] is None
    json.dumps(d, allow_nan=False)


def test_restrict_vocab_skips_questions_outside_it():
    sp = _family_space()
    ev = evaluate(sp, restrict_vocab=8, similarity=False)  # boy..mother only
    assert ev.restrict_vocab == 8
    assert ev.analogy_answered == _family_questions(set(sp.keys[:8]))
    assert ev.analogy_answered < evaluate(sp, similarity=False).analogy_answered
    assert evaluate(sp, restrict_vocab=None, similarity=False).restrict_vocab == len(sp)


def test_similarity_coverage_and_degenerate_cases():
    sp = _family_space()
    ws = word_pair_score(sp, "WordSim-353")
    pairs = similarity_pairs(str(data_path("wordsim353.tsv")))
    used = sum(a.casefold() in sp and b.casefold() in sp for a, b, _ in pairs)
    assert ws.pairs_used == used and ws.pairs_total == 353
    assert ws.coverage == pytest.approx(used / 353)
    tiny = EmbeddingSpace(["zz1", "zz2"], np.eye(2), name="tiny")
    none = word_pair_score(tiny, "SimLex-999")
    assert none.pairs_used == 0 and math.isnan(none.spearman) and none.coverage == 0.0
    with pytest.raises(InvalidParameterError, match="Unknown word-pair set"):
        word_pair_score(sp, "MEN-3000")


def test_reports_and_progress():
    calls = []
    ev = evaluate(_family_space(), progress=lambda done, total, msg: calls.append((done, total)))
    assert calls and calls[-1][0] == calls[-1][1] == ev.analogy_answered
    table = ev.summary_table()
    assert list(table.columns) == ["task", "score", "used", "total", "coverage"]
    assert len(table) == 14 + 3 + 2
    overall = table.set_index("task").loc["analogy: overall"]
    assert overall["score"] == 1.0 and overall["total"] == 19544
    d = ev.to_dict(max_failures=0)
    text = json.dumps(d, allow_nan=False)
    assert json.loads(text)["analogy"][0]["category"] == "capital-common-countries"
    assert d["wordsim353"]["pairs_total"] == 353 and d["seconds"] >= 0
    assert isinstance(ev, Evaluation)


def test_compare_one_row_per_space():
    a, b = _family_space(), _family_space(upper=True).renamed("upper")
    df = compare([a, b], case_insensitive=False)
    assert df["space"].tolist() == ["family", "upper"]
    assert df.loc[0, "analogy"] == 1.0 and math.isnan(df.loc[1, "analogy"])
    assert {"vocab", "dim", "semantic", "syntactic", "analogy_coverage", "wordsim353", "simlex999",
            "wordsim353_coverage", "simlex999_coverage"} <= set(df.columns)
    by_name = compare({"first": a}, similarity=False)
    assert by_name["space"].tolist() == ["first"] and math.isnan(by_name.loc[0, "wordsim353"])
    with pytest.raises(EmptyInputError):
        compare([])


def test_bad_parameters():
    with pytest.raises(InvalidParameterError, match="restrict_vocab"):
        evaluate(_family_space(), restrict_vocab=0)
    with pytest.raises(EmptyInputError):
        evaluate(EmbeddingSpace([], np.zeros((0, 3)), name="empty"))


@pytest.fixture(scope="module")
def glove_mix():
    """The 3,000 most frequent GloVe words plus capitalised variants before and after the lower-case ones."""
    from embedlab.registry import load

    g = load("glove-50d").head(3000)
    keys, vecs = list(g.keys), np.array(g.vectors)
    rng = np.random.default_rng(0)
    for w, before in [("Paris", True), ("King", True), ("Good", True), ("Greece", False), ("France", False)]:
        i = keys.index(w.lower())
        pos = max(0, i - 3) if before else i + 1
        keys.insert(pos, w)
        vecs = np.insert(vecs, pos, vecs[i] + rng.normal(scale=0.3, size=vecs.shape[1]), axis=0)
    return EmbeddingSpace(keys, vecs, name="glove-mix")


@pytest.mark.parametrize("restrict", [1200, 3005])
def test_matches_gensim(glove_mix, restrict):
    from gensim.models import KeyedVectors

    kv = KeyedVectors(glove_mix.dim)
    kv.add_vectors(list(glove_mix.keys), np.array(glove_mix.vectors))
    ev = evaluate(glove_mix, restrict_vocab=restrict)
    questions = str(data_path("questions-words.txt"))
    score, sections = kv.evaluate_word_analogies(questions, restrict_vocab=restrict)
    assert ev.analogy_overall == pytest.approx(score, abs=1e-12)
    for ours, theirs in zip(ev.analogy, sections[:-1], strict=True):
        assert ours.category == theirs["section"]
        right, wrong = len(theirs["correct"]), len(theirs["incorrect"])
        assert (ours.correct, ours.total) == (right, right + wrong)
    for ours, fname in ((ev.wordsim353, "wordsim353.tsv"), (ev.simlex999, "simlex999.txt")):
        pearson, spearman, oov = kv.evaluate_word_pairs(str(data_path(fname)), restrict_vocab=len(glove_mix))
        assert ours.spearman == pytest.approx(spearman.statistic, abs=1e-9)
        assert ours.pearson == pytest.approx(pearson.statistic, abs=1e-6)
        assert 100 * (1 - ours.coverage) == pytest.approx(oov)

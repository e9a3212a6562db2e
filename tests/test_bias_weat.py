"""WEAT: formula, permutation p-values, planted geometry, missing words, bundled tests, CLI."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from embedlab.bias import wordlists
from embedlab.bias.weat import effect_size, permutation_p_value, run_test, weat, weat_table
from embedlab.errors import EmptyInputError, InputTooLargeError, InvalidParameterError
from embedlab.space import EmbeddingSpace

DATA = Path(__file__).parent / "data" / "bias"


def _planted(n: int, shift: float, seed: int = 0, d: int = 12) -> EmbeddingSpace:
    """X leans to A, Y leans to B along e0 by ``shift``; A/B sit on either side of e0."""
    rng = np.random.default_rng(seed)
    e = np.eye(d)
    words: dict[str, np.ndarray] = {}
    for i in range(n):
        words[f"x{i}"] = e[2] + shift * e[0] + 0.3 * rng.normal(size=d)
        words[f"y{i}"] = e[2] - shift * e[0] + 0.3 * rng.normal(size=d)
        words[f"a{i}"] = e[1] + 0.5 * e[0] + 0.3 * rng.normal(size=d)
        words[f"b{i}"] = e[1] - 0.5 * e[0] + 0.3 * rng.normal(size=d)
    return EmbeddingSpace.from_dict(words, name="planted-weat")


def _lists(n: int) -> tuple[list[str], ...]:
    return tuple([f"{p}{i}" for i in range(n)] for p in "xyab")


def test_effect_size_is_the_papers_formula_with_sample_std():
    sp = _planted(8, 0.3, seed=3)
    X, Y, A, B = _lists(8)
    r = weat(sp, X, Y, A, B)
    n = sp.normed.astype(np.float64)

    def s(w):
        v = n[sp.index(w)]
        return np.mean([v @ n[sp.index(a)] for a in A]) - np.mean([v @ n[sp.index(b)] for b in B])

    sx, sy = np.array([s(w) for w in X]), np.array([s(w) for w in Y])
    expected = (sx.mean() - sy.mean()) / np.std(np.r_[sx, sy], ddof=1)
    assert r.effect_size == pytest.approx(expected, rel=1e-6)
    assert r.statistic == pytest.approx(sx.sum() - sy.sum(), rel=1e-6)
    assert r.associations["association"].to_numpy() == pytest.approx(np.r_[sx, sy], abs=1e-6)


def test_planted_bias_gives_expected_sign_and_small_p_exact_and_sampled():
    small = weat(_planted(8, 0.6), *_lists(8))
    assert small.exact and small.n_permutations == math.comb(16, 8)
    assert small.effect_size > 1.0 and small.p_value < 0.01
    big = weat(_planted(25, 0.6), *_lists(25))
    assert not big.exact and big.n_permutations == 10_000
    assert big.effect_size > 1.0 and big.p_value < 0.01
    X, Y, A, B = _lists(25)
    flipped = weat(_planted(25, 0.6), Y, X, A, B)
    assert flipped.effect_size == pytest.approx(-big.effect_size) and flipped.p_value > 0.99


def test_symmetric_space_gives_zero_effect_and_large_p():
    rng = np.random.default_rng(1)
    d = 10
    flip = np.ones(d)
    flip[5] = -1  # X and Y mirror each other along e5, which A and B ignore
    words = {}
    for i in range(8):
        v = rng.normal(size=d)
        words[f"x{i}"], words[f"y{i}"] = v, v * flip
        a = rng.normal(size=d)
        b = rng.normal(size=d)
        a[5] = b[5] = 0.0
        words[f"a{i}"], words[f"b{i}"] = a, b
    r = weat(EmbeddingSpace.from_dict(words), *_lists(8))
    assert abs(r.effect_size) < 1e-5
    assert r.p_value > 0.4


def test_p_values_stable_under_seed_and_sampled_agrees_with_exact():
    rng = np.random.default_rng(7)
    s_x, s_y = rng.normal(0.15, 1, 9), rng.normal(0, 1, 9)
    p1 = permutation_p_value(s_x, s_y, n_permutations=20_000, exact_limit=0, seed=5)
    p2 = permutation_p_value(s_x, s_y, n_permutations=20_000, exact_limit=0, seed=5)
    assert p1 == p2 and not p1[2]
    exact_p, n_exact, exact = permutation_p_value(s_x, s_y)
    assert exact and n_exact == math.comb(18, 9)
    assert p1[0] == pytest.approx(exact_p, abs=0.015)
    other = permutation_p_value(s_x, s_y, n_permutations=20_000, exact_limit=0, seed=6)[0]
    assert other == pytest.approx(p1[0], abs=0.015)


def test_missing_words_are_dropped_listed_and_warned():
    sp = _planted(8, 0.6)
    X, Y, A, B = _lists(8)
    r = weat(sp, X + ["nope1", "nope2", "nope3"], Y, A, B + ["zilch"])
    assert r.missing["X"] == ["nope1", "nope2", "nope3"] and r.missing["B"] == ["zilch"]
    assert any("3 of 11 words of X" in w for w in r.warnings)  # > 20% missing
    assert not any("of B" in w for w in r.warnings)  # 1 of 9 is under the threshold
    assert r.to_dict()["missing"]["X"] == ["nope1", "nope2", "nope3"]


def test_all_words_missing_is_a_clear_error():
    sp = _planted(8, 0.6)
    X, Y, A, B = _lists(8)
    with pytest.raises(EmptyInputError, match=r"list A .*zz1"):
        weat(sp, X, Y, ["zz1", "zz2"], B)


def test_unequal_targets_truncate_like_the_paper_or_keep():
    sp = _planted(8, 0.6)
    X, Y, A, B = _lists(8)
    t = weat(sp, X, Y[:5], A, B)
    assert len(t.used["X"]) == len(t.used["Y"]) == 5 and len(t.balanced["X"]) == 3
    assert t.to_dict()["unequal_handling"] == "truncate" and t.to_dict()["dropped_to_equalise"]["X"]
    assert weat(sp, X, Y[:5], A, B).used == t.used  # deterministic
    k = weat(sp, X, Y[:5], A, B, unequal="keep")
    assert len(k.used["X"]) == 8 and k.n_permutations == math.comb(13, 5) and k.effect_size > 0
    with pytest.raises(InvalidParameterError, match="unequal"):
        weat(sp, X, Y, A, B, unequal="sometimes")


def test_identical_targets_cannot_define_an_effect():
    with pytest.raises(InvalidParameterError, match="standard deviation"):
        effect_size(np.zeros(4), np.zeros(4))


def test_bundled_tests_carry_the_paper_and_words():
    tests = wordlists.weat_tests()
    assert [t.id for t in tests] == [f"weat{i}" for i in range(1, 11)]
    assert all(t.paper and t.paper["d"] > 0 and t.source for t in tests)
    t3 = wordlists.weat_test("3")
    X, Y, _, _ = t3.lists(follow_paper=True)
    assert len(X) == len(Y) == 32 and "Chip" not in X
    assert "failure" in wordlists.weat_test("weat10").B
    with pytest.raises(wordlists.UnknownTestError, match="weat1"):
        wordlists.weat_test("weat99")


def test_parse_words_bounds_and_comments():
    assert wordlists.parse_words("# header\na, b\nc;a\n\n") == ["a", "b", "c"]
    with pytest.raises(EmptyInputError):
        wordlists.parse_words("  \n# only a comment\n")
    with pytest.raises(InputTooLargeError):
        wordlists.parse_words("\n".join(f"w{i}" for i in range(wordlists.MAX_LIST_WORDS + 1)))


@pytest.fixture(scope="module")
def glove():
    from embedlab.registry import load

    return load("glove-50d")


@pytest.mark.slow
def test_all_ten_tests_replicate_the_published_sign_on_glove(glove):
    table = weat_table(glove)
    assert len(table) == 10
    assert table["same_sign"].all(), table[["test", "d", "paper_d"]]
    assert (table["p"] < 0.05).all()


def test_weat6_on_glove_is_exact_and_biased(glove):
    r = run_test(glove, "weat6")
    assert r.exact and r.n_permutations == 12_870
    assert r.effect_size > 1.0 and r.p_value < 0.01


def test_cli_weat_json_shape(glove, capsys):
    from embedlab.cli import main

    assert main(["weat", "glove-50d", "--test", "weat7", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"effect_size", "p_value", "n_permutations", "exact", "missing"} <= set(out)
    assert out["exact"] is True and out["effect_size"] > 0

    files = [str(DATA / f) for f in ("math.txt", "arts.txt", "male.txt", "female.txt")]
    assert main(["weat", "glove-50d", "--targets", *files[:2], "--attributes", *files[2:], "--json"]) == 0
    custom = json.loads(capsys.readouterr().out)
    assert custom["effect_size"] == pytest.approx(out["effect_size"], abs=1e-6)

    assert main(["weat", "--list", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 10


def test_cli_weat_bad_input_exits_2_with_a_sentence(glove, capsys):
    from embedlab.cli import main

    files = [str(DATA / f) for f in ("math.txt", "arts.txt", "nonsense.txt", "female.txt")]
    assert main(["weat", "glove-50d", "--targets", *files[:2], "--attributes", *files[2:]]) == 2
    err = capsys.readouterr().err
    assert "list A" in err and "zzqxv" in err and "Traceback" not in err
    assert main(["weat", "glove-50d", "--test", "nosuch"]) == 2
    assert "not a bundled WEAT test" in capsys.readouterr().err


def test_weat_table_reports_a_test_that_cannot_run_and_runs_the_others():
    sp = _planted(8, 0.6)
    X, Y, A, B = _lists(8)
    ok = wordlists.WeatTest("t1", "planted", ("X", "Y", "A", "B"), tuple(X), tuple(Y), tuple(A), tuple(B),
                            paper={"d": 1.0, "p": "1e-3"})
    bad = wordlists.WeatTest("t2", "unknown", ("X", "Y", "A", "B"), ("zz",), tuple(Y), tuple(A), tuple(B))
    seen = []
    table = weat_table(sp, [ok, bad], progress=lambda i, n, m: seen.append(m))
    assert table.loc[0, "same_sign"] and table.loc[0, "d"] > 1
    assert np.isnan(table.loc[1, "d"]) and "list X" in table.loc[1, "note"]
    assert table.loc[1, "same_sign"] is None
    assert seen == ["t1", "t2", "done"]

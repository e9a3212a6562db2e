"""Directions, DirectBias, hard debiasing and residual bias on planted spaces (plus one GloVe check)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from embedlab.bias import debias, directions, residual
from embedlab.errors import EmptyInputError
from embedlab.space import EmbeddingSpace

D = 16
E = np.eye(D)


def _gender_space(seed: int = 0, leak: float = 0.0, n: int = 40) -> EmbeddingSpace:
    """Gender on e0. Neutral words m*/f* lean male/female; with ``leak`` the lean also shows on e1."""
    rng = np.random.default_rng(seed)
    words: dict[str, np.ndarray] = {}
    for m, f in [("he", "she"), ("man", "woman"), ("king", "queen"), ("boy", "girl")]:
        base = rng.normal(size=D) * 0.5
        base[0] = 0
        words[m], words[f] = base + E[0], base - E[0]
    for i in range(n):
        for tag, sign in (("m", 1.0), ("f", -1.0)):
            v = rng.normal(size=D) * 0.4
            v[0] = sign * (0.3 + 0.3 * rng.random())
            v[1] = sign * leak
            words[f"{tag}{i}"] = v
    return EmbeddingSpace.from_dict(words, name="gendered")


PAIRS = [("he", "she"), ("man", "woman"), ("boy", "girl")]
SPECIFIC = ["he", "she", "man", "woman", "boy", "girl", "king", "queen"]


def test_pca_direction_recovers_the_planted_axis_and_reports_variance():
    sp = _gender_space()
    g = directions.direction_from_pairs(sp, PAIRS + [("nope", "nada")], positive="he", negative="she")
    assert abs(g.vector @ E[0]) > 0.999 and g.vector[0] > 0  # points towards the first words
    assert g.pc1_share == pytest.approx(1.0, abs=1e-6)
    assert g.missing == ("nope", "nada") and len(g.pairs) == 3
    assert g.label == "she → he"


def test_pair_and_list_directions():
    sp = _gender_space()
    assert directions.direction_from_pair(sp, "he", "she").vector[0] > 0.9
    lists = directions.direction_from_lists(sp, [f"m{i}" for i in range(40)], [f"f{i}" for i in range(40)])
    assert lists.vector[0] > 0.8 and lists.method == "means"


def test_identical_words_give_a_clear_zero_direction_error():
    sp = _gender_space()
    with pytest.raises(directions.ZeroDirectionError, match="'he' - 'he'.*zero vector"):
        directions.direction_from_pair(sp, "he", "he")
    with pytest.raises(directions.ZeroDirectionError, match="zero vector"):
        directions.direction_from_pairs(sp, [("he", "he"), ("she", "she")])
    with pytest.raises(EmptyInputError, match="None of the 1 pairs"):
        directions.direction_from_pairs(sp, [("nope", "nada")])


def test_projection_of_words_on_two_directions():
    sp = _gender_space()
    x = directions.direction_from_pair(sp, "he", "she")
    y = directions.direction_from_pair(sp, "king", "man")
    t = directions.project_words(sp, ["m0", "f0", "missingword"], x, y)
    assert list(t.frame["word"]) == ["m0", "f0"] and t.missing == ["missingword"]
    assert t.frame["x"].iloc[0] > 0 > t.frame["x"].iloc[1]
    assert t.frame["x"].dtype == np.float32 and "y" in t.frame


def test_axes_projection_of_the_map_gives_the_same_cosines():
    sp = _gender_space()
    x = directions.direction_from_pair(sp, "he", "she")
    y = directions.direction_from_pair(sp, "king", "man")
    words = [f"m{i}" for i in range(5)] + [f"f{i}" for i in range(5)]
    sub = sp.subset(words)
    coords = directions.to_axes_projection(x, y).fit(sub).embedding_
    t = directions.project_words(sp, words, x, y)
    np.testing.assert_allclose(coords[:, 0], t.frame["x"], atol=1e-5)
    np.testing.assert_allclose(coords[:, 1], t.frame["y"], atol=1e-5)


def test_hard_debias_zeroes_direct_bias_and_equalises_pairs():
    sp = _gender_space()
    g = directions.direction_from_pairs(sp, PAIRS)
    neutral = [f"m{i}" for i in range(40)] + [f"f{i}" for i in range(40)]
    before = debias.direct_bias(sp, g, neutral)
    res = debias.hard_debias(sp, g, gender_specific=SPECIFIC, equalize=[("king", "queen")])
    out = res.space
    assert out.name == "gendered-debiased" and out is not sp and len(out) == len(sp)
    assert before.value > 0.2
    assert debias.direct_bias(out, g, neutral).value < 1e-6
    n = out.normed
    for w in neutral[:10]:
        v = n[out.index(w)]
        assert v @ n[out.index("king")] == pytest.approx(v @ n[out.index("queen")], abs=1e-5)
    np.testing.assert_allclose(np.linalg.norm(out.vectors, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(out.vector("he"), sp.vector("he", normed=True), atol=1e-6)  # specific: kept
    assert ("king", "queen") in res.equalised and res.n_neutralised == len(sp) - len(SPECIFIC)
    assert sp.vectors[sp.index("m0"), 0] > 0.2  # the original space is untouched
    ba = debias.before_after(sp, out, g, ["m0", "f0"])
    assert ba["before"].abs().min() > 0.1 and ba["after"].abs().max() < 1e-5


def test_direct_bias_strictness_and_missing():
    sp = _gender_space()
    g = directions.direction_from_pair(sp, "he", "she")
    r0 = debias.direct_bias(sp, g, ["m0", "f0", "unknownword"], c=0)
    assert r0.value == pytest.approx(1.0) and r0.missing == ["unknownword"]
    with pytest.raises(EmptyInputError):
        debias.direct_bias(sp, g, ["unknownword"])


def test_residual_clustering_finds_a_leak_that_debiasing_leaves_behind():
    leaky = _gender_space(leak=0.8)
    g = directions.direction_from_pair(leaky, "he", "she")
    deb = debias.hard_debias(leaky, g, gender_specific=SPECIFIC, equalize=[]).space
    kw = {"n_per_side": 30, "restrict": len(leaky), "exclude": SPECIFIC}
    leak = residual.cluster_residual(leaky, deb, g, **kw)
    assert leak.accuracy > 0.9 and len(leak.frame) == 60
    assert set(leak.frame["lean"]) == {0, 1} and {"pc1", "pc2", "cluster"} <= set(leak.frame.columns)
    nb = residual.neighbour_bias(leaky, deb, g, k=10, **kw)
    assert nb.correlation > 0.5

    clean = _gender_space(leak=0.0, seed=2)
    g2 = directions.direction_from_pair(clean, "he", "she")
    deb2 = debias.hard_debias(clean, g2, gender_specific=SPECIFIC, equalize=[]).space
    assert residual.cluster_residual(clean, deb2, g2, **kw).accuracy < leak.accuracy
    with pytest.raises(EmptyInputError, match="per side"):
        residual.cluster_residual(clean, deb2, g2, n_per_side=500, restrict=len(clean), exclude=SPECIFIC)


def test_bundled_gender_lists_have_their_sources():
    from embedlab.bias import wordlists

    assert wordlists.definitional_pairs()[2] == ("he", "she")
    assert len(wordlists.equalize_pairs()) == 52 and "actress" in wordlists.gender_specific_words()
    neutral = wordlists.neutral_professions()
    assert "nurse" in neutral and "actress" not in neutral
    for f in ("weat_caliskan2017.json", "gender_bolukbasi2016.json"):
        meta = json.loads((wordlists.data_dir() / f).read_text())
        assert meta["source"] and meta["licence"]


@pytest.mark.slow
def test_glove_debias_and_cli(capsys):
    from embedlab.bias.directions import gender_direction
    from embedlab.cli import main
    from embedlab.registry import load

    glove = load("glove-50d")
    small = glove.head(20_000, name="glove-20k")
    from embedlab import workspace

    workspace.save(small, "glove-20k")
    assert main(["bias", "direct", "glove-20k", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["direct_bias"] > 0.1 and out["pc1_share"] > 0.3
    assert main(["bias", "debias", "glove-20k", "--out", "glove-20k-deb", "--json"]) == 0
    saved = json.loads(capsys.readouterr().out)
    assert saved["direct_bias_after"] < 1e-4 < saved["direct_bias_before"]
    deb = workspace.load("glove-20k-deb")
    g = gender_direction(small)
    acc = residual.cluster_residual(small, deb, n_per_side=200, restrict=20_000).accuracy
    assert acc > 0.7  # Gonen & Goldberg: the lean survives debiasing
    assert debias.direct_bias(deb, g).value < 1e-4


@pytest.mark.slow
def test_debias_gender_is_the_one_chain_the_page_and_cli_share():
    from embedlab.registry import load

    small = load("glove-50d").head(20_000, name="glove-20k")
    seen: list[tuple[float, str]] = []
    d = debias.debias_gender(small, progress=lambda done, total, msg: seen.append((done / total, msg)))
    g = directions.gender_direction(small)
    np.testing.assert_allclose(d.direction.vector, g.vector, atol=1e-6)
    assert d.before.value == pytest.approx(debias.direct_bias(small, g).value)
    assert d.after.value < 1e-4 < d.before.value
    assert d.result.space.name == "glove-20k-debiased" and d.result.n_neutralised > 19_000
    assert [f for f, _ in seen] == sorted(f for f, _ in seen) and seen[-1][0] == 1.0

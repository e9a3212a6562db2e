"""Word translation between spaces: a planted rotation recovered, CSLS against a planted hub, refinement,
no-dictionary seeding, dimension mismatch, and the mundane parts (case, accents, ligatures, phrases,
duplicates, several translations, missing words)."""

from __future__ import annotations

import numpy as np
import pytest

from embedlab.compare.bilingual import translation_report
from embedlab.compare.csls import knn_mean, mutual_nearest, nearest
from embedlab.compare.matching import fold, match_pairs
from embedlab.compare.translation import WordTranslator
from embedlab.errors import EmptyInputError, UnknownKeyError
from embedlab.linalg import normalize_rows
from embedlab.space import EmbeddingSpace


def bilingual(n: int = 300, d: int = 16, noise: float = 0.1, seed: int = 0, shared: int = 0,
              target_dim: int | None = None):
    """A source space ``s0 …`` and a target space ``t0 …`` whose vectors are the source's rotated plus
    noise (``t_i`` translates ``s_i``); the first ``shared`` words are the same string on both sides
    (numerals). With ``target_dim`` the target keeps only that many coordinates of the rotated vectors."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d))
    q, _ = np.linalg.qr(rng.normal(size=(d, d)))
    y = x @ q + noise * rng.normal(size=(n, d))
    if target_dim:
        y = y[:, :target_dim]
    src = [str(1000 + i) if i < shared else f"s{i}" for i in range(n)]
    tgt = [str(1000 + i) if i < shared else f"t{i}" for i in range(n)]
    a = EmbeddingSpace(src, x, name="src", info={"language": "aa"})
    b = EmbeddingSpace(tgt, y, name="tgt", info={"language": "bb"})
    return a, b, q, list(zip(src, tgt, strict=True))


def test_a_planted_rotation_plus_noise_is_recovered():
    a, b, q, pairs = bilingual()
    tr = WordTranslator().fit(a, b, pairs[:200])
    p = tr.precision(pairs[200:], csls=False)
    assert p["p_at_1"] >= 0.97 and p["n_eval"] == 100
    # centring both sides leaves the rotation: the fitted map is q
    assert np.abs(tr.map_.W_ - q).max() < 0.1
    assert tr.translate("s250", 1)[0][0] == "t250"


def test_csls_beats_the_nearest_neighbour_on_a_planted_hub():
    rng = np.random.default_rng(3)
    d, n, near = 50, 200, 60
    hub = normalize_rows(rng.normal(size=d))
    queries = normalize_rows(rng.normal(size=(n, d)))
    queries[:near] = normalize_rows(hub + 0.5 * rng.normal(size=(near, d)) / np.sqrt(d))  # around the hub
    targets = normalize_rows(queries + 0.6 * rng.normal(size=(n, d)) / np.sqrt(d))  # query i's translation
    base = np.vstack([targets, hub])  # row n: the hub
    plain = nearest(queries, base, 1)[0][:, 0]
    scaled = nearest(queries, base, 1, knn_mean(queries, base), knn_mean(base, queries))[0][:, 0]
    right = np.arange(n)
    assert (plain[:near] == n).mean() > 0.6  # the hub is the nearest neighbour of most words around it
    assert (scaled[:near] == n).mean() < 0.1
    assert (scaled == right).mean() > 0.95 > 0.8 > (plain == right).mean()


def test_mutual_nearest_neighbours_match_a_brute_force_csls():
    rng = np.random.default_rng(1)
    a, b = normalize_rows(rng.normal(size=(120, 8))), normalize_rows(rng.normal(size=(90, 8)))
    ra = np.sort(a @ b.T, axis=1)[:, -10:].mean(1)
    rb = np.sort(b @ a.T, axis=1)[:, -10:].mean(1)
    c = 2 * a @ b.T - ra[:, None] - rb[None, :]
    fwd, back = c.argmax(1), c.argmax(0)
    i = np.flatnonzero(back[fwd] == np.arange(120))
    np.testing.assert_array_equal(mutual_nearest(a, b, batch=32), np.stack([i, fwd[i]], axis=1))


def test_refinement_and_the_no_dictionary_mode_learn_from_identical_strings():
    a, b, _, pairs = bilingual(n=400, d=12, noise=0.05, shared=25)
    held = pairs[300:]
    _, none = translation_report(a, b, None, held, no_dictionary=True, refine=0, csls=True)
    _, refined = translation_report(a, b, None, held, no_dictionary=True, refine=3, csls=True)
    assert none["dictionary"] == "identical" and none["n_train"] == 25
    assert refined["p_at_1"] >= 0.95 and refined["rounds"][-1]["induced"] > 200
    assert refined["p_at_1"] >= none["p_at_1"]


def test_eval_words_leave_the_training_dictionary():
    a, b, _, pairs = bilingual()
    held = [("s5", "t5"), ("s5", "t6"), ("S7", "t7")]  # one word with two translations, one in other case
    _, rep = translation_report(a, b, pairs, held)
    assert rep["n_eval"] == 2 and rep["n_train"] == 298 and rep["p_at_1"] == 1.0  # s5 right on t5
    assert set(rep) >= {"p_at_1", "p_at_5", "n_eval", "n_train", "rounds", "notes", "meaning"}


def test_several_translations_count_once_and_any_of_them_is_right():
    a, b, _, pairs = bilingual()
    tr = WordTranslator().fit(a, b, pairs[:200])
    p = tr.precision([("s210", "t3"), ("s210", "t210"), ("s211", "t4")], details=True)
    assert p["n_eval"] == 2 and p["p_at_1"] == 0.5
    first = p["words"][0]
    assert first["source"] == "s210" and first["right_at"] == 1 and first["translations"] == ["t210", "t3"]


def test_dimension_mismatch_reduces_the_larger_side_by_pca_and_says_so():
    a, b, _, pairs = bilingual(d=16, target_dim=10, noise=0.01)
    tr, rep = translation_report(a, b, pairs)
    assert rep["dim"] == 10 and tr.source_.dim == tr.target_.dim == 10
    assert any("src was reduced from 16 to 10 dimensions by PCA" in n for n in rep["notes"])


def test_case_accents_ligatures_phrases_and_duplicates_are_matched_to_keys():
    en = EmbeddingSpace(["ox", "New_York", "paris", "cat"], np.eye(4), name="en")
    fr = EmbeddingSpace(["bœuf", "été", "Paris", "New-York", "l’été", "chat"], np.eye(6), name="fr")
    given = [("ox", "boeuf"), ("Ox", "BŒUF"), ("New York", "New\u2010York"), ("Paris", "paris"),
             ("cat", "peau de vache"), ("cat", "chat"), ("cat", "chat"), ("summer", "ete"), ("cat", "l'été")]
    m = match_pairs(given, en, fr)
    assert m.pairs == [("ox", "bœuf"), ("New_York", "New-York"), ("paris", "Paris"), ("cat", "chat"),
                       ("cat", "l’été")]
    assert (m.duplicates, m.multiword, m.missing_source) == (2, 1, 1)
    assert "'summer' is not in en" in m.message() and "multi-word entry that is not a key" in m.message()
    assert fold("Bœuf") == fold("BOEUF") == "boeuf" and fold("l’Été") == "l'ete"


def test_a_word_missing_from_one_side_gets_a_message():
    a, b, _, pairs = bilingual()
    given = [("nowhere", "t1"), ("s1", "elsewhere"), *pairs[:100]]
    tr, rep = translation_report(a, b, given)
    assert "'nowhere' → 't1' ('nowhere' is not in src)" in rep["notes"][-1]
    assert "'s1' → 'elsewhere' ('elsewhere' is not in tgt)" in rep["notes"][-1]
    with pytest.raises(UnknownKeyError, match="nowhere"):
        tr.translate("nowhere")
    with pytest.raises(EmptyInputError, match="None of the 2 seed pairs has its source word in src"):
        translation_report(a, b, given[:2])


def test_an_expression_is_mapped_across():
    a, b, q, pairs = bilingual(noise=0.01)
    x = a.normed.copy()
    x[3] = x[0] - x[1] + x[2]  # a planted analogy: s0 - s1 + s2 = s3, and t3 translates s3
    a = EmbeddingSpace(a.keys, x, name="src", info=a.info)
    b = EmbeddingSpace(b.keys, x @ q, name="tgt", info=b.info)
    tr = WordTranslator().fit(a, b, pairs[10:])
    assert tr.translate_expression("s7")[0][0] == "t7"
    assert tr.translate_expression("s0 - s1 + s2", topn=3)[0][0] == "t3"

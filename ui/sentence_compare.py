"""The Sentence lab's "Compare encoders" tab: bag-of-vectors, the four small encoders and MiniLM on the same
inputs (:func:`embedlab.textnets.compare.compare_encoders`), one table and one chart.

The comparison takes minutes (a learning curve per encoder, sense sets for the contextual ones): it is
computed once per server (:func:`ui.server_store.compute_once`, keyed by the encoders and the repeats) behind
a button, with a progress bar, and every session then reads the same result; the page's state remembers
which comparison this session asked for (its ``compared`` attribute).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from embedlab.textnets.compare import COMPARED, LABELS, PARAPHRASES, ROLE_SWAPS
from ui import downloads
from ui.common import user_errors
from ui.progress import progress_bar
from ui.server_store import compute_once
from ui.small_encoders import small_note

TAB = "Compare"  # the Sentence lab's tab (?tab=Compare), linked from the Lessons
LABEL = "Compare encoders"
STORE = "sentence-compare"
REPEATS = 3  # seeded splits per learning-curve point (the benchmark uses 5)
COLUMNS = {"label": "encoder", "word_order": "dog/man cosine", "role_swaps": "role swaps cosine",
           "paraphrase": "paraphrase cosine", "unrelated": "unrelated cosine", "gap": "gap",
           "accuracy_10": "accuracy @10/class", "accuracy_all": "accuracy, all",
           "sentences_per_s": "sentences/s",
           "training_minutes": "training (min)", "parameters": "parameters", "size_mb": "size (MB)",
           "about": "about"}


def computed(encoders: tuple[str, ...], repeats: int):
    """The comparison of ``encoders``, once per server; a progress bar while this session computes it."""
    from embedlab.textnets.compare import compare_encoders

    def compute():
        bar, report = progress_bar("Comparing the encoders (once per server)…")
        try:
            return compare_encoders(encoders, repeats=repeats, progress=report)
        finally:
            bar.empty()

    return compute_once(STORE, (encoders, repeats), compute, max_entries=4)


def table(result):
    """The comparison's table with readable column names and ELMo's/MiniLM's mean ARI per layer."""
    df = result.table()
    df["ari_by_layer"] = [" · ".join(f"{k} {v:.2f}" for k, v in (r.sense_ari or {}).items())
                          for r in result.rows]
    cols = {**COLUMNS, "ari_by_layer": "sense ARI by layer (mean)"}
    return df[list(cols)].rename(columns=cols)


def explain() -> None:
    st.markdown(
        "The same inputs through every encoder: **word order** (cosine of “dog bites man” and “man bites "
        f"dog”, and the mean over {len(ROLE_SWAPS)} role-swapped pairs: 1.0 = cannot tell them apart), "
        f"**paraphrases** ({len(PARAPHRASES)} pairs) against unrelated pairs made of the same sentences (the "
        "gap between their mean cosines), and **classification** of the bundled pang-lee sentences "
        "(logistic regression, 10 examples per class and all of them). Watch DAN ignore word order while "
        "the recurrent models do not, and where a transformer trained on a billion pairs stands.")


def render_compare(state: Any) -> None:
    """The tab: what it measures, a button, then the table and the chart (each downloadable).

    ``state`` is the page's state: its ``compared`` attribute keeps the comparison this session asked for,
    so the result stays shown across reruns."""
    from embedlab.plots.encoders import comparison_figure

    explain()
    picked = st.multiselect("Encoders", list(COMPARED), default=list(COMPARED), key="sl_cmp_encoders",
                            persist_state="page", format_func=lambda e: LABELS.get(e, e))
    small_note(picked)
    if not picked:
        st.info("Pick at least one encoder.")
        return
    key = (tuple(e for e in COMPARED if e in picked), REPEATS)
    if not st.button("Compare the encoders (a few minutes the first time on this server, then instant)",
                     key="sl_cmp_run") and state.compared != key:
        return
    with user_errors():
        result = computed(*key)
        state.compared = key
        downloads.dataframe(table(result), "sentence-encoders-compared", key="sl_cmp_table", hide_index=True)
        fig = comparison_figure([r.as_dict() for r in result.rows])
        downloads.chart(fig, "sentence-encoders-compared", key="sl_cmp_chart")
        st.caption(f"Accuracy: mean of {REPEATS} seeded splits of {result.data}. Encode speed is this "
                   "server's. ELMo's and MiniLM's ARI: how well a 2-cluster k-means of the ambiguous word's "
                   "vectors at each layer matches its senses on the bundled sense sets (the Polysemy "
                   "explorer shows one word at a time).")

"""Compare spaces: align two spaces and list what moved, slices and trajectories, static vs dynamic
training, and a linear map from one space into another."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import streamlit as st

from embedlab.jobs import LocalContext
from embedlab.space import EmbeddingSpace
from embedlab.strings import split_list
from ui import downloads, presenter, translate_tab
from ui.common import get_space, space_choices, space_picker, user_errors
from ui.progress import progress_bar
from ui.share import bind, tabs
from ui.state import app_state, page_state, set_widget, widget_value

TABS = {"Moved": "↔️ What moved", "Slices": "🕰️ Slices & trajectories", "Dynamic": "🌱 Static vs dynamic",
        "Map": "🧭 Map A → B"}
SLICE_SOURCES = {"bundled": "Bundled demo: dictionary vs encyclopedia + news",
                 "table": "A table with a period column (CSV/TSV: year,text)",
                 "files": "Several text files (one slice each)"}
NEW_TEXT = {"bundled": "Bundled encyclopedia + news slice", "upload": "Upload .txt files"}


@dataclass
class ComparePage:
    """Results kept between reruns: the last comparison, slices and continued run (the Map tab's fits
    are kept per server: ``ui.translation``)."""

    moved: dict[str, Any] = field(default_factory=dict)  # key -> ShiftReport
    slices: list[EmbeddingSpace] = field(default_factory=list)
    dynamic: tuple[str, str, Any] | None = None  # (base name, continued name, ShiftReport)
    fit_asked: bool = False  # the Map tab's demo button asked for a fit of its settings


def _save_widget(make_space, default: str, key: str) -> None:
    """A name box and a Save button; ``make_space()`` builds the space only when the button is pressed."""
    from embedlab import workspace

    c1, c2 = st.columns([3, 1])
    name = c1.text_input("Save as", default, key=f"{key}_name", persist_state="page")
    if c2.button("💾 Save", key=f"{key}_save"):
        with user_errors():
            path = workspace.save(make_space().renamed(name), name)
            st.success("Saved to the workspace:")
            st.code(str(path), language=None)


def _pick_two(key: str, default_a: str, default_b: str, share: bool = False
              ) -> tuple[EmbeddingSpace, EmbeddingSpace]:
    """Two space pickers; with ``share`` they follow the URL's ``a`` and ``b`` (unknown names: a message)."""
    names = space_choices()
    defaults = (default_a if default_a in names else names[0],
                default_b if default_b in names else names[min(1, len(names) - 1)])
    for param, default in zip("ab", defaults, strict=True):
        if share:
            bind(param, f"{key}_{param}", default=default, options=names)
        elif widget_value(f"{key}_{param}") not in names:
            set_widget(f"{key}_{param}", default)
    c1, c2 = st.columns(2)
    a = c1.selectbox("Space A", names, key=f"{key}_a", persist_state="page")
    b = c2.selectbox("Space B (reference)", names, key=f"{key}_b", persist_state="page")
    return get_space(a), get_space(b)


def _shared_pair() -> tuple[EmbeddingSpace, EmbeddingSpace]:
    """Spaces A and B of What moved and of Map A → B: one pair of pickers (``cmp_a``, ``cmp_b``) bound to
    ``?a=`` and ``?b=``, so a tab switch keeps them (and is not taken for a link that names them)."""
    current = app_state().space_name  # the space the user explores elsewhere in the app is A by default
    return _pick_two("cmp", current, "word2vec-gnews-bolukbasi" if current != "word2vec-gnews-bolukbasi"
                     else "glove-50d", share=True)


HEADERS = {"key": "word", "distance": "distance", "cosine_distance": "cosine distance",
           "knn_overlap": "k-NN overlap", "count_a": "count in A", "count_b": "count in B",
           "neighbours_a": "neighbours in A", "neighbours_b": "neighbours in B"}


def _neighbour_table(table: pd.DataFrame) -> pd.DataFrame:
    """The most-moved table for people: neighbours as text, readable headers, no duplicate column."""
    df = table.copy()
    for col in ("neighbours_a", "neighbours_b"):
        df[col] = df[col].map(", ".join)
    if (df["distance"] == df["cosine_distance"]).all():
        df = df.drop(columns="cosine_distance")
    return df.rename(columns=HEADERS)


# --------------------------------------------------------------------------------------------- moved
def _words_listed(text: str) -> int:
    """The URL's ``top``: a whole number from 5 to 200 (anything else raises ValueError: refused)."""
    value = int(text)
    if not 5 <= value <= 200:
        raise ValueError(text)
    return value


def _frequency_inputs(a: EmbeddingSpace, b: EmbeddingSpace, cols) -> tuple[int | None, int | None]:
    have = set(a.meta_columns) | set(b.meta_columns)
    min_count = max_rank = None
    if "count" in have:
        min_count = int(cols[0].number_input("Leave out words seen fewer than", 1, 10**7, 20,
                                             key="cmp_min_count", persist_state="page"))
    if "rank" in have:
        max_rank = int(cols[1].number_input("Leave out words ranked below", 10, 10**7, 20_000,
                                            key="cmp_max_rank", persist_state="page"))
    if not have & {"count", "rank"}:
        cols[0].caption("Neither space has word counts or ranks, so rare words cannot be filtered out.")
    return min_count, max_rank


def moved_tab(state: ComparePage) -> None:
    from embedlab.compare import MEASURES, most_moved

    st.caption("Space A is rotated onto B (orthogonal Procrustes on the words they share); words whose "
               "vectors still point elsewhere moved. Rare words are noisy: filter them out.")
    a, b = _shared_pair()
    c1, c2 = st.columns([2, 1])
    bind("measure", "cmp_measure", default=next(iter(MEASURES)), options=MEASURES, short=True)
    measure = c1.radio("Rank by", list(MEASURES), format_func=MEASURES.get, key="cmp_measure",
                       persist_state="page")
    bind("top", "cmp_top", default=20, parse=_words_listed, short=True)
    top = c2.number_input("Words listed", 5, 200, key="cmp_top", persist_state="page")
    with presenter.extras("Filters and anchor words"):
        min_count, max_rank = _frequency_inputs(a, b, st.columns(2))
        anchors = st.text_input("Anchor words (optional, comma-separated: fit the rotation on these only)",
                                "", key="cmp_anchors", persist_state="page")
    anchor_list = split_list(anchors) or None
    key = (a.name, a.fingerprint, b.name, b.fingerprint, measure, top, min_count, max_rank, anchors)
    if st.button("Align and compare", type="primary", key="cmp_go"):
        bar, update = progress_bar("Aligning…")
        state.moved = {key: most_moved(a, b, top=top, min_count=min_count, max_rank=max_rank, measure=measure,
                                       anchors=anchor_list, progress=update)}
        bar.empty()
    report = state.moved.get(key)
    if report is None:
        st.info("Choose two spaces and press **Align and compare**.")
        return
    show_report(report, a, b)


def show_report(report, a: EmbeddingSpace, b: EmbeddingSpace) -> None:
    """Metrics, the most-moved table, the cosine histogram and the traced words."""
    from embedlab.compare import trace_points
    from embedlab.plots.compare import shift_histogram, trace_figure

    al = report.alignment
    c1, c2, c3 = st.columns(3)
    c1.metric("Shared words", f"{len(al.shared):,}")
    c2.metric("Mean cosine after alignment", f"{al.mean_cosine:.3f}")
    c3.metric("Words passing the filter", f"{report.candidates:,}")
    if al.note:
        st.text(al.note)
    table = _neighbour_table(report.table)
    downloads.dataframe(table, f"most-moved-{a.name}-{b.name}", key="cmp", hide_index=True)
    marked = dict(zip(report.table["key"][:3], 1 - report.table["cosine_distance"][:3], strict=True))
    downloads.chart(shift_histogram(al.cosines, marked, title="How far each shared word moved"),
                    f"shift-{a.name}-{b.name}", key="cmp_hist")
    options = list(dict.fromkeys([*report.table["key"], *al.shared[:2000]]))
    words = st.multiselect("Trace words from A to B", options, default=list(report.table["key"][:3]),
                           key="cmp_trace", persist_state="page", max_selections=8)
    if words:
        st.text(f"A = {a.name}, B = {b.name}; grey: each word's nearest neighbours in that space")
        pts = trace_points([al.space, b], ["A", "B"], words, k=3)
        downloads.chart(trace_figure(pts), f"traced-{a.name}-{b.name}", key="cmp_trace_fig")
    downloads.space(al.space, key="cmp_aligned_dl", label="⬇ Download aligned A")
    _save_widget(lambda: al.space, f"{a.name}-aligned"[:80].replace(" ", "-"), "cmp_aligned")


# -------------------------------------------------------------------------------------------- slices
def _slice_corpora(source: str, every: int, min_count: int):
    from embedlab.compare import bundled_slices, slices_from_files, slices_from_table
    from embedlab.train.corpus import TokenOptions

    opts = TokenOptions(min_count=min_count)
    if source == "bundled":
        return bundled_slices(opts, every)
    if source == "table":
        up = st.file_uploader("Table (CSV/TSV with a header: year,text)", type=["csv", "tsv"], key="sl_table")
        return slices_from_table(up.name, up.getvalue(), opts) if up else None
    ups = st.file_uploader("Text files, in time order", type=["txt"], accept_multiple_files=True,
                           key="sl_files")
    return slices_from_files([(u.name, u.getvalue()) for u in ups], opts) if ups else None


def slices_tab(state: ComparePage) -> None:
    from embedlab.compare import trace_points, train_slices, trajectory
    from embedlab.plots.compare import trace_figure
    from embedlab.train.live import make_params

    st.caption("One word2vec space per slice of text, each rotated onto the previous one (Hamilton et al. "
               "2016); follow a word across them.")
    source = st.radio("Slices from", list(SLICE_SOURCES), format_func=SLICE_SOURCES.get, key="sl_source",
                      persist_state="page")
    c1, c2, c3, c4 = st.columns(4)
    every = c1.number_input("Use every n-th line (demo)", 1, 50, 3, key="sl_every", persist_state="page",
                            disabled=source != "bundled")
    dim = c2.number_input("Dimensions", 10, 300, 50, key="sl_dim", persist_state="page")
    epochs = c3.number_input("Epochs", 1, 20, 5, key="sl_epochs", persist_state="page")
    min_count = int(c4.number_input("Min count", 1, 100, 5, key="sl_min_count", persist_state="page"))
    corpora = _slice_corpora(source, int(every), min_count)
    if corpora and st.button("Train one space per slice", type="primary", key="sl_go"):
        params = make_params("skipgram", dim=int(dim), epochs=int(epochs), min_count=min_count)
        bar, update = progress_bar("Training slices…")
        state.slices = train_slices(corpora, params, update, prefix="slice")
        bar.empty()
    if not state.slices:
        return
    downloads.dataframe(pd.DataFrame([{"slice": s.info.get("slice"), "space": s.name, "words": len(s),
                                       "mean cosine to previous": (s.info.get("alignment") or {}).get(
                                           "mean_cosine")} for s in state.slices]),
                        "slices", key="sl_table", hide_index=True)
    text = st.text_input("Words to follow (comma-separated)", "state, cup, press", key="sl_words",
                         persist_state="page")
    words = split_list(text)
    for w in words[:4]:
        if any(w in s for s in state.slices):
            st.text(w)
            traj = trajectory(state.slices, w).rename(columns={"cos_previous": "cosine to previous slice",
                                                                "cos_first": "cosine to first slice"})
            downloads.dataframe(traj, f"trajectory-{w}", key=f"sl_traj_{w}", hide_index=True)
    if words:
        labels = [str(s.info.get("slice", s.name)) for s in state.slices]
        fig = trace_figure(trace_points(state.slices, labels, words[:6], k=3))
        downloads.chart(fig, "slice-trajectories", key="sl_trace_fig")
    if st.button("💾 Save every slice's space", key="sl_save"):
        from embedlab import workspace

        for s in state.slices:
            workspace.save(s)
        st.success(f"Saved {len(state.slices)} spaces (named slice-…).")


# ------------------------------------------------------------------------------------------- dynamic
def _trainable() -> list[str]:
    from embedlab import workspace
    from embedlab.train.continued import has_state

    return [n for n in workspace.list_names() if has_state(n)]


def _quick_base(update) -> None:
    from embedlab.compare.slices import bundled_slice
    from embedlab.train.live import make_params, run

    params = make_params("skipgram", dim=50, epochs=3)
    run(LocalContext(update), bundled_slice("dictionary", every=5), params, name="dictionary-sg",
        evaluate=False)


def dynamic_tab(state: ComparePage) -> None:
    from embedlab.compare import most_moved
    from embedlab.compare.slices import bundled_slice
    from embedlab.train.continued import continue_params, load_state
    from embedlab.train.corpus import prepare, read_uploads
    from embedlab.train.live import run

    st.caption("Static embeddings stop learning when training ends. Here a trained word2vec space keeps "
               "training on new text (new words join), in the same coordinates: only words the new text "
               "uses can move.")
    bases = _trainable()
    if not bases:
        st.info("No saved word2vec space can be trained further yet.")
        if st.button("Train a quick base on the dictionary slice (~1 min)", key="dyn_base"):
            bar, update = progress_bar("Training the base space…")
            _quick_base(update)
            bar.empty()
            st.rerun()
        return
    base_name = st.selectbox("Base space (trained here with word2vec)", bases, key="dyn_base_name",
                             persist_state="page")
    source = st.radio("New text", list(NEW_TEXT), format_func=NEW_TEXT.get, horizontal=True, key="dyn_src",
                      persist_state="page")
    files = st.file_uploader("Text files", type=["txt"], accept_multiple_files=True, key="dyn_files") \
        if source == "upload" else None
    c1, c2, c3 = st.columns([1, 1, 2])
    every = c1.number_input("Use every n-th line", 1, 50, 3, key="dyn_every", persist_state="page",
                            disabled=source != "bundled")
    epochs = c2.number_input("Epochs on the new text", 1, 20, 3, key="dyn_epochs", persist_state="page")
    out = c3.text_input("Save the result as", f"{base_name}-continued"[:80], key=f"dyn_out_{base_name}",
                        persist_state="page")
    if st.button("Continue training", type="primary", key="dyn_go"):
        base = get_space(base_name)
        corpus = bundled_slice("encyclopedia-news", every=int(every)) if source == "bundled" else \
            prepare(read_uploads([(f.name, f.getvalue()) for f in files or []]))
        params = continue_params(load_state(base), epochs=int(epochs))
        bar, update = progress_bar("Continuing training…")
        run(LocalContext(update), corpus, params, name=out, evaluate=False, continue_from=base)
        update(1, 1, "Comparing before and after…")
        state.dynamic = (base_name, out, most_moved(base, get_space(out), top=15, min_count=20))
        bar.empty()
    if not state.dynamic:
        return
    before, after, report = get_space(state.dynamic[0]), get_space(state.dynamic[1]), state.dynamic[2]
    st.text(f"{before.name}: {len(before):,} words → {after.name}: {len(after):,} words "
            f"({after.info.get('new_words', len(after) - len(before)):,} new)")
    downloads.dataframe(_neighbour_table(report.table), f"moved-{after.name}", key="dyn_moved",
                        hide_index=True)
    c1, c2 = st.columns(2)
    c1.markdown("**Words the new text never uses stayed put** (cosine between their old and new vectors):")
    with c1:
        downloads.dataframe(_untouched(before, after), f"untouched-{after.name}", key="dyn_untouched",
                            hide_index=True)
    word = c2.text_input("Look at one word", str(report.table["key"].iloc[0]), key="dyn_word",
                         persist_state="page")
    if word.strip():
        w = before.resolve(word.strip())
        with c2:
            downloads.dataframe(pd.DataFrame({"before": [n for n, _ in before.most_similar([w], topn=8)],
                                              "after": [n for n, _ in after.most_similar([w], topn=8)]}),
                                f"neighbours-before-after-{w}", key="dyn_word_table", hide_index=True)
        cos = float(before.vector(w, True) @ after.vector(w, True))
        c2.text(f"cosine between its old and new vector: {cos:.3f}")


def _untouched(before: EmbeddingSpace, after: EmbeddingSpace, n: int = 8) -> pd.DataFrame:
    import numpy as np

    rows_after = after.indices(before.keys)
    new_counts = after.meta_column("count")[rows_after] - before.meta_column("count")
    rows = np.flatnonzero(new_counts == 0)[:n]
    return pd.DataFrame({"word": [before.keys[i] for i in rows],
                         "cosine old → new": [round(float(before.normed[i] @ after.normed[rows_after[i]]), 6)
                                              for i in rows]})


# ----------------------------------------------------------------------------------------------- map
def map_tab(state: ComparePage) -> None:
    st.caption("Learn a map from A into B (and one back) from a bilingual dictionary, on normalised, centred "
               "vectors (orthogonal Procrustes: Mikolov et al. 2013, Smith et al. 2017; CSLS and refinement: "
               "Conneau et al. 2018), then translate words both ways and measure precision on words it "
               "never saw paired.")
    translate_tab.demo_button(state)
    a, b = _shared_pair()
    fit = translate_tab.fit_control(state, a, b)
    if fit is not None:
        translate_tab.show(fit, a, b, save=lambda: _save_widget(
            fit.forward.translator.transform, f"{a.name}-mapped"[:80].replace(" ", "-"), "map_saved"))


def main() -> None:
    st.title("↔️ Compare spaces")
    space_picker()  # the app's space: ?space= works here too, and it is Space A's default
    state = page_state(ComparePage)
    name, tab = tabs(TABS, key="cmp_tab")
    panel = {"Moved": moved_tab, "Slices": slices_tab, "Dynamic": dynamic_tab, "Map": map_tab}[name]
    with tab, user_errors():
        panel(state)  # only the open tab runs: Static vs dynamic scans the saved spaces only when it is open


main()

"""Bias lab: directions, WEAT, DirectBias, hard debiasing and its limits (Lipstick on a Pig)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from embedlab.bias import debias, directions, residual, weat, wordlists
from embedlab.errors import EmbedlabError
from embedlab.plots import bias as plots
from embedlab.space import EmbeddingSpace
from embedlab.strings import split_list
from embedlab.uploads import decode_text
from ui import downloads
from ui.common import add_session_space, space_picker, user_errors
from ui.literal import md_literal
from ui.progress import progress_bar
from ui.share import bind, tabs
from ui.state import page_state, widget_value

OCCUPATIONS = ("homemaker, nurse, receptionist, librarian, socialite, hairdresser, nanny, bookkeeper, "
               "stylist, housekeeper, maestro, skipper, protege, philosopher, captain, architect, financier, "
               "warrior, broadcaster, magician, teacher, doctor, engineer, programmer, scientist, lawyer, "
               "dancer, singer, manager, secretary, pilot, chef, surgeon, carpenter, plumber, mechanic")
CUSTOM = "custom"
DIRECTION_SOURCES = {"pairs": "Definitional pairs (PCA)", "pair": "One pair", "lists": "Two word lists"}
UNEQUAL_LISTS = {"truncate": "truncate", "keep": "keep"}
TABS = {"Directions": "Directions", "WEAT": "WEAT", "Debias": "Debias", "Residual": "Lipstick on a pig"}


@dataclass
class BiasPage:
    """Debiased copies (by source space name) and residual-bias results computed in this session."""

    debiased: dict[str, debias.GenderDebias] = field(default_factory=dict)
    residual: dict[str, Any] = field(default_factory=dict)
    weat_tables: dict[str, Any] = field(default_factory=dict)


def _key(space: EmbeddingSpace) -> tuple[str, int, str]:
    return space.name, len(space), space.fingerprint


@st.cache_data(show_spinner="Running WEAT…", max_entries=64)
def _cached_weat(_space: EmbeddingSpace, key: tuple, lists: tuple, names: tuple, n_perm: int, seed: int,
                 unequal: str) -> weat.WeatResult:
    return weat.weat(_space, *lists, names=names, n_permutations=n_perm, seed=seed, unequal=unequal)


def _pairs(text: str) -> list[tuple[str, str]]:
    pairs = []
    for line in text.splitlines():
        parts = split_list(line.replace(";", ","))
        if not parts:
            continue
        if len(parts) != 2:
            raise EmbedlabError(f"'{line}' is not a pair: write two words and a comma, e.g. 'he, she'.")
        pairs.append((parts[0], parts[1]))
    if not pairs:
        raise EmbedlabError("Type at least one pair, one per line, e.g. 'he, she'.")
    return pairs


def direction_inputs(space: EmbeddingSpace, prefix: str, default: tuple[str, str]) -> directions.Direction:
    """Widgets for one direction (pairs / one pair / two lists); returns it."""
    how = st.radio("Direction from", list(DIRECTION_SOURCES), format_func=DIRECTION_SOURCES.get,
                   key=f"{prefix}_how", persist_state="page", horizontal=True,
                   index=0 if prefix == "dx" else 1)
    if how == "pairs":
        text = "\n".join(f"{a}, {b}" for a, b in wordlists.definitional_pairs())
        pairs = _pairs(st.text_area("Pairs (one per line: male, female)", text, key=f"{prefix}_pairs",
                                    persist_state="page"))
        return directions.direction_from_pairs(space, pairs, positive=pairs[0][0], negative=pairs[0][1])
    if how == "pair":
        c1, c2 = st.columns(2)
        a = c1.text_input("Positive end", default[0], key=f"{prefix}_a", persist_state="page")
        b = c2.text_input("Negative end", default[1], key=f"{prefix}_b", persist_state="page")
        return directions.direction_from_pair(space, a.strip(), b.strip())
    c1, c2 = st.columns(2)
    pos = c1.text_area("Positive words", "rich, wealthy, affluent", key=f"{prefix}_lp", persist_state="page")
    neg = c2.text_area("Negative words", "poor, impoverished, needy", key=f"{prefix}_ln",
                       persist_state="page")
    pos = wordlists.parse_words(pos, "positive word list")
    neg = wordlists.parse_words(neg, "negative word list")
    return directions.direction_from_lists(space, pos, neg)


def _missing_note(missing, what: str = "words") -> None:
    if missing:
        st.caption(f"Not in this space, left out ({len(missing)} {md_literal(what)}): "
                   f"{md_literal(', '.join(missing))}")


def directions_tab(space: EmbeddingSpace) -> None:
    st.markdown("A **direction** is the line from one idea to another (she → he). Each word's position along "
                "it is its cosine with the direction; 0 means the word leans neither way.")
    with user_errors():
        dx = direction_inputs(space, "dx", ("he", "she"))
        if dx.pc1_share is not None:
            st.metric("Variance explained by PC1", f"{dx.pc1_share:.0%}",
                      help="Share of the variation among the pair differences captured by this one direction "
                      "(Bolukbasi et al. 2016 found a single dominant component for gender).")
        _missing_note(dx.missing)
        dy = None
        if st.checkbox("Add a second direction (y axis)", value=True, key="dy_on", persist_state="page"):
            dy = direction_inputs(space, "dy", ("rich", "poor"))
        words = st.text_area("Words to place", OCCUPATIONS, key="dir_words", persist_state="page")
        words = wordlists.parse_words(words, "word list")
        table = directions.project_words(space, words, dx, dy)
        _missing_note(table.missing)
        n = len(table.frame)
        title = f"{n} word{'' if n == 1 else 's'}"
        downloads.chart(plots.projection_figure(table.frame, dx, dy, title=title),
                        "bias-directions", key="dir_plot")
        downloads.table(table.frame, "bias-directions", key="dir_table")
        if dy is not None:
            st.caption(f"The two directions have cosine {table.frame.attrs['axes_cosine']:.2f} "
                       "(0 = independent). The Map's custom axes use the same measure: the cosine of "
                       "each word with each direction.")


def _four_lists() -> tuple[tuple[list[str], ...], tuple[str, ...]]:
    t6 = wordlists.weat_test("weat6")
    cols = st.columns(4)
    lists, names = [], []
    for col, key, name, words in zip(cols, "XYAB", t6.names, (t6.X, t6.Y, t6.A, t6.B), strict=True):
        label = col.text_input(f"Name of {key}", name, key=f"weat_name_{key}", persist_state="page")
        text = col.text_area(f"Words of {key}", "\n".join(words), height=200, key=f"weat_words_{key}",
                             persist_state="page")
        up = col.file_uploader(f"…or upload {key} (.txt)", type=["txt"], key=f"weat_up_{key}")
        if up is not None:
            if up.size > wordlists.MAX_LIST_BYTES:
                raise EmbedlabError(f"'{up.name}' is {up.size / 1024:,.0f} KB; the limit is "
                                    f"{wordlists.MAX_LIST_BYTES // 1024} KB.")
            text = decode_text(up.name, up.getvalue()).text
            col.caption(f"Using {md_literal(up.name)}")
        lists.append(wordlists.parse_words(text, f"list {key}"))
        names.append(label or key)
    return tuple(lists), tuple(names)


def show_weat(r: weat.WeatResult) -> None:
    c1, c2, c3 = st.columns(3)
    c1.metric("Effect size d", f"{r.effect_size:+.2f}", help="Difference of mean associations over their "
              "sample standard deviation; |d| ≈ 0.2 small, 0.5 medium, 0.8 large.")
    c2.metric("p-value (one-sided)", f"{r.p_value:.2g}")
    how = "exact: all of them" if r.exact else f"random, seed {r.seed}"
    c3.metric("Partitions", f"{r.n_permutations:,}", how, delta_color="off")
    for w in r.warnings:
        st.warning(md_literal(w))
    for k, miss in r.missing.items():
        _missing_note(miss, f"of {k}")
    downloads.chart(plots.weat_figure(r.associations, r.names), "weat", key="weat_fig")
    downloads.json_data(r.to_dict(), "weat-result", key="weat_dl", label="⬇ Download result",
                        df=r.associations)


def weat_tab(space: EmbeddingSpace, state: BiasPage) -> None:
    tests = wordlists.weat_tests()
    titles = {t.id: t for t in tests}
    labels = {**{t.id: f"{t.id}: {t.title}" for t in tests}, CUSTOM: "Your own four lists…"}
    bind("test", "weat_choice", default=list(labels)[5], options=labels)
    choice = st.selectbox("Test", list(labels), format_func=labels.get, key="weat_choice",
                          persist_state="page")
    c1, c2, c3 = st.columns(3)
    n_perm = int(c1.number_input("Random partitions (when not exact)", 1_000, 200_000, 10_000, 1_000,
                                 key="weat_nperm", persist_state="page"))
    seed = int(c2.number_input("Seed", 0, 2**31 - 1, 0, key="weat_seed", persist_state="page"))
    unequal = c3.radio("Unequal target lists", list(UNEQUAL_LISTS), format_func=UNEQUAL_LISTS.get,
                       key="weat_unequal", persist_state="page",
                       help="truncate: drop words at random (seeded) from the longer list, as the paper did. "
                       "keep: use both lists as they are and permute partitions of the same sizes.")
    with user_errors():
        if choice == CUSTOM:
            lists, names = _four_lists()
        else:
            t = titles[choice]
            lists, names = tuple(t.lists(follow_paper=True)), t.names
            st.caption(f"Stimuli: {t.source}  Paper (GloVe 840B): d = {t.paper['d']}, p = {t.paper['p']}.")
        r = _cached_weat(space, _key(space), tuple(tuple(x) for x in lists), names, n_perm, seed, unequal)
        show_weat(r)
    if st.button("Run all ten tests", key="weat_all"):
        _, report = progress_bar("WEAT")
        with user_errors():
            state.weat_tables[space.name] = weat.weat_table(
                space, n_permutations=n_perm, seed=seed, unequal=unequal, progress=report)
    if space.name in state.weat_tables:
        downloads.dataframe(state.weat_tables[space.name], f"weat-all-{space.name}", key="weat_table",
                            hide_index=True)
        st.caption("paper_d / paper_p: Caliskan et al. 2017, Table 1 (300-d GloVe on Common Crawl); "
                   "magnitudes differ between spaces, the sign is what should replicate.")


def _debias_now(space: EmbeddingSpace, state: BiasPage) -> None:
    _, report = progress_bar("Finding the gender direction")
    done = debias.debias_gender(space, progress=report)
    state.debiased[space.name] = done
    state.residual.pop(space.name, None)
    add_session_space(done.result.space, select=False)


def debias_tab(space: EmbeddingSpace, state: BiasPage) -> None:
    st.markdown("**DirectBias** (Bolukbasi et al. 2016) is the mean |cos| of gender-neutral words "
                "(professions) with the gender direction. **Hard debiasing** removes that component from "
                "every word that is not gender-specific (*neutralise*) and makes pairs like "
                "grandfather/grandmother equally far from every neutral word (*equalise*). The result is a "
                "new space you can use on every page.")
    with user_errors():
        g = directions.gender_direction(space)
        st.metric("DirectBias₁ now", f"{debias.direct_bias(space, g).value:.3f}")
        if st.button("Apply hard debiasing", key="bias_debias", type="primary"):
            _debias_now(space, state)
    done = state.debiased.get(space.name)
    if not done:
        return
    res = done.result
    c1, c2, c3 = st.columns(3)
    c1.metric("DirectBias₁ before", f"{done.before.value:.3f}")
    c2.metric("DirectBias₁ after", f"{done.after.value:.3f}")
    c3.metric("Words neutralised", f"{res.n_neutralised:,}", f"{len(res.equalised)} pairs equalised",
              delta_color="off")
    st.success(f"Added '{md_literal(res.space.name)}' to your spaces: pick it in the sidebar on any page.")
    with user_errors():
        words = wordlists.parse_words(widget_value("dir_words", OCCUPATIONS), "word list")
        ba = debias.before_after(space, res.space, done.direction, words)
        downloads.chart(plots.before_after_figure(ba, done.direction), "debias-before-after", key="ba_fig")
        rows = []
        for t in ("weat6", "weat7", "weat8"):
            b, a = weat.run_test(space, t), weat.run_test(res.space, t)
            rows.append({"test": t, "d before": b.effect_size, "d after": a.effect_size,
                         "p before": b.p_value, "p after": a.p_value,
                         "s before": b.statistic, "s after": a.statistic})
        downloads.dataframe(rows, "debias-weat", key="ba_weat", hide_index=True)
        downloads.json_data(rows, "debias-weat", key="ba_weat_json")
        st.caption("The gender WEATs (6-8) before and after. s = Σs(x) − Σs(y) is the raw association; d "
                   "divides it by its spread, so when s collapses towards 0, d can still look large or flip "
                   "sign: read both.")
        name = st.text_input("Save as", res.space.name, key="bias_save_name", persist_state="page")
        if st.button("Save to workspace", key="bias_save"):
            from embedlab import workspace

            path = workspace.save(res.space, name)
            st.success(f"Saved as '{md_literal(name)}' ({md_literal(path)}).")


def residual_tab(space: EmbeddingSpace, state: BiasPage) -> None:
    st.markdown(
        "**Lipstick on a pig** (Gonen & Goldberg 2019). Debiasing zeroes each word's *projection* on the "
        "gender direction, but not its *neighbours*. Take the words that leaned most male or female before "
        "debiasing and look at them after: if a clustering algorithm can still sort them into their old "
        "groups, the gender information is still there, just spread over other directions. 50% accuracy "
        "would mean it is gone; the paper reports about 92% for hard-debiased GloVe. The second number asks "
        "the same of neighbourhoods: do words that leaned male still have mostly male-leaning neighbours?")
    done = state.debiased.get(space.name)
    if not done:
        st.info("Apply hard debiasing on the Debias tab first.")
        return
    c1, c2, c3 = st.columns(3)
    n_side = int(c1.number_input("Words per side", 10, 2_000, 500, 50, key="res_n", persist_state="page"))
    restrict = int(c2.number_input("Among the most frequent", min(1_000, len(space)), len(space),
                                   min(50_000, len(space)), 1_000, key="res_restrict", persist_state="page"))
    k = int(c3.number_input("Neighbours k", 5, 500, 100, 5, key="res_k", persist_state="page"))
    st.caption(f"Words are taken from the first {min(restrict, len(space)):,} of {len(space):,} words "
               "(frequency order), gender-specific words excluded; bias = cosine with he − she, as in the "
               "paper.")
    if st.button("Run the check", key="res_run"):
        _, report = progress_bar("Clustering")
        with user_errors():
            deb = done.result.space
            out = {"before": residual.cluster_residual(space, space, n_per_side=n_side, restrict=restrict)}
            report(0.3, 1.0, "Clustering the debiased vectors")
            out["after"] = residual.cluster_residual(space, deb, n_per_side=n_side, restrict=restrict)
            report(0.6, 1.0, "Neighbours")
            out["nb"] = residual.neighbour_bias(space, deb, n_per_side=n_side, k=k, restrict=restrict)
            state.residual[space.name] = out
        report(1.0, 1.0, "Done")
    out = state.residual.get(space.name)
    if out:
        c1, c2, c3 = st.columns(3)
        c1.metric("Cluster accuracy before", f"{out['before'].accuracy:.1%}")
        c2.metric("Cluster accuracy after debiasing", f"{out['after'].accuracy:.1%}")
        c3.metric(f"Bias vs male share of {out['nb'].k} neighbours (r)", f"{out['nb'].correlation:.2f}")
        downloads.chart(plots.cluster_figure(out["after"].frame, "After debiasing: colour = old lean, "
                                             "shape = k-means cluster"), "residual-bias", key="res_fig")


def main() -> None:
    st.title("⚖️ Bias lab")
    space = space_picker()
    state = page_state(BiasPage)
    name, tab = tabs(TABS, key="bias_tab", opened_by={"test": "WEAT"})  # a ?test= link opens WEAT
    with tab:
        if name == "Directions":
            directions_tab(space)
        else:
            {"WEAT": weat_tab, "Debias": debias_tab, "Residual": residual_tab}[name](space, state)


main()

"""Neighbours & analogies: a word or an expression in, ranked neighbours and a picture out."""

from __future__ import annotations

import streamlit as st

from embedlab.ann.hnsw import default_index
from embedlab.errors import UnknownKeyError
from embedlab.neighbours import ANALOGY_METHODS, QueryResult
from embedlab.neighbours import query as neighbours_query
from embedlab.plots.words import labelled_scatter, pca_words
from ui import downloads
from ui.common import space_picker, user_errors
from ui.literal import md_literal
from ui.share import bind
from ui.state import set_widget

QUERY_KEY = "nb_query"
DEFAULT_QUERY = "king"
DEFAULT_ODD = "breakfast cereal dinner lunch"


def _use_suggestion(word: str) -> None:
    set_widget(QUERY_KEY, word)


def inputs(space) -> tuple[str, int, str, int | None]:
    """Read the query widgets; returns (text, k, method, restrict)."""
    bind("q", QUERY_KEY, default=DEFAULT_QUERY)
    text = st.text_input("Word or expression", key=QUERY_KEY, persist_state="session",
                         help="A word (king) or an expression with + and - (king - man + woman). "
                         "Press Enter.")
    c1, c2, c3 = st.columns([2, 2, 3])
    bind("k", "nb_k", default=10, parse=int, options=range(1, 51), short=True)
    k = c1.slider("How many neighbours", 1, 50, key="nb_k")
    bind("method", "nb_method", default=next(iter(ANALOGY_METHODS)), options=ANALOGY_METHODS, short=True)
    method = c2.radio("Analogy method", list(ANALOGY_METHODS), format_func=ANALOGY_METHODS.get,
                      key="nb_method",
                      help="How a - b + c is scored. 3CosMul balances the three words better.")
    restrict = None
    with c3:
        if st.checkbox("Only search the most frequent words", key="nb_restrict_on",
                       help="Rare words are noisy; files like GloVe list the most frequent words first."):
            top = min(len(space), 30_000)
            restrict = int(st.number_input("N most frequent", min(100, len(space)), len(space), top,
                                           step=1000, key="nb_restrict"))
            st.caption(f"Searching the first {restrict:,} of {len(space):,} words.")
    return text, k, method, restrict


def results_table(res: QueryResult) -> None:
    df = res.table()
    top = float(df["score"].max()) if len(df) else 1.0
    downloads.dataframe(df, f"neighbours-{res.text}", key="nb_table", hide_index=True, column_config={
        "rank": st.column_config.NumberColumn("#", width="small"),
        "word": st.column_config.TextColumn("word"),
        "score": st.column_config.ProgressColumn(
            "cosine similarity" if res.method == "3cosadd" else "3CosMul score",
            format="%.3f", min_value=0.0, max_value=max(1.0, top)),
    })


def picture(space, res: QueryResult) -> None:
    """The analogy parallelogram for a - b + c, else the query's neighbourhood in 2-D."""
    if res.analogy:
        from embedlab.plots.maps import analogy_figure, project_keys_for_analogy

        a, b, c, d = res.analogy
        context = [w for w, _ in res.results[1:6]]
        coords = project_keys_for_analogy(space, [a, b, c, d], context=context)
        downloads.chart(analogy_figure(coords, a, b, c, d, context_keys=context), f"analogy-{res.text}",
                        key="nb_analogy")
        a_, b_, c_, d_ = (md_literal(w) for w in (a, b, c, d))
        st.caption(f"{a_} → {b_} is drawn next to {c_} → {d_}: if the arrows are parallel and equally long, "
                   "the space stores the relation as a direction. (PCA of these words only; the table "
                   "measures in the full space.)")
        return
    words = res.positive + res.negative + [w for w, _ in res.results]
    scores = [1.0] * (len(res.positive) + len(res.negative)) + [s for _, s in res.results]
    fig = labelled_scatter(words, pca_words(space, words), highlight=res.positive + res.negative,
                           scores=scores, title=f"'{res.text}' and its neighbours, flattened to 2-D (PCA)")
    downloads.chart(fig, f"neighbours-{res.text}", key="nb_map")


def unknown(exc: UnknownKeyError) -> None:
    st.error(md_literal(str(exc)))
    if exc.suggestions:
        cols = st.columns(len(exc.suggestions[:5]))
        for col, s in zip(cols, exc.suggestions[:5], strict=False):
            col.button(md_literal(s), key=f"nb_suggest_{s}", on_click=_use_suggestion, args=(s,))


def odd_one_out(space) -> None:
    from embedlab.neighbours import doesnt_match

    st.subheader("Odd one out")
    bind("odd", "nb_odd", default=DEFAULT_ODD, short=True)
    text = st.text_input("Words separated by spaces", key="nb_odd", persist_state="session")
    with user_errors():
        words = text.replace(",", " ").split()
        if words:
            st.success(f"**{md_literal(doesnt_match(space, words))}** does not fit with the others.")


def query(space, text: str, k: int, method: str, restrict: int | None) -> None:
    """Run the query and show the table and the picture (unknown words: suggestions as buttons)."""
    with user_errors():
        try:
            result = neighbours_query(space, text, k=k, method=method, restrict=restrict,
                                      index=default_index(space))
        except UnknownKeyError as exc:  # shown with its suggestions as buttons
            unknown(exc)
            return
        left, right = st.columns([2, 3])
        with left:
            results_table(result)
        with right:
            picture(space, result)


def main() -> None:
    st.title("Neighbours & analogies")
    space = space_picker()
    text, k, method, restrict = inputs(space)
    if text.strip():
        query(space, text, k, method, restrict)
    else:
        st.info("Type a word (king) or an expression (king - man + woman) and press Enter.")
    odd_one_out(space)


main()

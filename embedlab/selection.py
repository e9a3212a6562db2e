"""Which points a map shows: the most frequent words, a search result with its neighbours, or everything.

:func:`select_points` returns a new space whose ``info["selection"]`` is one sentence saying what was
selected, for the page to show next to the map (no hidden sampling).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from embedlab.ann.hnsw import default_index
from embedlab.errors import EmptyInputError, InvalidParameterError
from embedlab.neighbours import most_similar
from embedlab.space import EmbeddingSpace
from embedlab.strings import split_list

MODES = ("top", "query", "all", "sample")
#: Most words one map (or one highlight box) takes: each costs a search of the whole space, and a link once
#: asked for 20,000 (``?words=the,the,...``), which kept the server busy for minutes.
MAX_QUERY_WORDS = 50


def _noun(space: EmbeddingSpace) -> str:
    return str(space.info.get("unit", "words"))


def _ordered_by(space: EmbeddingSpace) -> str:
    return "by frequency" if "rank" in space.meta_columns else "in file order"


def word_list(query: str | Sequence[str] | None, limit: int = MAX_QUERY_WORDS) -> tuple[list[str], str]:
    """The distinct words of ``query`` (in order, at most ``limit``) and a sentence saying what was dropped.

    ``query`` is a list, or one string of words separated by commas. The sentence is empty
    when every word is kept; otherwise it names the repeats and the cap, and how many words were dropped.
    """
    if query is None:
        given: list[str] = []
    elif isinstance(query, str):
        given = split_list(query)
    else:
        given = [str(q).strip() for q in query if str(q).strip()]
    distinct = list(dict.fromkeys(given))
    notes = []
    if len(distinct) < len(given):
        notes.append(f"{len(given):,} words were given, {len(distinct):,} of them distinct; "
                     "each is used once.")
    if len(distinct) > limit:
        notes.append(f"At most {limit:,} words are used: the first {limit:,} are kept and "
                     f"{len(distinct) - limit:,} dropped.")
    return distinct[:limit], " ".join(notes)


def _with_sentence(sel: EmbeddingSpace, sentence: str) -> EmbeddingSpace:
    sel.info["selection"] = sentence
    return sel


def _select_query(space: EmbeddingSpace, queries: list[str], k: int) -> EmbeddingSpace:
    """The query keys plus their ``k`` nearest neighbours each; meta column ``selected_by`` says which.

    Neighbours come through the same seam as the Neighbours page's: ``most_similar`` with the space's
    :func:`~embedlab.ann.hnsw.default_index` (its saved index past the exact-search limit).
    """
    if not queries:
        raise EmptyInputError("Type at least one word to map it with its neighbours (e.g. 'king').")
    rows: dict[int, str] = {}
    resolved = list(dict.fromkeys(space.resolve(q) for q in queries))  # 'King' and 'king' are one word
    for key in resolved:
        rows.setdefault(space.index(key), key)
    index = default_index(space)
    for key in resolved:
        for nb, _ in most_similar(space, [key], topn=k, index=index):
            rows.setdefault(space.index(nb), key)
    order = np.fromiter(rows, dtype=np.int64)
    sel = space.subset(order, name=f"{space.name} · {', '.join(resolved)} + {k} neighbours")
    sel = sel.with_meta(selected_by=[rows[int(i)] for i in order])
    what = " and ".join(f"'{q}'" for q in resolved)
    return _with_sentence(sel, f"{what} with {k:,} nearest neighbours each ({len(sel):,} {_noun(space)}).")


def select_points(space: EmbeddingSpace, mode: str = "top", n: int = 5000,
                  query: str | Sequence[str] | None = None, k: int = 50,
                  random_state: int = 0) -> EmbeddingSpace:
    """A subset of ``space`` to map, with ``info["selection"]`` describing it.

    Parameters
    ----------
    space : EmbeddingSpace
    mode : {"top", "query", "all", "sample"}
        ``top``: the first ``n`` rows (frequency order for ranked vocabularies); ``query``: the key(s) in
        ``query`` (a list, or one string with commas) plus their ``k`` nearest neighbours each;
        repeats are used once and at most :data:`MAX_QUERY_WORDS` words are searched (what was dropped is
        said in ``info["note"]``);
        ``all``: everything; ``sample``: ``n`` rows drawn at random (seeded by ``random_state``).
    """
    if mode not in MODES:
        raise InvalidParameterError(f"Unknown selection mode '{mode}'; choose one of {', '.join(MODES)}.")
    total, noun = len(space), _noun(space)
    if mode == "query":
        if int(k) < 1:
            raise InvalidParameterError(f"k must be at least 1 neighbour; got {k}.")
        words, note = word_list(query)
        sel = _select_query(space, words, int(k))
        if note:
            sel.info["note"] = note
        return sel
    if mode != "all" and int(n) < 1:
        raise InvalidParameterError(f"n must be at least 1 point; got {n}.")
    if mode == "all" or int(n) >= total:
        # the same data: the unit vectors and key index that any map of it needs are computed once, on the
        # space every page shares, and shared with the selection (not held twice: 100 MB for GloVe's 400k)
        space.normed  # noqa: B018 - computed for both
        _ = space.keys[0] in space if total else None
        return _with_sentence(space.renamed(space.name), f"all {total:,} {noun}.")
    n = int(n)
    if mode == "top":
        sel = space.head(n, name=f"{space.name} · top {n:,}")
        return _with_sentence(sel, f"top {n:,} of {total:,} {noun} {_ordered_by(space)}.")
    rows = np.sort(np.random.default_rng(random_state).choice(total, size=n, replace=False))
    sel = space.subset(rows, name=f"{space.name} · random {n:,}")
    return _with_sentence(sel, f"a random sample of {n:,} of {total:,} {noun} (seed {random_state}).")

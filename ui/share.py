"""Shareable views: bind a widget to a URL query parameter, so the address bar reproduces the view.

Call :func:`bind` just BEFORE creating the widget, and create the widget with the same ``key`` and no
``value``/``index`` argument (the default goes to :func:`bind`)::

    from ui.share import bind
    bind("q", "nb_query", default="king")
    text = st.text_input("Word or expression", key="nb_query")

    bind("proj", "map_method", default="pca", options=list(PROJECTIONS))
    st.radio("Projection", list(PROJECTIONS), format_func=PROJECTIONS.get, key="map_method")

Rules:

* A value in the URL that this session has not seen yet (a shared link, a "Try it" link, a bookmark) wins
  over the widget's current value; afterwards the widget's value is written back to the URL on every run,
  so the URL follows the user's changes.
* A value that is not allowed (not in ``options``, or ``parse`` fails) is ignored with a clear message, and
  the widget keeps its default. So is a value longer than :data:`MAX_PARAM_CHARS` (a 100 KB ``?q=`` took
  half a minute to render): every link value is read through :func:`link_value`.
* ``parse`` turns the URL text into the widget's value (``int``, ``float``, :func:`as_bool`); ``dump`` turns
  it back into text (``str`` by default, so a checkbox reads ``True``/``False``; ``",".join`` for
  multiselects with :func:`embedlab.strings.split_list`; a list's repeated values are dropped, so it has at
  most one item per option).

Parameter names used by the app are listed in :data:`PARAMS` (the README's table is made from it).

Why not Streamlit's own ``bind="query-params"`` (checked on Streamlit 1.67, the lock; 1.66 has it too): it
cannot keep the README's links or these guarantees, so this module stays.

* The parameter name is the widget's ``key``. The README's names are short and shared between pages (``q``,
  ``method``, ``proj``, ``tab``, each a different widget on each page), while widget keys are session-wide.
* A selectbox, radio, multiselect or tab writes its *label* into the URL, not the option: ``?method=3CosMul``
  works and the README's ``?method=3cosmul`` is dropped; Compare's tab would read ``?tab=↔️ What moved``.
* A value that is not an option or does not parse (``?k=many``, ``?k=999`` past a slider's end,
  ``?proj=<b>``) is removed from the URL without a word; our rule is a message saying what was ignored.
* No cap per value: a 100,000-character ``?q=`` lands in the text box (Streamlit only drops a whole query
  string past 512 Ki characters or 1,000 fields, and ``max_chars`` cuts silently).
* A list is a repeated parameter (``?per=5&per=all``), not the README's ``?per=5,all``.
* It cannot say that a value came from a link (:func:`from_link`: the Images page embeds a linked set).

What it does well, :func:`bind` does too: defaults stay out of the link (``short=True``), a list holds each
value once, a link seeds the widget and later changes follow the widget.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from ui.state import page_state, set_widget, widget_value

MAX_PARAM_CHARS = 1_000  # longest value a link may carry for one parameter (a word list of ~100 words)

# every query parameter the app understands: name -> (pages, meaning); the README's table is made from it
PARAMS: dict[str, tuple[str, str]] = {
    "space": ("every page", "the embedding space (handled by ui.common.space_picker)"),
    "presenter": ("every page", "1 turns presenter mode on"),
    "q": ("neighbours, graphs, compare", "a word or an expression such as king - man + woman (neighbours); "
          "node2vec in-out parameter q: 0.25, 0.5, 1, 2, 4 (graphs); an expression of A's words answered in "
          "B (compare, Map A → B)"),
    "k": ("neighbours", "how many neighbours (1-50)"),
    "method": ("neighbours, graphs", "analogy method: 3cosadd or 3cosmul (neighbours); node embedding "
               "method: deepwalk, node2vec or graphsage (graphs)"),
    "odd": ("neighbours", "words for the odd-one-out game, separated by spaces"),
    "word": ("polysemy, compare", "the bundled ambiguous word (bank, bass, ...) (polysemy); a word of A to "
             "translate into B (compare, Map A → B)"),
    "encoder": ("polysemy", "minilm-l6 (default) or elmo-small"),
    "mode": ("map", "which points: top, query, sample or all"),
    "words": ("map", "the word(s) whose neighbourhood is mapped (mode=query)"),
    "proj": ("map, sentences, images", "projection: pca, umap, tsne, axes (map); pca, umap, tsne; pca, umap"),
    "color": ("map", "what colours the points: (none), k-means clusters or a metadata column"),
    "highlight": ("map", "words to find and highlight"),
    "query": ("sentences", "the semantic-search query (opens the Semantic search tab)"),
    "model": ("sentences", "transformer, averaged, or a small encoder: elmo-small, skip-thought-small, "
              "use-dan-small, infersent-small, or one you trained"),
    "test": ("bias", "the WEAT test: weat1 ... weat10"),
    "set": ("images", "the bundled image set (emoji-content, emoji, skimage-photos, mnist-digits)"),
    "a": ("compare", "space A of What moved or of Map A → B (a space name)"),
    "b": ("compare", "space B, the reference, of What moved or of Map A → B (a space name)"),
    "measure": ("compare", "rank What moved by: cosine or knn"),
    "top": ("compare", "how many words What moved lists (5-200)"),
    "csls": ("compare", "Map A → B: true retrieves translations by CSLS"),
    "refine": ("compare", "Map A → B: refinement rounds, 0-5"),
    "back": ("compare", "Map A → B: a word of B to translate back into A"),
    "tab": ("use, bias, compare, sentences, images, train",
            "the open tab (ui.share.tabs): Classify, Search, Recommend, Summarise, Probe or Benefits (use); "
            "Directions, WEAT, Debias or Residual (bias); Moved, Slices, Dynamic or Map (compare); Map, "
            "Similarity, Search, Order or Compare (sentences); Map, Clusters or Search (images); Words or "
            "Encoder (train)"),
    "source": ("images", "where the pictures come from: bundled or upload"),
    "features": ("use", "Classify: the features, comma-separated (bow, glove-50d, minilm, a space name)"),
    "per": ("use", "Classify: training examples per class, comma-separated (5, 10, 30, 100, all)"),
    "collection": ("use", "Search: the bundled collection (lee-news or pang-lee)"),
    "search": ("use", "Search: the query"),
    "task": ("use", "Probe: the probe task (plural, continent, sentiment)"),
    "graph": ("graphs", "the bundled graph: karate, lesmis or wordnet-nouns"),
    "p": ("graphs", "node2vec return parameter p (0.25, 0.5, 1, 2, 4)"),
    "dim": ("graphs", "node embedding dimension (8, 16, 32, 64, 128)"),
}


@dataclass
class LinkMemory:
    """What this session knows about its URL (kept with :func:`ui.state.page_state`)."""

    page: str | None = None  # the page of the previous run
    synced: dict[str, str] = field(default_factory=dict)  # slot (widget key) -> URL text last read or written
    from_link: set[str] = field(default_factory=set)  # widget keys a link set in this run


class _Bad:
    """Marker for a URL value that could not be parsed."""


def as_bool(text: str) -> bool:
    """``"1"``, ``"true"``, ``"yes"``, ``"on"`` → True; ``"0"``, ``"false"``, ``"no"``, ``"off"`` → False."""
    low = text.strip().lower()
    if low in ("1", "true", "yes", "on"):
        return True
    if low in ("0", "false", "no", "off"):
        return False
    raise ValueError(text)


def _synced() -> dict[str, str]:
    return page_state(LinkMemory).synced


def _parse(raw: str, parse: Callable[[str], Any], options: Iterable | None) -> Any:
    try:
        value = parse(raw)
    except (ValueError, TypeError):
        return _Bad
    if isinstance(value, list):  # a multiselect holds each value once: "5,5,...,5" is one chip, not 20,000
        value = list(dict.fromkeys(value))
    if options is not None:
        allowed = list(options)
        items = value if isinstance(value, list) else [value]
        if not items or any(v not in allowed for v in items):
            return _Bad
    return value


def _refuse(param: str, raw: str, options: Iterable | None) -> None:
    from ui.literal import md_literal

    choices = f" Choices: {md_literal(', '.join(map(str, options)))}." if options is not None else ""
    st.warning(f"The link asks for {param} = {md_literal(repr(raw[:80]))}, which this page does not have."
               f"{choices} Showing the default instead.", icon="🔗")


def link_value(param: str) -> str | None:
    """The URL's text for ``param``: None when absent, or (with a message) when longer than
    :data:`MAX_PARAM_CHARS` characters. The one place the app reads a link's values."""
    raw = st.query_params.get(param)
    if raw is None or len(raw) <= MAX_PARAM_CHARS:
        return raw
    from ui.literal import md_literal

    st.warning(f"The link's {md_literal(param)} value is {len(raw):,} characters long; a link value may have "
               f"at most {MAX_PARAM_CHARS:,}, so it was ignored. Showing the default instead.", icon="🔗")
    return None


def from_url(param: str, parse: Callable[[str], Any] = str, options: Iterable | None = None,
             slot: str | None = None) -> Any | None:
    """The URL's value of ``param`` when it is new to this session (a link just opened), else None.

    Marks the value as seen (under ``slot``, default ``param``: two pages may use one parameter name).
    Bad values are reported and give None. For inputs that are not plain widgets; widgets use :func:`bind`.
    """
    raw = link_value(param)
    synced, slot = _synced(), slot or param
    if raw is None or raw == synced.get(slot):
        return None
    synced[slot] = raw
    value = _parse(raw, parse, options)
    if value is _Bad:
        _refuse(param, raw, options)
        return None
    return value


def to_url(param: str, value: Any, dump: Callable[[Any], str] = str, slot: str | None = None) -> None:
    """Write ``value`` to the URL as ``param`` (None removes it) and remember it as seen (under ``slot``)."""
    synced, slot = _synced(), slot or param
    if value is None:
        if param in st.query_params:
            del st.query_params[param]
        synced.pop(slot, None)
        return
    text = dump(value)
    if st.query_params.get(param) != text:
        st.query_params[param] = text
    synced[slot] = text


def entering(page: str) -> None:
    """Call once per run before the page runs (``app.py``): on arriving at another page, every value in the
    URL counts as a link again (navigation clears the URL, so whatever is there now came with the link)."""
    memory = page_state(LinkMemory)
    if memory.page != page:
        memory.page = page
        memory.synced.clear()


def from_link(key: str) -> bool:
    """True when a link (a URL value new to this session) set widget ``key`` in this run (after :func:`bind`).

    For pages that should also act on a link, not only show it (e.g. embed the image set it names).
    """
    return key in page_state(LinkMemory).from_link


def bind(param: str, key: str, default: Any = None, *, options: Iterable | None = None,
         parse: Callable[[str], Any] = str, dump: Callable[[Any], str] = str, short: bool = False) -> Any:
    """Bind the widget ``key`` to the query parameter ``param``; call just before creating the widget.

    Parameters
    ----------
    param : str
        Query-parameter name (add it to :data:`PARAMS`).
    key : str
        The widget's ``key``. Create the widget without ``value``/``index``: :func:`bind` seeds it.
    default : optional
        The widget's value when neither the URL nor this session has one.
    options : iterable, optional
        Allowed values (selectbox / radio keys); anything else in the URL is refused with a message.
    parse, dump : callable
        URL text → widget value, and back.
    short : bool
        Leave the parameter out of the URL while the widget shows ``default`` (shorter links; use only with
        a constant default).

    Returns
    -------
    The value the widget will show.
    """
    options = list(options) if options is not None else None
    value = from_url(param, parse, options, slot=key)
    linked = page_state(LinkMemory).from_link
    linked.discard(key)
    if value is not None:
        set_widget(key, value)
        linked.add(key)
    elif widget_value(key, _Bad) is _Bad and default is not None:  # the widget has no value yet
        set_widget(key, default)
    current = widget_value(key)
    if short and current == default:
        current = None
    if current is not None and current != "":
        to_url(param, current, dump, slot=key)
    elif st.query_params.get(param) is not None:
        to_url(param, None, slot=key)
    return current


def tabs(names: Mapping[str, str], key: str, param: str | None = "tab",
         opened_by: Mapping[str, str] | None = None) -> tuple[str, Any]:
    """Lazy tabs bound to ``?tab=``: only the open tab runs. Returns its name and its container::

        name, tab = tabs({"Moved": "↔️ What moved", "Map": "🧭 Map A → B"}, key="cmp_tab")
        with tab:
            PANELS[name]()

    ``names`` maps each tab's name (what the URL carries; a name the page does not have is refused with a
    message) to its label. The first tab is the default and stays out of the URL. ``opened_by`` maps a
    query parameter that lives in a tab to that tab (``{"test": "WEAT"}``): a link carrying it opens the
    tab when neither ``?tab=`` nor the user chose one. ``param=None``: not bound to the URL.
    Widgets inside a tab keep their values while another tab is open with ``persist_state="page"``.
    """
    labels, first = dict(names), next(iter(names))
    by_label = {label: name for name, label in labels.items()}
    asked = from_url(param, options=list(labels), slot=key) if param else None
    if asked is not None:
        set_widget(key, labels[asked])
    elif widget_value(key) not in by_label:
        opened = next((n for p, n in (opened_by or {}).items() if st.query_params.get(p) is not None), first)
        set_widget(key, labels[opened])
    shown = st.tabs(list(labels.values()), key=key, on_change="rerun")
    name, container = next(((n, t) for n, t in zip(labels, shown, strict=True) if t.open), (first, shown[0]))
    if param:
        to_url(param, None if name == first else name, slot=key)
    return name, container

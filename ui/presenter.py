"""Presenter mode: larger fonts and markers, fewer controls — readable on a classroom projector.

``app.py`` calls :func:`toggle` once per run (a sidebar switch, remembered for the session in
``apppage_state(PresenterState)`` and in the URL as ``presenter=1``). Pages then:

* draw figures through :func:`style_figure` (or :func:`ui.downloads.chart`, which does it), so markers and
  labels grow by ``embedlab.plots.style.PRESENTER_SCALE``;
* put controls a presenter does not need inside :func:`extras` (an expander that is closed in presenter mode);
* get download buttons hidden for free (``ui.downloads`` checks :func:`presenting`);
* get tables 1.4x larger for free: ``st.dataframe`` draws on a canvas that font sizes cannot reach, so the
  CSS zooms each table's container, kept inside its column.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from ui.state import page_state, set_widget, widget_value

TOGGLE_KEY = "presenter_toggle"

# constant CSS (no user data): larger text everywhere, less chrome
_CSS = """<style>
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] li { font-size: 1.45rem; line-height: 1.5; }
[data-testid="stMain"] [data-testid="stWidgetLabel"] p { font-size: 1.25rem; }
[data-testid="stMain"] input, [data-testid="stMain"] textarea { font-size: 1.3rem; }
[data-testid="stMain"] h1 { font-size: 3.4rem; }
[data-testid="stMain"] h2 { font-size: 2.6rem; }
[data-testid="stMain"] h3 { font-size: 2rem; }
[data-testid="stMain"] [data-testid="stMetricValue"] { font-size: 3rem; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] { font-size: 1.1rem; }
[data-testid="stMain"] [data-testid="stSliderThumbValue"] p { font-size: 1.1rem; line-height: 1; }
[data-testid="stMain"] [data-testid="stElementContainer"]:has([data-testid="stDataFrame"]) {
  zoom: 1.4; width: calc(100% / 1.4) !important; }
[data-testid="stHeader"] [data-testid="stToolbar"] { display: none; }
</style>"""


@dataclass
class PresenterState:
    """Whether this session presents."""

    on: bool = False


def presenting() -> bool:
    """True while presenter mode is on in this session."""
    return page_state(PresenterState).on


def toggle() -> bool:
    """The sidebar switch (bound to ``?presenter=1``); applies the presenter CSS when on. Returns the mode."""
    from ui.share import as_bool, from_url, to_url

    state = page_state(PresenterState)
    asked = from_url("presenter", as_bool)
    if asked is not None:
        set_widget(TOGGLE_KEY, asked)
    elif widget_value(TOGGLE_KEY) is None:
        set_widget(TOGGLE_KEY, state.on)
    state.on = bool(st.sidebar.toggle("Presenter mode", key=TOGGLE_KEY,
                                      help="Bigger text and markers, fewer controls: for a projector."))
    to_url("presenter", 1 if state.on else None)  # off is the default: keeps shared links short
    if state.on:
        st.html(_CSS)
    return state.on


def style_figure(fig):
    """``fig`` with presenter-size fonts and markers when presenting (unchanged otherwise)."""
    if not presenting():
        return fig
    import plotly.graph_objects as go

    from embedlab.plots.style import PRESENTER_SCALE, enlarge

    fig = go.Figure(fig)  # a copy: cached figures must not grow on every rerun
    base = fig.layout.font.size or 12
    fig.update_layout(font={"size": round(base * PRESENTER_SCALE)})
    if fig.layout.title and fig.layout.title.font and fig.layout.title.font.size:
        fig.update_layout(title_font_size=round(fig.layout.title.font.size * PRESENTER_SCALE))
    if fig.layout.height:
        fig.update_layout(height=int(fig.layout.height * 1.15))
    return enlarge(fig, PRESENTER_SCALE)


def extras(label: str = "More options"):
    """A container for controls a presenter does not need: open normally, closed in presenter mode."""
    return st.expander(label, expanded=not presenting())

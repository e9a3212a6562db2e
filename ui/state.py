"""Per-user state through one accessor, keyed by type (no bag of string keys).

A page keeps what it remembers between reruns in ONE dataclass named ``<Name>Page`` and gets this
session's instance of it with :func:`page_state`::

    from ui.state import page_state

    @dataclass
    class ComparePage:
        moved: dict = field(default_factory=dict)

    page = page_state(ComparePage)  # the same object on every rerun of this session
    page.moved = {settings: report}

What every page shares (the space being explored, the session's uploaded spaces) is :func:`app_state`.
Nothing else touches ``st.session_state``: a widget keeps its value under its ``key=`` (and, with Streamlit's
``persist_state=``, while it is not drawn: another page, a closed lazy tab); code that must set or read a
widget by its key goes through :func:`set_widget`, :func:`widget_value` and :func:`forget_widget`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

import streamlit as st

from embedlab.registry import DEFAULT_SPACE

_KEY = "_embedlab_state"
STATE_KEY = _KEY  # where the AppState lives in st.session_state (tests install one there)

T = TypeVar("T")


@dataclass
class AppState:
    """Everything one browser session remembers between reruns."""

    space_name: str = DEFAULT_SPACE
    # spaces this user uploaded or derived in this session (never written to disk unless saved)
    session_spaces: dict[str, Any] = field(default_factory=dict)
    # the last ``?space=`` value this session applied or wrote (so a new value in the URL is noticed)
    url_space: str = ""
    # one object per page-state class, by class name (see page_state)
    pages: dict[str, Any] = field(default_factory=dict)


def app_state() -> AppState:
    """This session's :class:`AppState` (created on first use)."""
    if _KEY not in st.session_state:
        st.session_state[_KEY] = AppState()
    return st.session_state[_KEY]


def page_state(cls: type[T]) -> T:
    """This session's one instance of the dataclass ``cls`` (created with ``cls()`` on first use).

    Instances are kept by class *name*: Streamlit runs a page's file afresh on every rerun, which makes a new
    class object each time, so ``<Name>Page`` names must be unique across the app. Tests reach an instance
    as ``app_state().pages["<Name>Page"]``.
    """
    pages = app_state().pages
    name = cls.__name__
    if name not in pages:
        pages[name] = cls()
    return pages[name]


# Widgets keep their own values (``key=``, and ``persist_state=`` to outlive their rendering); these three are
# the only other doors to ``st.session_state``: for code that must reach a widget by its key.
def set_widget(key: str, value: Any) -> None:
    """Set widget ``key`` programmatically: before the widget is drawn in this run, or in a callback."""
    st.session_state[key] = value


def widget_value(key: str, default: Any = None) -> Any:
    """The value of widget ``key`` (in a callback, or before the widget is drawn in this run)."""
    return st.session_state.get(key, default)


def forget_widget(key: str) -> None:
    """Drop widget ``key``'s value: it is drawn from its default the next time."""
    st.session_state.pop(key, None)

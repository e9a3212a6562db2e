"""Per-user state through one accessor, keyed by type (no bag of string keys).

A page keeps what it remembers between reruns in ONE dataclass named ``<Name>Page`` and gets this
session's instance of it with :func:`page_state`::

    from ui.state import page_state

    @dataclass
    class NeighboursPage:
        last: str = ""

    page = page_state(NeighboursPage)  # the same object on every rerun of this session
    page.last = text

What every page shares (the space being explored, the session's uploaded spaces) is :func:`app_state`.
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

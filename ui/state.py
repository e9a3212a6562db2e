"""Per-user state through one small typed accessor (no bag of string keys).

Usage in a page::

    from ui.state import app_state
    state = app_state()
    state.space_name = "glove-50d"
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from embedlab.registry import DEFAULT_SPACE

_KEY = "_embedlab_state"
STATE_KEY = _KEY  # where the AppState lives in st.session_state (tests install one there)


@dataclass
class AppState:
    """Everything one browser session remembers between reruns."""

    space_name: str = DEFAULT_SPACE
    # spaces this user uploaded or derived in this session (never written to disk unless saved)
    session_spaces: dict[str, Any] = field(default_factory=dict)
    query: str = "king"
    # the last ``?space=`` value this session applied or wrote (so a new value in the URL is noticed)
    url_space: str = ""
    # free slots for pages: one typed sub-object per page, created by that page
    pages: dict[str, Any] = field(default_factory=dict)

    def page(self, name: str, factory):
        """The state object of one page, created with ``factory()`` on first use."""
        if name not in self.pages:
            self.pages[name] = factory()
        return self.pages[name]


def app_state() -> AppState:
    """This session's :class:`AppState` (created on first use)."""
    if _KEY not in st.session_state:
        st.session_state[_KEY] = AppState()
    return st.session_state[_KEY]

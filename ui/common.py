"""Cached loaders, the space picker and error display shared by all pages."""

from __future__ import annotations

from contextlib import contextmanager

import streamlit as st

from embedlab.errors import EmbedlabError
from embedlab.space import EmbeddingSpace
from ui.literal import md_literal
from ui.state import app_state, set_widget, widget_value


@st.cache_resource(show_spinner="Loading vectors…", max_entries=16)
def _load_versioned(name: str, version: float) -> EmbeddingSpace:
    from embedlab.registry import load

    return load(name)


def _version(name: str) -> float:
    """Modification time of a saved space (0 for bundled ones), so an overwritten save is reloaded."""
    from embedlab import workspace

    if workspace.exists(name):
        return (workspace.spaces_dir() / name / "info.json").stat().st_mtime
    return 0.0


def load_named_space(name: str) -> EmbeddingSpace:
    """A bundled or saved space, loaded once per process and version (read-only, so shared safely)."""
    return _load_versioned(name, _version(name))


def _clear_loaded(*_args) -> None:
    _load_versioned.clear()


load_named_space.clear = _clear_loaded  # type: ignore[attr-defined]


def space_choices() -> list[str]:
    """Session spaces (uploads, derived) first, then bundled and saved ones."""
    from embedlab.registry import available_names

    state = app_state()
    names = list(state.session_spaces) + [n for n in available_names() if n not in state.session_spaces]
    return names


def get_space(name: str) -> EmbeddingSpace:
    """Resolve a name to a space: this session's uploads first, then the shared cache."""
    state = app_state()
    if name in state.session_spaces:
        return state.session_spaces[name]
    return load_named_space(name)


def current_space() -> EmbeddingSpace:
    """The space the user is exploring (falls back to the default if the chosen one vanished)."""
    from embedlab.registry import DEFAULT_SPACE

    state = app_state()
    try:
        return get_space(state.space_name)
    except EmbedlabError as exc:
        st.warning(f"{md_literal(exc)} Showing {DEFAULT_SPACE} instead.")
        state.space_name = DEFAULT_SPACE
        return get_space(DEFAULT_SPACE)


SPACE_PARAM = "space"  # the URL query parameter naming the space, on every page


def _apply_space_param() -> None:
    """Follow ``?space=NAME`` when the URL brings a value this session has not applied yet.

    A link opened in a fresh tab, or edited in the address bar, selects that space; an unknown name gives
    a message and keeps the current space. Values the picker itself wrote are recognised and ignored.
    """
    from ui.share import link_value

    state = app_state()
    wanted = link_value(SPACE_PARAM)
    if not wanted or wanted == state.url_space:
        return
    state.url_space = wanted
    if wanted == state.space_name:
        return
    if wanted in space_choices():
        state.space_name = wanted
    else:
        from embedlab.registry import DEFAULT_SPACE

        st.warning(md_literal(
            f"The link asks for a space called {wanted!r}, which is not bundled, saved or uploaded in this "
            f"session; showing {state.space_name or DEFAULT_SPACE} instead. Pick one in the space list."))


def _write_space_param(name: str) -> None:
    state = app_state()
    state.url_space = name
    if st.query_params.get(SPACE_PARAM) != name:
        st.query_params[SPACE_PARAM] = name


def _picked(key: str) -> None:
    """The picker's on_change: the user's choice becomes the shared state (before the page reruns)."""
    app_state().space_name = widget_value(key)


def space_picker(label: str = "Embedding space", key: str = "space_picker", sidebar: bool = True
                 ) -> EmbeddingSpace:
    """A selectbox over all spaces, bound to the shared state and the ``?space=`` URL parameter.

    The user's pick is stored by the widget's ``on_change`` callback, so it survives the rerun and the next
    page; when something else changed the shared state (an upload, a delete, a link), the widget follows.
    """
    _apply_space_param()
    state = app_state()
    names = space_choices()
    if state.space_name not in names:
        names = [state.space_name, *names]
    where = st.sidebar if sidebar else st
    # Always seed the widget from the shared state (the user's pick got there first, through _picked): a
    # widget kept from the previous page without a value of its own is drawn at its first option.
    set_widget(key, state.space_name)
    where.selectbox(label, names, key=key, on_change=_picked, args=(key,))
    space = current_space()
    _write_space_param(space.name)
    return space


def add_session_space(space: EmbeddingSpace, select: bool = True) -> None:
    """Keep a space for this session (upload, debiased copy, ...) without losing earlier ones."""
    state = app_state()
    state.session_spaces[space.name] = space
    if select:
        state.space_name = space.name


@contextmanager
def user_errors():
    """Show embedlab errors as a sentence with ``st.error`` instead of a traceback (shown literally)."""
    try:
        yield
    except EmbedlabError as exc:
        st.error(md_literal(str(exc)))

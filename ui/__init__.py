"""Streamlit-side helpers shared by the pages (state accessor, cached loaders, error display).

Only this package and ``pages/`` import streamlit; ``embedlab/`` stays UI-free.
"""


def _leave_pages_directory_mode() -> None:
    """Make a direct link (``/map``) on a freshly started server go through ``app.py``'s navigation.

    Until ``app.py`` has run once, Streamlit treats ``pages/`` as an old-style page folder and runs the page
    file alone (plain file names in the sidebar, no wide layout). Every page imports ``ui``, so the first
    such run switches that mode off and reruns, which routes through ``st.navigation`` as usual.
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # pragma: no cover - streamlit moved it
        return
    if PagesManager.uses_pages_directory:
        import streamlit as st

        PagesManager.uses_pages_directory = False
        st.rerun()


_leave_pages_directory_mode()

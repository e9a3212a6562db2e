"""Streamlit-side helpers shared by the pages (state accessor, cached loaders, error display).

Only this package, ``app_pages/`` and ``app.py`` import streamlit; ``embedlab/`` stays UI-free.

The page files live in ``app_pages/``, not ``pages/``: a ``pages/`` folder beside ``app.py`` switches a fresh
server into Streamlit's legacy page-folder mode until ``st.navigation`` first runs, so the first view of a
direct link showed raw file names and the page without ``app.py``'s frame.
"""

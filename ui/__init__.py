"""Streamlit-side helpers shared by the pages (state accessor, cached loaders, error display).

Only this package and ``pages/`` import streamlit; ``embedlab/`` stays UI-free.
"""

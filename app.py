"""embedlab app: the router. Run with `bash dev.sh app` (or `streamlit run app.py`)."""

import streamlit as st

import embedlab  # noqa: F401  (sets torch-friendly thread defaults before any page imports torch)
from ui import presenter, share
from ui.guard import page_guard

st.set_page_config(page_title="embedlab", page_icon="🧭", layout="wide")

SECTIONS = {
    "Explore": [
        st.Page("app_pages/home.py", title="Home", icon="🏠", default=True),
        st.Page("app_pages/lessons.py", title="Lessons", icon="🎓", url_path="lessons"),
        st.Page("app_pages/map.py", title="Map", icon="🗺️"),
        st.Page("app_pages/neighbours.py", title="Neighbours & analogies", icon="🔎"),
    ],
    "Train": [st.Page("app_pages/train.py", title="Train your own", icon="🏋️")],
    "Context": [
        st.Page("app_pages/polysemy.py", title="Polysemy explorer", icon="🏦"),
        st.Page("app_pages/sentences.py", title="Sentence lab", icon="💬"),
    ],
    "Measure": [st.Page("app_pages/bias.py", title="Bias lab", icon="⚖️"),
                st.Page("app_pages/compare.py", title="Compare spaces", icon="↔️")],
    "Images": [st.Page("app_pages/images.py", title="Image embeddings", icon="🖼️")],
    "Apply": [st.Page("app_pages/use.py", title="Use embeddings", icon="🧰")],
    "Graphs": [st.Page("app_pages/graphs.py", title="Graphs", icon="🕸️")],
}

page = st.navigation(SECTIONS)
with page_guard():  # a bug in any page: a sentence and a closed traceback, not Streamlit's traceback
    share.entering(page.url_path)  # links into a page are honoured even if this session saw the values before
    presenter.toggle()  # sidebar switch on every page (?presenter=1)
    page.run()

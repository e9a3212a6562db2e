"""embedlab app: the router. Run with `bash dev.sh app` (or `streamlit run app.py`)."""

import streamlit as st

import embedlab  # noqa: F401  (sets torch-friendly thread defaults before any page imports torch)
from ui import presenter, share

st.set_page_config(page_title="embedlab", page_icon="🧭", layout="wide")

SECTIONS = {
    "Explore": [
        st.Page("pages/home.py", title="Home", icon="🏠", default=True),
        st.Page("pages/lessons.py", title="Lessons", icon="🎓", url_path="lessons"),
        st.Page("pages/map.py", title="Map", icon="🗺️"),
        st.Page("pages/neighbours.py", title="Neighbours & analogies", icon="🔎"),
    ],
    "Train": [st.Page("pages/train.py", title="Train your own", icon="🏋️")],
    "Context": [
        st.Page("pages/polysemy.py", title="Polysemy explorer", icon="🏦"),
        st.Page("pages/sentences.py", title="Sentence lab", icon="💬"),
    ],
    "Measure": [st.Page("pages/bias.py", title="Bias lab", icon="⚖️"),
                st.Page("pages/compare.py", title="Compare spaces", icon="↔️")],
    "Images": [st.Page("pages/images.py", title="Image embeddings", icon="🖼️")],
    "Apply": [st.Page("pages/use.py", title="Use embeddings", icon="🧰")],
    "Graphs": [st.Page("pages/graphs.py", title="Graphs", icon="🕸️")],
}

page = st.navigation(SECTIONS)
share.entering(page.url_path)  # links into a page are honoured even if this session saw the values before
presenter.toggle()  # sidebar switch on every page (?presenter=1)
page.run()

"""embedlab app: the router. Run with `bash dev.sh app` (or `streamlit run app.py`)."""

import streamlit as st

st.set_page_config(page_title="embedlab", page_icon="🧭", layout="wide")

SECTIONS = {
    "Explore": [
        st.Page("pages/home.py", title="Home", icon="🏠", default=True),
        st.Page("pages/map.py", title="Map", icon="🗺️"),
        st.Page("pages/neighbours.py", title="Neighbours & analogies", icon="🔎"),
    ],
    "Measure": [st.Page("pages/bias.py", title="Bias lab", icon="⚖️")],
    "Train": [st.Page("pages/train.py", title="Train your own", icon="🏋️")],
    "Context": [st.Page("pages/polysemy.py", title="Polysemy explorer", icon="🏦"),
                st.Page("pages/sentences.py", title="Sentence lab", icon="💬")],
    "Images": [st.Page("pages/images.py", title="Image embeddings", icon="🖼️")],
    # other sections (Train, Contextual, Bias, Images) add their pages here
}

st.navigation(SECTIONS).run()

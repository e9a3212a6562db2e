"""embedlab app: the router. Run with `bash dev.sh app` (or `streamlit run app.py`)."""

import streamlit as st

st.set_page_config(page_title="embedlab", page_icon="🧭", layout="wide")

SECTIONS = {
    "Explore": [
        st.Page("pages/home.py", title="Home", icon="🏠", default=True),
        st.Page("pages/map.py", title="Map", icon="🗺️"),
        st.Page("pages/neighbours.py", title="Neighbours & analogies", icon="🔎"),
    ],
    # other sections (Train, Contextual, Bias, Images) add their pages here
}

st.navigation(SECTIONS).run()

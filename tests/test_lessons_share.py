"""Shareable state (ui/share.py): a URL value seeds a widget, the widget keeps the URL in step, and a bad
value is refused with a message instead of an exception."""

from __future__ import annotations

from conftest import ROOT
from streamlit.testing.v1 import AppTest


def _script():
    import streamlit as st

    from ui.share import as_bool, bind

    bind("q", "t_query", default="king")
    st.text_input("Query", key="t_query")
    bind("proj", "t_proj", default="pca", options=["pca", "umap"])
    st.radio("Projection", ["pca", "umap"], key="t_proj")
    bind("k", "t_k", default=10, parse=int)
    st.slider("k", 1, 50, key="t_k")
    bind("labels", "t_labels", default=False, parse=as_bool)
    st.checkbox("Labels", key="t_labels")


def _app(**params) -> AppTest:
    import sys

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    at = AppTest.from_function(_script, default_timeout=30)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def _url(at: AppTest) -> dict:
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def test_link_values_seed_the_widgets():
    at = _app(q="king - man + woman", proj="umap", k="3", labels="1")
    assert not at.exception
    assert at.text_input(key="t_query").value == "king - man + woman"
    assert at.radio(key="t_proj").value == "umap"
    assert at.slider(key="t_k").value == 3
    assert at.checkbox(key="t_labels").value is True
    assert not at.warning


def test_defaults_without_a_link_and_url_follows_changes():
    at = _app()
    assert at.text_input(key="t_query").value == "king"
    assert _url(at)["q"] == "king"
    at.text_input(key="t_query").set_value("queen").run()
    at.radio(key="t_proj").set_value("umap").run()
    url = _url(at)
    assert url["q"] == "queen" and url["proj"] == "umap" and url["k"] == "10"


def test_user_change_is_not_undone_by_the_old_link_value():
    at = _app(q="paris")
    at.text_input(key="t_query").set_value("rome").run()
    at.run()
    assert at.text_input(key="t_query").value == "rome"
    assert _url(at)["q"] == "rome"


def test_bad_values_are_refused_with_a_message():
    at = _app(proj="<b>nonsense</b>", k="many", labels="perhaps")
    assert not at.exception
    assert at.radio(key="t_proj").value == "pca"
    assert at.slider(key="t_k").value == 10
    assert at.checkbox(key="t_labels").value is False
    texts = " ".join(w.value for w in at.warning)
    assert "proj" in texts and "many" in texts and "labels" in texts and "<b>" not in texts
    assert _url(at)["proj"] == "pca"  # the URL now reproduces what is shown


def _two_pages():
    import streamlit as st

    from ui.share import bind

    key = "a_proj" if st.session_state.get("on_page_a", True) else "b_proj"
    bind("proj", key, default="pca", options=["pca", "umap"])
    st.radio("Projection", ["pca", "umap"], key=key)


def test_a_link_reaches_a_second_page_using_the_same_parameter():
    at = AppTest.from_function(_two_pages, default_timeout=30)
    at.query_params["proj"] = "umap"
    at.run()
    assert at.radio(key="a_proj").value == "umap"
    at.session_state["on_page_a"] = False  # the same link value now opens page B
    at.run()
    assert at.radio(key="b_proj").value == "umap"


def test_an_overlong_link_value_is_ignored_with_a_message_naming_the_cap():
    from ui.share import MAX_PARAM_CHARS

    at = _app(q="king " * 20_480, k="3")
    assert not at.exception
    assert at.text_input(key="t_query").value == "king"  # the default
    assert at.slider(key="t_k").value == 3  # other values of the link still apply
    [warning] = at.warning
    assert "102,400 characters" in warning.value and f"at most {MAX_PARAM_CHARS:,}" in warning.value
    assert _url(at)["q"] == "king"  # the URL now holds what the page shows
    at.run()
    assert not at.warning


def test_an_overlong_space_in_the_link_is_ignored_with_a_message():
    from conftest import open_page

    at = open_page("neighbours", run=False)
    at.query_params["space"] = "x" * 102_400
    at.run()
    assert not at.exception
    assert any("102,400 characters" in w.value for w in at.warning)
    assert _url(at)["space"] == "glove-50d"

"""The last line of defence (ui/guard.py, app.py): a bug in a page is a sentence plus a closed traceback,
an embedlab error a sentence, and Streamlit's own control flow (rerun, stop) still works through it."""

from __future__ import annotations

from conftest import ROOT, shown
from streamlit.testing.v1 import AppTest


def _boom(*_args, **_kwargs):
    raise TypeError("boom in *space_summary* <b>")


def test_a_bug_in_a_page_is_a_sentence_and_a_closed_traceback(monkeypatch):
    import embedlab.catalog

    monkeypatch.setattr(embedlab.catalog, "space_summary", _boom)
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.run()
    assert not app.exception
    [error] = [e.value for e in app.error]
    assert "did not expect (TypeError: boom in *space_summary* <b>)" in shown(error)
    [details] = [x for x in app.expander if x.label == "Details for a bug report"]
    [code] = details.code
    assert "Traceback (most recent call last)" in code.value
    assert "TypeError: boom in *space_summary* <b>" in code.value and "embedlab 0." in code.value
    assert app.header[0].value == "Choose a space"  # the page ran up to the bug


def test_an_embedlab_error_outside_user_errors_is_a_sentence(monkeypatch):
    import embedlab.catalog
    from embedlab.errors import InvalidParameterError

    def refuse(*_args, **_kwargs):
        raise InvalidParameterError("that space is *odd*")

    monkeypatch.setattr(embedlab.catalog, "space_summary", refuse)
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.run()
    assert not app.exception
    assert [shown(e.value) for e in app.error] == ["that space is *odd*"]
    assert not [x for x in app.expander if x.label == "Details for a bug report"]


def _control_flow_script():
    import streamlit as st

    from ui.guard import page_guard

    st.session_state["runs"] = st.session_state.get("runs", 0) + 1
    with page_guard():
        if st.session_state["runs"] == 1:
            try:
                st.rerun()
            except BaseException as exc:  # what st.rerun() raises must not be an Exception
                st.session_state["rerun_is_exception"] = isinstance(exc, Exception)
                raise
        st.text(f"run {st.session_state['runs']}")
        st.stop()
        st.text("after stop")


def test_rerun_and_stop_pass_through_the_guard():
    app = AppTest.from_function(_control_flow_script, default_timeout=60)
    app.run()
    assert not app.exception and not app.error
    assert app.session_state["runs"] == 2
    assert app.session_state["rerun_is_exception"] is False
    assert [t.value for t in app.text] == ["run 2"]

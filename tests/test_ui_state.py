"""ui/state.py: one accessor, keyed by type — ``page_state(<Name>Page)`` is this session's one instance."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _script():
    from dataclasses import dataclass

    import streamlit as st

    from ui.state import page_state

    @dataclass
    class CounterPage:  # defined afresh on every run, as a page's file is
        runs: int = 0

    @dataclass
    class OtherPage:
        runs: int = 0

    page = page_state(CounterPage)
    page.runs += 1
    assert page_state(CounterPage) is page
    st.text(f"{page.runs} {page_state(OtherPage).runs}")


def test_page_state_is_one_instance_per_class_for_the_session():
    at = AppTest.from_function(_script, default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]
    at.run()
    at.run()
    assert at.text[0].value == "3 0"  # the class object is new on every run; its state is not
    assert set(at.session_state["_embedlab_state"].pages) == {"CounterPage", "OtherPage"}


def test_a_new_session_starts_afresh():
    first = AppTest.from_function(_script, default_timeout=30).run()
    first.run()
    second = AppTest.from_function(_script, default_timeout=30).run()
    assert second.text[0].value == "1 0"

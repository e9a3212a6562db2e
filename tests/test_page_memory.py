"""Widgets that are remembered while the user visits other pages (``persist_state="session"``), through the
real router (``app.py``): the Neighbours query and odd-one-out words, every Map control."""

from __future__ import annotations

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.slow


def _go(at: AppTest, page: str) -> AppTest:
    at.query_params.clear()  # the browser drops the query string when the user follows the page menu
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_neighbours_and_map_inputs_survive_a_visit_to_another_page():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    _go(at, "neighbours")
    at.text_input(key="nb_query").set_value("paris").run()
    at.text_input(key="nb_odd").set_value("apple pear plum car").run()
    _go(at, "map")
    at.radio(key="map_mode").set_value("query").run()
    at.text_input(key="map_query").set_value("rome").run()
    at.slider(key="map_k").set_value(20).run()
    at.selectbox(key="map_method").set_value("axes").run()
    at.text_input(key="map_x_from").set_value("cold").run()
    _go(at, "lessons")
    _go(at, "neighbours")
    assert at.text_input(key="nb_query").value == "paris"
    assert at.text_input(key="nb_odd").value == "apple pear plum car"
    assert at.query_params["q"] == "paris"  # the URL shows it again
    _go(at, "map")
    assert at.radio(key="map_mode").value == "query" and at.text_input(key="map_query").value == "rome"
    assert at.slider(key="map_k").value == 20 and at.text_input(key="map_x_from").value == "cold"


def test_a_link_still_wins_over_a_remembered_value():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    _go(at, "neighbours")
    at.text_input(key="nb_query").set_value("paris").run()
    _go(at, "lessons")
    at.query_params["q"] = "rome"
    at.switch_page("app_pages/neighbours.py").run()
    assert at.text_input(key="nb_query").value == "rome"

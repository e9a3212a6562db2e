"""A bookmarked page URL on a freshly started server still gets embedlab's navigation (real browser)."""

from __future__ import annotations

import pytest
from browser_util import browser, run_app  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_direct_link_on_fresh_server_routes_through_app(browser, tmp_path):  # noqa: F811 - fixture
    with run_app(env={"EMBEDLAB_HOME": str(tmp_path)}, log=tmp_path / "streamlit.log") as url:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.set_default_timeout(120_000)
        page.goto(f"{url}/neighbours")  # nobody has opened "/" on this server yet
        page.get_by_text("Odd one out").first.wait_for()
        nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
        page.close()
    assert "Neighbours & analogies" in nav and "Explore" in nav, nav
    assert "neighbours\n" not in nav.lower().replace("neighbours & analogies", ""), "plain file names shown"

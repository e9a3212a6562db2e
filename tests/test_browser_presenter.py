"""In the real browser, presenter mode makes tables readable from the back of a room.

Streamlit draws ``st.dataframe`` on a canvas, so the presenter CSS that enlarges text cannot reach it; the
table is zoomed instead, inside its own column. The user turns presenter mode on with the sidebar switch.
"""

from __future__ import annotations

import pytest
from browser_util import app_url, browser, settle  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WAIT_MS = 120_000


def test_presenter_mode_enlarges_tables_within_their_column(browser, app_url):  # noqa: F811
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    page.set_default_timeout(WAIT_MS)
    try:
        page.goto(f"{app_url}/neighbours?word=king")
        settle(page)
        table = page.locator('[data-testid="stDataFrame"]').first
        plot = page.locator(".js-plotly-plot").first
        plot.wait_for()
        before = table.bounding_box()
        page.locator('[data-testid="stSidebar"]').get_by_text("Presenter mode").click()
        settle(page)
        grown = ("h => { const t = document.querySelector('[data-testid=\"stDataFrame\"]');"
                 " return t && t.getBoundingClientRect().height > h * 1.2; }")
        page.wait_for_function(grown, arg=before["height"])
        after, beside = table.bounding_box(), plot.bounding_box()
        assert after["height"] == pytest.approx(1.4 * before["height"], rel=0.05)  # same rows, 1.4x larger
        assert after["x"] + after["width"] <= beside["x"] + 1  # still inside its column: the plot is clear
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        ctx.close()

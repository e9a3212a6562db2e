"""The real thing: `streamlit run app.py` driven by headless Chromium (Playwright).

Screenshots go to ``artifacts/browser/`` (home.png, neighbours.png, analogy.png, map.png).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_util import ROOT, app_url, browser  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = ROOT / "artifacts" / "browser"
WAIT_MS = 120_000


@pytest.fixture(scope="module")
def page(browser, app_url):  # noqa: F811 - fixtures
    ctx = browser.new_context(viewport={"width": 1400, "height": 950})
    p = ctx.new_page()
    p.set_default_timeout(WAIT_MS)
    p.goto(app_url)
    p.get_by_text("Choose a space").wait_for()
    yield p
    ctx.close()


def _open_neighbours(page, url: str) -> None:
    """Open the Neighbours page and wait until it has finished its first run."""
    page.goto(f"{url}/neighbours")
    page.get_by_role("textbox", name="Word or expression").wait_for()
    _settled(page)


def _shot(page, name: str, height: int = 950) -> Path:
    """Screenshot of the viewport (Streamlit scrolls inside the page, so a taller viewport shows more)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / name
    page.set_viewport_size({"width": 1400, "height": height})
    page.wait_for_timeout(1000)  # let Plotly finish drawing
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": 1400, "height": 950})
    return path


def _settled(page) -> None:
    """Wait until Streamlit has finished the current run (no 'Running…' status widget)."""
    page.wait_for_timeout(300)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=WAIT_MS)


def _query(page, text: str) -> None:
    box = page.get_by_role("textbox", name="Word or expression")
    box.fill(text)
    box.press("Enter")
    _settled(page)


def test_home_opens_on_glove(page, app_url):  # noqa: F811
    page.goto(app_url)
    page.get_by_text("Choose a space").wait_for()
    page.locator('[data-testid="stMetricValue"]', has_text="400,000").wait_for()
    _settled(page)
    assert _shot(page, "home.png", height=2000).stat().st_size > 10_000
    assert page.locator('[data-testid="stException"]').count() == 0


def test_neighbours_typing_king_shows_queen(page, app_url):  # noqa: F811
    _open_neighbours(page, app_url)
    _query(page, "paris")
    page.locator(".js-plotly-plot text", has_text="france").first.wait_for()
    _query(page, "king")
    page.locator(".js-plotly-plot text", has_text="queen").first.wait_for()
    assert "queen" in page.inner_text("body")
    _shot(page, "neighbours.png")


def test_analogy_draws_the_parallelogram(page, app_url):  # noqa: F811
    _open_neighbours(page, app_url)
    _query(page, "king - man + woman")
    page.locator(".js-plotly-plot text", has_text="woman").first.wait_for()
    assert page.locator(".js-plotly-plot text", has_text="queen").count() >= 1
    _shot(page, "analogy.png")


def test_unknown_word_is_a_message(page, app_url):  # noqa: F811
    _open_neighbours(page, app_url)
    _query(page, "kingg")
    alert = page.locator('[data-testid="stAlertContentError"]').first
    alert.wait_for()
    assert "Did you mean" in alert.inner_text()
    assert page.locator('[data-testid="stException"]').count() == 0


def test_map_shows_points_trustworthiness_and_box_selection(page, app_url):  # noqa: F811
    page.goto(f"{app_url}/map")  # the 5,000 most frequent words: past Plotly's share, the point map
    plot = page.locator("[data-testid=embedlab-pointmap][data-ready]").first
    plot.wait_for()
    assert plot.get_attribute("data-points") == "5000"
    page.get_by_text("Trustworthiness").first.wait_for()
    _settled(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.get_by_role("button", name="▭ Box select").click()
    box = plot.locator(".pm-stage").first.bounding_box()
    x0, y0 = box["x"] + box["width"] * 0.35, box["y"] + box["height"] * 0.35
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move(x0 + box["width"] * 0.3, y0 + box["height"] * 0.3, steps=8)
    page.mouse.up()
    page.get_by_text("Nearest neighbours of").wait_for()
    _settled(page)
    assert page.locator('[data-testid="stMarkdown"]', has_text="selected").count() >= 1
    _shot(page, "map.png", height=1500)

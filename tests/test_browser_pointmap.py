"""The whole space on one map, in a real browser (issue 25): every point drawn by the point map, region names
that refine with zoom, a word searched and flown to, a lasso listing its words, hover text shown literally.

Screenshots go to ``artifacts/browser/`` (map-all.png zoomed out, map-all-zoomed.png zoomed in).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pytest
from browser_util import ROOT, app_url, browser, settle  # noqa: F401 - fixtures
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WAIT_MS = 240_000
MAP = "[data-testid=embedlab-pointmap]"
SHOTS = ROOT / "artifacts" / "browser"
ODD = "<b>bold</b>"


@pytest.fixture(scope="module")
def page(browser, app_url):  # noqa: F811 - fixtures
    ctx = browser.new_context(viewport={"width": 1400, "height": 1100})
    p = ctx.new_page()
    p.set_default_timeout(WAIT_MS)
    yield p
    ctx.close()


@pytest.fixture(scope="module")
def odd_space_saved():
    """2,500 points (past Plotly's share) around one whose key is markup."""
    from embedlab import workspace
    from embedlab.space import EmbeddingSpace

    rng = np.random.default_rng(0)
    keys = [ODD] + [f"w{i}" for i in range(2499)]
    workspace.save(EmbeddingSpace(keys, rng.normal(size=(2500, 8)).astype(np.float32), name="odd25"), "odd25")
    return "odd25"


def _drawn(page, url: str):
    """Open ``url`` and wait until the point map has drawn and the page's run has finished."""
    page.goto(url)
    page.locator(f"{MAP}[data-ready]").wait_for()
    settle(page, WAIT_MS)
    return page.locator(MAP).first


def _attr(m, name: str) -> float:
    return float(m.get_attribute(name))


def _shot(page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(800)  # the density contours follow a view 150 ms after it settles
    page.screenshot(path=str(SHOTS / name))
    return SHOTS / name


def test_every_glove_word_is_drawn_zoomed_searched_and_lassoed(page, app_url):  # noqa: F811
    m = _drawn(page, f"{app_url}/map?mode=all")
    assert m.get_attribute("data-points") == "400000"
    assert m.get_attribute("data-drawn") == "400000", "every word rasterised in the first frame"
    assert _attr(m, "data-zoom") == pytest.approx(1.0)
    assert _attr(m, "data-level") == 0 and _attr(m, "data-labels") >= 3, "coarse region names shown"
    assert page.get_by_text("cluster 1: ").count() >= 1, "the legend names the clusters"
    assert page.locator('[data-testid="stException"]').count() == 0
    _shot(page, "map-all.png")

    stage = page.locator(f"{MAP} .pm-stage").first.bounding_box()
    cx, cy = stage["x"] + stage["width"] / 2, stage["y"] + stage["height"] / 2
    page.mouse.move(cx, cy)
    for _ in range(8):
        page.mouse.wheel(0, -200)
    expect(m).to_have_attribute("data-level", re.compile("[2-9]"), timeout=WAIT_MS)
    assert _attr(m, "data-zoom") > 4 and _attr(m, "data-labels") >= 1, "finer region names once zoomed in"
    assert 0 < _attr(m, "data-drawn") < 400_000, "zoomed in, only the points in view are drawn"
    _shot(page, "map-all-zoomed.png")

    box = page.get_by_role("textbox", name="Find and highlight words")
    box.fill("king")
    box.press("Enter")
    settle(page, WAIT_MS)
    expect(m).to_have_attribute("data-zoom", re.compile(r"^(2\d|[3-9]\d|\d{3,})\."), timeout=WAIT_MS)

    page.get_by_role("button", name="◌ Lasso select").click()
    page.mouse.move(cx - 40, cy - 40)
    page.mouse.down()
    for x, y in [(cx + 40, cy - 40), (cx + 40, cy + 40), (cx - 40, cy + 40), (cx - 40, cy - 35)]:
        page.mouse.move(x, y, steps=4)
    page.mouse.up()
    page.get_by_text("Nearest neighbours of").wait_for()
    settle(page, WAIT_MS)
    listed = page.locator('[data-testid="stCaptionContainer"]', has_text="Selected: ").first.inner_text()
    assert "king" in listed.split("Selected: ", 1)[1].split(", ")
    assert page.locator('[data-testid="stMarkdown"]', has_text="selected").count() >= 1


def test_hover_shows_a_word_with_markup_literally(page, app_url, odd_space_saved):  # noqa: F811
    m = _drawn(page, f"{app_url}/map?space={odd_space_saved}&mode=all&highlight={quote(ODD)}")
    assert m.get_attribute("data-points") == "2500"
    page.wait_for_timeout(500)
    stage = page.locator(f"{MAP} .pm-stage").first.bounding_box()
    page.mouse.move(stage["x"] + stage["width"] / 2 + 1, stage["y"] + stage["height"] / 2)
    tip = page.locator(f"{MAP} .pm-tip").first
    tip.wait_for(state="visible")
    assert tip.inner_text().split("\n")[0] == ODD
    assert tip.locator("b").count() == 0, "markup in a word is shown, not rendered"

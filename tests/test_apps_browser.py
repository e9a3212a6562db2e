"""The "Use embeddings" page in Chromium: every tab opens on bundled data and shows its result.

Screenshots go to ``artifacts/browser/use-*.png`` (the ones in ``docs/screenshots/`` were taken the same way).
"""

from __future__ import annotations

import pytest
from browser_util import ROOT, app_url, browser  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = ROOT / "artifacts" / "browser"
WAIT_MS = 300_000


@pytest.fixture(scope="module")
def page(browser, app_url):  # noqa: F811 - fixtures
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    p = ctx.new_page()
    p.set_default_timeout(WAIT_MS)
    p.goto(f"{app_url}/use")
    p.get_by_role("tab", name="Classify").wait_for()
    yield p
    ctx.close()


def _settled(page) -> None:
    page.wait_for_timeout(500)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=WAIT_MS)


def _open(page, tab: str, expect: str, name: str) -> None:
    page.get_by_role("tab", name=tab).click()
    page.get_by_text(expect, exact=False).first.wait_for()
    _settled(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name))


@pytest.mark.parametrize(
    ("tab", "expect"),
    [
        ("Classify", "One split in detail"),
        ("Search", "Semantic (MiniLM)"),
        ("Recommend", "this one"),
        ("Summarise", "Download the summary"),
        ("Probe", "The learned direction"),
        ("Benefits", "One-hot matrix (float32)"),
    ],
)
def test_every_tab_shows_its_result(page, tab, expect):
    _open(page, tab, expect, f"use-{tab.lower()}.png")

"""Screenshots for the docs: the Lessons page top to bottom, a shared link opened in a fresh browser, and
presenter mode. Starts the app on a free port, drives headless Chromium, writes ``docs/screenshots/*.png``.

    python scripts/lessons_screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser_util import CHROMIUM, CHROMIUM_ARGS, run_app, settle  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SHARED = "neighbours?q=king+-+man+%2B+woman"


def idle(page) -> None:
    """Wait until the script run is over and the page has drawn."""
    settle(page)
    page.wait_for_timeout(1500)


def whole_page(page, path: Path) -> None:
    """Screenshot the whole main column: grow the viewport to its scroll height first."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": int(height) + 40})
    page.wait_for_timeout(1500)
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": 1400, "height": 900})


def fresh(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    page = ctx.new_page()
    page.set_default_timeout(180_000)
    return ctx, page


def main() -> int:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with run_app(env={"EMBEDLAB_HOME": tempfile.mkdtemp(prefix="embedlab-shots-")}) as url, \
            sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        ctx, page = fresh(browser)
        page.goto(f"{url}/lessons")
        page.get_by_text("9. Latest advancements").first.wait_for()
        for button, result in (("Compare with the transformer", "(transformer)"),
                               ("Embed and cluster", "ARI")):
            page.get_by_role("button", name=button).click()
            page.get_by_text(result).first.wait_for(state="attached")
            idle(page)
        whole_page(page, OUT / "lessons.png")
        ctx.close()

        ctx, page = fresh(browser)  # a fresh browser session opens a shared link
        page.goto(f"{url}/{SHARED}")
        page.get_by_text("is drawn next to").first.wait_for()
        idle(page)
        page.screenshot(path=str(OUT / "shared-link.png"))
        ctx.close()

        ctx, page = fresh(browser)
        page.goto(f"{url}/{SHARED}&presenter=1")
        page.get_by_text("is drawn next to").first.wait_for()
        idle(page)
        page.screenshot(path=str(OUT / "presenter.png"))
        ctx.close()
        browser.close()
    for name in ("lessons", "shared-link", "presenter"):
        print(OUT / f"{name}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Screenshots of the Compare page on bundled data (docs/screenshots/compare-*.png; ``--only map``: the Map
A → B tab on the English → French demo and its bilingual map alone, compare-bilingual-map.png).

Usage: ``EMBEDLAB_HOME=... python scripts/screenshot_compare.py`` with the spaces of the bundled demo
saved (``embedlab slices --bundled --prefix demo``, ``embedlab train word2vec --corpus dictionary --out
dict-sg``); needs /usr/bin/chromium and playwright.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser_util import CHROMIUM, CHROMIUM_ARGS, run_app  # noqa: E402


def _choose(page, label: str, value: str, nth: int = 0) -> None:
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).nth(nth)
    box.click()
    page.keyboard.type(value)
    page.keyboard.press("Enter")
    page.wait_for_timeout(800)


def _settle(page, extra_ms: int = 1500) -> None:
    page.wait_for_timeout(500)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=600_000)
    page.wait_for_timeout(extra_ms)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    ap.add_argument("--only", default="moved,demo,dynamic,map,slices")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    only = set(args.only.split(","))
    from playwright.sync_api import sync_playwright

    with run_app(env={"EMBEDLAB_HOME": os.environ["EMBEDLAB_HOME"]}) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 2300})
        page.set_default_timeout(600_000)
        page.goto(url)
        page.get_by_text("Choose a space").wait_for()
        page.goto(f"{url}/compare")
        page.get_by_text("Compare spaces").first.wait_for()
        _settle(page)
        if "moved" in only:  # the bundled pair: GloVe vs word2vec GoogleNews
            page.get_by_role("button", name="Align and compare").click()
            page.get_by_text("Mean cosine after alignment").wait_for()
            _settle(page, 3000)
            page.screenshot(path=str(out / "compare-glove-vs-word2vec.png"), full_page=True)
        if "demo" in only:  # the bundled demo slices, trained and saved beforehand
            _choose(page, "Space A", "demo-dictionary")
            _choose(page, "Space B", "demo-encyclopedia-news")
            page.get_by_role("button", name="Align and compare").click()
            page.get_by_text("Mean cosine after alignment").wait_for()
            _settle(page, 3000)
            page.screenshot(path=str(out / "compare-dictionary-vs-encyclopedia.png"), full_page=True)
        if "dynamic" in only:
            page.get_by_role("tab", name="Static vs dynamic").click()
            _choose(page, "Base space", "dict-sg")
            page.get_by_role("button", name="Continue training").click()
            page.get_by_text("stayed put").wait_for()
            _settle(page, 2000)
            page.screenshot(path=str(out / "compare-static-vs-dynamic.png"), full_page=True)
        if "map" in only:  # the English → French demo, opened by its link (which fits it)
            page.goto(f"{url}/compare?tab=Map&a=word2vec-gnews-bolukbasi&b=fasttext-fr-300d")
            page.get_by_text("Words the map gets wrong, and why").wait_for()
            page.locator(".js-plotly-plot text", has_text="roi").first.wait_for()  # the bilingual map drawn
            _settle(page, 3000)
            page.screenshot(path=str(out / "compare-map.png"), full_page=True)
            chart = page.locator('[data-testid="stPlotlyChart"]').first
            chart.scroll_into_view_if_needed()
            _settle(page, 1000)
            chart.screenshot(path=str(out / "compare-bilingual-map.png"))
        if "slices" in only:
            page.get_by_role("tab", name="Slices & trajectories").click()
            page.get_by_role("button", name="Train one space per slice").click()
            page.get_by_text("Words to follow").wait_for()
            _settle(page, 3000)
            page.screenshot(path=str(out / "compare-slices.png"), full_page=True)
        browser.close()
    print(f"wrote screenshots to {out}")


if __name__ == "__main__":
    main()

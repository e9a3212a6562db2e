"""Take the README screenshot: the app's Neighbours page on `king - man + woman`.

Usage: ``python scripts/screenshot.py [--out docs/screenshot.png]`` (needs /usr/bin/chromium and playwright).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser_util import CHROMIUM, CHROMIUM_ARGS, run_app  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshot.png"))
    ap.add_argument("--query", default="king - man + woman")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    env = {"EMBEDLAB_HOME": os.environ.get("EMBEDLAB_HOME") or tempfile.mkdtemp(prefix="embedlab-shot-")}
    with run_app(env=env) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.set_default_timeout(120_000)
        page.goto(url)  # the router first (a fresh server asked for /neighbours first skips app.py)
        page.get_by_text("Choose a space").wait_for()
        page.goto(f"{url}/neighbours")
        box = page.get_by_role("textbox", name="Word or expression")
        box.fill(args.query)
        box.press("Enter")
        last = args.query.replace("+", " ").replace("-", " ").split()[-1]
        page.locator(".js-plotly-plot text", has_text=last).first.wait_for()  # the new picture is drawn
        page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached")
        page.wait_for_timeout(1500)
        page.screenshot(path=args.out)
        browser.close()
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()

"""Lessons first-render benchmark: start the app, open /lessons in headless Chromium, time until all nine
sections are on screen.

Usage::

    python benchmarks/bench_lessons.py            # 1 cold visit + 5 warm visits (new browser context each)
    python benchmarks/bench_lessons.py --warm 10

"Cold" is the first visit on a freshly started server (GloVe is loaded then); "warm" visits each open a
new browser context (a new Streamlit session, as a second student would) on the same server. The target
is a warm first render of at most 3 s. Timings are wall-clock on whatever machine runs it; note its load
when quoting them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _table import print_table  # the script folder is on sys.path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser_util import CHROMIUM, CHROMIUM_ARGS, run_app  # noqa: E402

TITLE = "Lessons: what are AI embeddings?"
LAST = "9. Latest advancements"


def visit(browser, url: str) -> tuple[float, float]:
    """Seconds from navigation start to the page title, and to the last lesson heading (a new session)."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    page = ctx.new_page()
    page.set_default_timeout(180_000)
    t = time.perf_counter()
    page.goto(f"{url}/lessons")
    page.get_by_text(TITLE).first.wait_for()
    title = time.perf_counter() - t
    page.get_by_text(LAST).first.wait_for()
    elapsed = time.perf_counter() - t
    ctx.close()
    return title, elapsed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--warm", type=int, default=5, help="warm visits (each a new session)")
    args = ap.parse_args(argv)
    import os

    from playwright.sync_api import sync_playwright

    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

    home = tempfile.mkdtemp(prefix="embedlab-bench-")
    with run_app(env={"EMBEDLAB_HOME": home}) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        cold = visit(browser, url)[1]
        warm = [visit(browser, url) for _ in range(args.warm)]
        browser.close()
    titles, lasts = [w[0] for w in warm], [w[1] for w in warm]
    print_table([
        ("cold: first visit on a fresh server", f"{cold:.2f} s", "loads GloVe 6B 50d"),
        (f"warm: new session, all nine sections, median of {len(warm)}", f"{statistics.median(lasts):.2f} s",
         "target ≤ 3 s"),
        ("warm: new session, all nine sections, slowest", f"{max(lasts):.2f} s", ""),
        ("warm: of which until the title shows (median)", f"{statistics.median(titles):.2f} s",
         "browser loads Streamlit's front end, session starts"),
        ("warm: from the title to the ninth section (median)",
         f"{statistics.median([b - a for a, b in warm]):.2f} s", "the Lessons page's own work"),
    ])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""What one browser spends on each page: CPU seconds of every Chromium process while a session opens the
app and then moves through the pages by their sidebar links, as a student does.

The server's share of a page is small (0.03-0.25 s a run on a warm server); on a machine without a GPU the
browser's own work (Streamlit's and Plotly's JavaScript, layout, drawing, WebGL emulated on the CPU)
dominates what a student waits for. Per page: seconds until drawn (Plotly charts included, see
``bench_classroom.settled``), CPU seconds of all Chromium processes (and of its GPU process, where WebGL
is emulated), and the main thread's JavaScript time (Chrome DevTools ``Performance.getMetrics``).
The median of ``--repeats`` passes, each in a fresh browser context (cold cache).

Usage::

    python benchmarks/bench_browser_cost.py
    python benchmarks/bench_browser_cost.py --repeats 5 --pages map,neighbours
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from _table import print_grid  # the script folder is on sys.path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("EMBEDLAB_HOME", tempfile.mkdtemp(prefix="embedlab-bench-"))

import bench_classroom as bc  # noqa: E402
from browser_util import CHROMIUM, CHROMIUM_ARGS, run_app  # noqa: E402


def chromium_cpu() -> dict[str, float]:
    """CPU seconds (user + system) so far of every Chromium process, summed by process type."""
    import psutil

    out: dict[str, float] = {}
    for p in psutil.process_iter(["name", "cmdline", "cpu_times"]):
        try:
            if "chrom" not in (p.info["name"] or ""):
                continue
            kind = next((a.split("=", 1)[1] for a in p.info["cmdline"] or [] if a.startswith("--type=")),
                        "browser")
            t = p.info["cpu_times"]
            out[kind] = out.get(kind, 0.0) + t.user + t.system
        except (psutil.Error, TypeError):
            continue
    return out


async def _script_s(cdp) -> float:
    metrics = (await cdp.send("Performance.getMetrics"))["metrics"]
    return next(m["value"] for m in metrics if m["name"] == "ScriptDuration")


async def one_pass(browser, url: str, pages: list[str]) -> list[tuple[float, float, float, float]]:
    """Open the app on ``pages[0]``, then each next page by its sidebar link: per page (seconds, CPU s,
    GPU-process CPU s, JavaScript s)."""
    ctx = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await ctx.new_page()
    page.set_default_timeout(bc.TIMEOUT_MS)
    cdp = await ctx.new_cdp_session(page)
    await cdp.send("Performance.enable")
    out = []
    for i, path in enumerate(pages):
        c0, j0, t0 = chromium_cpu(), await _script_s(cdp), time.monotonic()
        if i == 0:
            await page.goto(f"{url}/{path}")
            await bc.settled(page)
            dt = time.monotonic() - t0 - 0.5
        else:
            dt = await bc.navigate(page, path)
        c1, j1 = chromium_cpu(), await _script_s(cdp)
        cpu = sum(c1.values()) - sum(c0.values())
        out.append((dt, cpu, c1.get("gpu-process", 0.0) - c0.get("gpu-process", 0.0), j1 - j0))
    await ctx.close()
    return out


async def run(url: str, pages: list[str], repeats: int) -> list[list]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        await one_pass(browser, url, pages)  # warm the server: every page once
        passes = [await one_pass(browser, url, pages) for _ in range(repeats)]
        await browser.close()
    rows = []
    for i, path in enumerate(pages):
        med = np.median([p[i] for p in passes], axis=0)
        how = "first visit (new tab)" if i == 0 else "sidebar link"
        rows.append([path or "home", how, f"{med[0]:.2f}", f"{med[1]:.2f}", f"{med[2]:.2f}", f"{med[3]:.2f}"])
    total = np.median([sum(v[1] for v in p[1:]) for p in passes])
    rows.append(["all switches", "", "", f"{total:.2f}", "", ""])
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--pages", default=",".join(p or "home" for p in [*bc.PAGES, ""]),
                    help="comma-separated url paths, visited in this order (home = /)")
    args = ap.parse_args()
    pages = ["" if p == "home" else p for p in args.pages.split(",")]
    if any(a == b for a, b in zip(pages, pages[1:], strict=False)):
        ap.error("a page cannot follow itself (its sidebar link would change nothing)")
    log = Path(tempfile.mkdtemp(prefix="embedlab-browser-")) / "streamlit.log"
    with run_app(log=log) as url:
        rows = asyncio.run(run(url, pages, args.repeats))
    print(f"one Chromium session, median of {args.repeats} passes, each in a fresh context")
    print_grid(["page", "how", "drawn after s", "Chromium CPU s", "of which GPU process", "JavaScript s"],
               rows)


if __name__ == "__main__":
    main()

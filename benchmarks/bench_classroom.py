"""A classroom at once: N browser sessions against one `streamlit run app.py` server.

Drives N Chromium contexts (Playwright, /usr/bin/chromium) at the same time, as a class would:

1. every session opens a page (round-robin over the pages) — page render time until Streamlit has finished
   the run and the page's content is there;
2. every session opens Neighbours & analogies and types its own word — time from Enter until the answer
   (the neighbourhood plot titled with that word) is drawn;
3. the server's resident memory (its whole process tree) before the sessions and after them, per session.

The server is warmed first (one session visits every page), so the figures are for a warm server.
Chromium runs on the same machine as the server, so on a 2-core box the browsers compete with it: the
figures are an upper bound for a real classroom, where each student's browser runs on their own laptop.

Usage::

    python benchmarks/bench_classroom.py                 # 10 sessions
    python benchmarks/bench_classroom.py --sessions 6 --pages home,neighbours
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
from _table import print_table  # the script folder is on sys.path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("EMBEDLAB_HOME", tempfile.mkdtemp(prefix="embedlab-bench-"))

from browser_util import CHROMIUM, CHROMIUM_ARGS, run_app  # noqa: E402

PAGES = ["", "map", "neighbours", "train", "polysemy", "sentences", "bias", "images"]
WORDS = ["paris", "river", "computer", "music", "doctor", "ocean", "bread", "guitar", "winter", "garden",
         "science", "forest", "village", "engine", "coffee", "planet", "teacher", "mountain", "history",
         "summer", "camera", "island", "silver", "poetry", "library", "football", "kitchen", "airport",
         "medicine", "theatre"]
TIMEOUT_MS = 300_000


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(d.name))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo += children.get(p, [])
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


async def settled(page) -> None:
    """Streamlit finished its run: a title is there and no 'Running…' widget for half a second."""
    await page.wait_for_selector("h1", timeout=TIMEOUT_MS)
    quiet_since = None
    while True:
        running = await page.locator('[data-testid="stStatusWidget"]').count()
        now = time.monotonic()
        if running:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = now
        elif now - quiet_since >= 0.5:
            return
        await asyncio.sleep(0.05)


SERVER_TIMES: list[float] = []


def _watch_socket(page) -> dict:
    """Record when the app's websocket opens and when its last message arrives (the server's share)."""
    marks: dict = {}

    def on_ws(ws) -> None:
        marks["open"] = time.monotonic()
        ws.on("framereceived", lambda _f: marks.__setitem__("last", time.monotonic()))

    page.on("websocket", on_ws)
    return marks


async def open_page(ctx, url: str, record: bool = True) -> float:
    page = await ctx.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    marks = _watch_socket(page)
    t0 = time.monotonic()
    await page.goto(url)
    await settled(page)
    dt = time.monotonic() - t0 - 0.5  # minus the quiet half second settled() waits for
    if record and "open" in marks and "last" in marks:
        SERVER_TIMES.append(marks["last"] - marks["open"])
    await page.close()
    return dt


async def ask(ctx, url: str, word: str) -> float:
    page = await ctx.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    await page.goto(f"{url}/neighbours")
    box = page.get_by_role("textbox", name="Word or expression")
    await box.wait_for()
    await settled(page)
    await box.fill(word)
    t0 = time.monotonic()
    await box.press("Enter")
    await page.locator(".js-plotly-plot .gtitle", has_text=f"'{word}'").first.wait_for()
    dt = time.monotonic() - t0
    await page.close()
    return dt


def pct(xs: list[float]) -> str:
    a = np.asarray(xs)
    return f"{np.percentile(a, 50):.2f} / {np.percentile(a, 95):.2f}"


async def run(url: str, server_pid: int, n: int, pages: list[str]) -> list[tuple[str, str, str]]:
    from playwright.async_api import async_playwright

    rows: list[tuple[str, str, str]] = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        warm = await browser.new_context(viewport={"width": 1280, "height": 900})
        for p in pages:  # warm server: every page once
            await open_page(warm, f"{url}/{p}", record=False)
        await warm.close()
        rss0 = tree_rss_mb(server_pid)
        ctxs = [await browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(n)]
        t0 = time.monotonic()
        loads = await asyncio.gather(*(open_page(c, f"{url}/{pages[i % len(pages)]}")
                                       for i, c in enumerate(ctxs)))
        wall = time.monotonic() - t0
        rows.append((f"{n} sessions open a page at once: render p50 / p95", f"{pct(loads)} s",
                     f"pages {', '.join(p or 'home' for p in pages)}; all done in {wall:.1f} s"))
        rows.append(("  of which the server's run (socket open to last message)", f"{pct(SERVER_TIMES)} s",
                     "the rest is the browser loading and drawing (same machine)"))
        answers = await asyncio.gather(*(ask(c, url, WORDS[i % len(WORDS)]) for i, c in enumerate(ctxs)))
        rows.append((f"{n} sessions type a word on Neighbours: answer p50 / p95", f"{pct(answers)} s",
                     "Enter to the neighbourhood plot drawn"))
        rss1 = tree_rss_mb(server_pid)
        rows.append(("server memory before / after the sessions", f"{rss0:.0f} / {rss1:.0f} MB",
                     f"{(rss1 - rss0) / n:.1f} MB per extra session"))
        for p in pages:
            solo = await open_page(ctxs[0], f"{url}/{p}", record=False)
            rows.append((f"one session alone, warm server: {p or 'home'}", f"{solo:.2f} s", "first render"))
        await asyncio.gather(*(c.close() for c in ctxs))
        await browser.close()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--pages", default=",".join(p or "home" for p in PAGES),
                    help="comma-separated url paths (home = /)")
    args = ap.parse_args()
    pages = ["" if p == "home" else p for p in args.pages.split(",")]
    log = Path(tempfile.mkdtemp(prefix="embedlab-classroom-")) / "streamlit.log"
    with run_app(log=log) as url:
        pid = _server_pid(url)
        rows = asyncio.run(run(url, pid, args.sessions, pages))
    print_table(rows, value_width=16)


def _server_pid(url: str) -> int:
    """PID of the process listening on the app's port (the streamlit server)."""
    import psutil

    port = int(url.rsplit(":", 1)[1])
    for c in psutil.net_connections(kind="tcp"):
        if c.status == psutil.CONN_LISTEN and c.laddr.port == port and c.pid:
            return c.pid
    raise RuntimeError(f"no process listens on port {port}")


if __name__ == "__main__":
    main()

"""A classroom at once: N sessions against one `streamlit run app.py` server, timed as the students see it.

Three ways, from the server's own figures to the harshest setting:

1. **Server alone.** N websocket clients that speak Streamlit's protocol (``ProtocolSession``: the requests
   a browser's JavaScript makes, nothing drawn) open a page, or ask Neighbours a word, at the same moment:
   rerun request to ``script_finished``.
2. **One student's browser among N sessions.** A real Chromium context (cold cache) opens a page while
   N-1 protocol sessions open theirs at the same moment; then all N switch page at once (the browser by
   its sidebar link); then all N ask Neighbours a word at once. Timed until the browser has *drawn* the
   page (see :func:`settled`). In a classroom each student's browser runs on their own laptop; here the
   other N-1 are protocol clients that ask the server for exactly the same runs, so the one browser shares
   the server's two cores with the server's N runs only. ``--trials`` trials rotate the pages.
3. **N Chromium contexts on the server's machine.** N real browser sessions open pages at once, switch
   page by sidebar link at once, and type a word on Neighbours at once. Here the N browsers also share the
   server's two cores: a browser spends 2-5 CPU s on its first visit (Streamlit's and Plotly's
   JavaScript, drawing, WebGL in software) and 0.2-1.2 CPU s on a page switch, so these figures are
   mostly the browsers' own work, an upper bound no classroom sees.

Then the server's resident memory (whole process tree) before and after the sessions, per session, and
each page's first render for one session alone. The server is warmed first (one session visits every
page), so the figures are for a warm server. Browsers and protocol clients run at the lowest CPU
priority (``nice 19``, ``--clients elsewhere``, the default), so they take only the CPU the server leaves,
as machines of their own would; ``--clients here`` gives them the server's priority.

Usage::

    python benchmarks/bench_classroom.py                 # 10 sessions
    python benchmarks/bench_classroom.py --clients here  # browsers compete with the server
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

PAGES = ["", "lessons", "map", "neighbours", "train", "polysemy", "sentences", "bias", "compare", "images",
         "use", "graphs"]
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


QUIET_JS = """() => {
    const now = performance.now();
    const busy = !document.querySelector('h1')
        || document.querySelector('[data-testid="stStatusWidget"], [data-testid="stSkeleton"]')
        || [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
            .some(c => !c.querySelector('.main-svg'));
    if (busy) {
        window.__quietSince = null;
        return false;
    }
    if (window.__quietSince == null) window.__quietSince = now;
    return now - window.__quietSince >= 500;
}"""


async def settled(page) -> None:
    """The page is drawn: a title, no 'Running…' widget, no placeholder (an element whose code is still
    loading) and every Plotly chart drawn, all for half a second.

    Streamlit's running widget goes before the browser has drawn what the run sent: a page's first Plotly
    chart waits for Plotly's 4.7 MB of JavaScript, about a second later even with the machine to itself.
    The check runs inside the page every 50 ms (one call from here, not a round trip a check), so ten
    sessions waiting cost the machine next to nothing.
    """
    await page.evaluate("window.__quietSince = null")
    await page.wait_for_function(QUIET_JS, polling=50, timeout=TIMEOUT_MS)


SERVER_TIMES: list[float] = []


def _watch_socket(page) -> dict:
    """Record when the app's websocket opens and when its last message arrives (the server's share)."""
    marks: dict = {}

    def on_ws(ws) -> None:
        marks["open"] = time.monotonic()
        ws.on("framereceived", lambda _f: marks.__setitem__("last", time.monotonic()))

    page.on("websocket", on_ws)
    return marks


NAV = {"": "Home", "map": "Map", "neighbours": "Neighbours & analogies", "train": "Train your own",
       "polysemy": "Polysemy explorer", "sentences": "Sentence lab", "bias": "Bias lab",
       "images": "Image embeddings", "graphs": "Graphs", "use": "Use embeddings", "compare": "Compare spaces",
       "lessons": "Lessons"}


async def open_page(ctx, url: str, record: bool = True, keep: bool = False):
    """A new tab loads ``url`` (the whole app: HTML, JavaScript, then the page's run); seconds until
    settled, and the tab when ``keep``."""
    page = await ctx.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    marks = _watch_socket(page)
    t0 = time.monotonic()
    await page.goto(url)
    await settled(page)
    dt = time.monotonic() - t0 - 0.5  # minus the quiet half second settled() waits for
    if record and "open" in marks and "last" in marks:
        SERVER_TIMES.append(marks["last"] - marks["open"])
    if keep:
        return dt, page
    await page.close()
    return dt


async def navigate(page, path: str) -> float:
    """Click the page's link in the sidebar, as a student does; seconds until the new page has settled."""
    old = await page.locator("h1").first.inner_text()
    t0 = time.monotonic()
    await page.locator('[data-testid="stSidebarNav"] a', has_text=NAV[path]).first.click()
    await page.wait_for_function("old => { const h = document.querySelector('h1'); "
                                 "return h !== null && h.innerText !== old; }", arg=old)
    await settled(page)
    return time.monotonic() - t0 - 0.5


async def ask(page, word: str) -> float:
    """On the Neighbours page, type ``word`` and press Enter; seconds until its neighbourhood plot is
    drawn."""
    box = page.get_by_role("textbox", name="Word or expression")
    await box.wait_for()
    await settled(page)
    await box.fill(word)
    t0 = time.monotonic()
    await box.press("Enter")
    await page.locator(".js-plotly-plot .gtitle", has_text=f"'{word}'").first.wait_for()
    return time.monotonic() - t0


class ProtocolSession:
    """A session that speaks Streamlit's websocket protocol itself, as the browser's JavaScript does, but
    draws nothing: it times the server alone (rerun request sent -> ``script_finished`` received)."""

    def __init__(self, url: str):
        self.ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
        self.ws = None

    async def open(self) -> ProtocolSession:
        """Connect (the server makes a session for the new websocket)."""
        import websockets

        self.ws = await websockets.connect(self.ws_url, subprotocols=["streamlit"], max_size=None)
        return self

    async def close(self) -> None:
        await self.ws.close()

    async def __aenter__(self):
        return await self.open()

    async def __aexit__(self, *exc):
        await self.close()

    async def run(self, page: str, widgets: dict[str, str] | None = None) -> tuple[float, list]:
        """Run ``page`` (url path) with these text-widget values; (seconds, elements of the final run)."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        msg.rerun_script.page_name = page
        for wid, value in (widgets or {}).items():
            w = msg.rerun_script.widget_states.widgets.add()
            w.id, w.string_value = wid, value
        t0 = time.monotonic()
        await self.ws.send(msg.SerializeToString())
        elements: list = []
        while True:
            fm = ForwardMsg()
            fm.ParseFromString(await self.ws.recv())
            kind = fm.WhichOneof("type")
            if kind == "new_session":  # a run (re)starts: keep only the final run's elements
                elements = []
            elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                elements.append(fm.delta.new_element)
            elif kind == "script_finished" and fm.script_finished != fm.FINISHED_EARLY_FOR_RERUN:
                return time.monotonic() - t0, elements


async def protocol_open(url: str, page: str) -> float:
    async with ProtocolSession(url) as s:
        dt, elements = await s.run(page)
    if not any(e.WhichOneof("type") == "heading" for e in elements):
        raise RuntimeError(f"page {page or 'home'} drew no title")
    return dt


async def protocol_ask(url: str, word: str) -> float:
    async with ProtocolSession(url) as s:
        dt, elements = await s.run("neighbours", {await _box_id(s): word})
    specs = [e.plotly_chart.spec for e in elements if e.WhichOneof("type") == "plotly_chart"]
    if not any(f"'{word}'" in spec for spec in specs):
        raise RuntimeError(f"no neighbourhood plot for {word!r}")
    return dt


async def server_alone(url: str, n: int, pages: list[str]) -> list[tuple[str, str, str]]:
    """The server's own figures: n protocol sessions at once (no browser drawing on this machine)."""
    loads = await asyncio.gather(*(protocol_open(url, pages[i % len(pages)]) for i in range(n)))
    answers = await asyncio.gather(*(protocol_ask(url, WORDS[i % len(WORDS)]) for i in range(n)))
    return [(f"server alone: {n} sessions open a page at once, p50 / p95", f"{pct(loads)} s",
             "rerun request to script finished, websocket protocol clients (no browser)"),
            (f"server alone: {n} sessions ask Neighbours a word at once, p50 / p95", f"{pct(answers)} s",
             "the word's rerun to script finished; the answer holds the word's plot")]


async def _protocol_open(url: str, page: str) -> ProtocolSession:
    """A new protocol session (the websocket connect makes the server's session) that has run ``page``."""
    s = await ProtocolSession(url).open()
    await s.run(page)
    return s


async def _box_id(s: ProtocolSession) -> str:
    """Run Neighbours in session ``s``; the widget id of its word box."""
    _, elements = await s.run("neighbours")
    return next(e.text_input.id for e in elements
                if e.WhichOneof("type") == "text_input" and e.text_input.label == "Word or expression")


async def one_browser_among(url: str, browser, n: int, pages: list[str], trials: int
                            ) -> list[tuple[str, str, str]]:
    """What one student sees while the server serves ``n`` sessions at once.

    Trial i: a fresh Chromium context (cold cache) opens a page while n-1 protocol sessions open theirs at
    the same moment; then all n switch page at once (the browser by its sidebar link); then all n ask
    Neighbours a word at once. The other students' browsers would run on their own laptops: here they are
    protocol clients, which ask the server for exactly the same runs but draw nothing, so the one browser
    measured shares the two cores with the server's n runs only. Trials rotate the pages.
    """
    first, moves, answers = [], [], []
    for i in range(trials):
        mine = pages[i % len(pages)]
        others = [pages[(i + j) % len(pages)] for j in range(1, n)]
        ctx = await browser.new_context(viewport={"width": 1280, "height": 900})
        got = await asyncio.gather(open_page(ctx, f"{url}/{mine}", record=False, keep=True),
                                   *(_protocol_open(url, p) for p in others))
        (dt, tab), sessions = got[0], got[1:]
        first.append(dt)
        nxt = pages[(i + 1) % len(pages)]
        theirs = [pages[(i + j + 1) % len(pages)] for j in range(1, n)]
        runs = (s.run(p) for s, p in zip(sessions, theirs, strict=True))
        got = await asyncio.gather(navigate(tab, nxt), *runs)
        moves.append(got[0])
        if nxt != "neighbours":
            await navigate(tab, "neighbours")
        boxes = await asyncio.gather(*(_box_id(s) for s in sessions))
        got = await asyncio.gather(ask(tab, WORDS[i % len(WORDS)]),
                                   *(s.run("neighbours", {box: WORDS[(i + j) % len(WORDS)]})
                                     for j, (s, box) in enumerate(zip(sessions, boxes, strict=True), 1)))
        answers.append(got[0])
        await asyncio.gather(*(s.close() for s in sessions))
        await ctx.close()
    how = f"one Chromium among {n - 1} protocol sessions, all at once; {trials} trials, pages rotated"
    return [(f"{n} sessions at once, one in Chromium: first visit (cold cache) render p50 / p95",
             f"{pct(first)} s", how),
            (f"{n} sessions at once, one in Chromium: switch page render p50 / p95", f"{pct(moves)} s", how),
            (f"{n} sessions at once, one in Chromium: Neighbours answer p50 / p95", f"{pct(answers)} s", how)]


def pct(xs: list[float]) -> str:
    a = np.asarray(xs)
    return f"{np.percentile(a, 50):.2f} / {np.percentile(a, 95):.2f}"


async def run(url: str, server_pid: int, n: int, pages: list[str], trials: int) -> list[tuple[str, str, str]]:
    from playwright.async_api import async_playwright

    rows: list[tuple[str, str, str]] = []
    async with async_playwright() as pw:  # the driver and Chromium inherit this process's priority
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        warm = await browser.new_context(viewport={"width": 1280, "height": 900})
        for p in pages:  # warm server: every page once
            await open_page(warm, f"{url}/{p}", record=False)
        await warm.close()
        rows += await server_alone(url, n, pages)
        rows += await one_browser_among(url, browser, n, pages, trials)
        rss0 = tree_rss_mb(server_pid)
        ctxs = [await browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(n)]
        t0 = time.monotonic()
        opened = await asyncio.gather(*(open_page(c, f"{url}/{pages[i % len(pages)]}", keep=True)
                                        for i, c in enumerate(ctxs)))
        wall = time.monotonic() - t0
        loads, tabs = [dt for dt, _ in opened], [tab for _, tab in opened]
        rows.append((f"{n} Chromium on this machine, first visit at once (cold cache): render p50 / p95",
                     f"{pct(loads)} s",
                     f"pages {', '.join(p or 'home' for p in pages)}; all done in {wall:.1f} s"))
        rows.append(("  of which the server's run (socket open to last message)", f"{pct(SERVER_TIMES)} s",
                     f"the rest is {n} browsers loading JavaScript and drawing on the same 2 cores"))
        moves = await asyncio.gather(*(navigate(tab, pages[(i + 1) % len(pages)])
                                       for i, tab in enumerate(tabs)))
        print("switch to: " + ", ".join(f"{pages[(i + 1) % len(pages)] or 'home'} {dt:.1f} s"
                                        for i, dt in enumerate(moves)), file=sys.stderr)
        rows.append((f"{n} Chromium on this machine, switch page at once (sidebar link): render p50 / p95",
                     f"{pct(moves)} s",
                     "click to the next page settled, every session a different page"))
        await asyncio.gather(*(navigate(tab, "neighbours") for i, tab in enumerate(tabs)
                               if pages[(i + 1) % len(pages)] != "neighbours"))
        answers = await asyncio.gather(*(ask(tab, WORDS[i % len(WORDS)]) for i, tab in enumerate(tabs)))
        rows.append((f"{n} Chromium on this machine, type a word on Neighbours at once: answer p50 / p95",
                     f"{pct(answers)} s",
                     "Enter to the neighbourhood plot drawn"))
        rss1 = tree_rss_mb(server_pid)
        rows.append(("server memory before / after the sessions", f"{rss0:.0f} / {rss1:.0f} MB",
                     f"{(rss1 - rss0) / n:.1f} MB per extra session"))
        for p in pages:
            solo = await open_page(ctxs[0], f"{url}/{p}", record=False)
            rows.append((f"one session alone, warm server: {p or 'home'}", f"{solo:.2f} s",
                         "first render in a new tab, Plotly charts drawn"))
        await asyncio.gather(*(c.close() for c in ctxs))
        await browser.close()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--clients", choices=("elsewhere", "here"), default="elsewhere",
                    help="browsers at the lowest CPU priority (as if on other machines) or equal to the "
                    "server")
    ap.add_argument("--trials", type=int, default=0,
                    help="trials of one browser among the sessions (default: twice --sessions)")
    ap.add_argument("--pages", default=",".join(p or "home" for p in PAGES),
                    help="comma-separated url paths (home = /)")
    args = ap.parse_args()
    pages = ["" if p == "home" else p for p in args.pages.split(",")]
    log = Path(tempfile.mkdtemp(prefix="embedlab-classroom-")) / "streamlit.log"
    with run_app(log=log) as url:
        pid = _server_pid(url)
        if args.clients == "elsewhere":
            os.setpriority(os.PRIO_PROCESS, 0, 19)  # after the server started: it keeps normal priority
        rows = asyncio.run(run(url, pid, args.sessions, pages, args.trials or 2 * args.sessions))
    where = {"elsewhere": "lowest CPU priority (nice 19), as if on other machines",
             "here": "same CPU priority as the server"}
    print(f"{args.sessions} sessions; browsers: {where[args.clients]}")
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

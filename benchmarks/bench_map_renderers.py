"""Renderers for maps of every point, side by side in one run, in Chromium without a GPU (WebGL in software,
SwiftShader): which one the Map draws past ~2,000 points.

Each renderer is a minimal Streamlit app in ``benchmarks/map_renderers/`` that draws the same cached
coordinates, labels and cluster colours (``?n=`` points): embedlab's own point map (``ui/pointmap.js``,
components v2, a bytes payload), deck.gl through Streamlit's ``st.pydeck_chart``, Embedding Atlas's Streamlit
component, datashader's server-side image under a Plotly figure, and Plotly ``Scattergl`` with every point
(embedlab's ``scatter_map``, what the Map page drew before). Per renderer and size, in a fresh browser
context whose requests to anything but the app are blocked (and counted: "offline"):

- **first draw s**: page opened → the chart area holds a stable picture (element screenshots every 0.25 s;
  the second visit, so the server is warm);
- **pan / zoom ms a step**: while the mouse drags the map 300 px (40 moves) and the wheel zooms (10 notches),
  until the frame after the last; at least one input event's round trip (printed, from the empty app);
- **MB to browser**: websocket and HTTP bytes received, minus those of the same app drawing nothing;
- **server MB**: growth of the server's resident memory over the app drawing nothing;
- **selection to Python** and **offline** (external requests blocked, and whether it still drew).

Then the Map page itself (``/map?mode=all&proj=pca``, PCA cached) on a warm server, on GloVe's 400,000 words
and on a saved space of 1,000,000 rows shaped like a batch output (``doc-…`` keys, a ``text`` column; GloVe's
vectors repeated with noise): first draw and the server's growth over the Home page with that space, the
targets of issue 25 (server MB there includes the k-means clusters, region names and caches of the map).

The cases: GloVe 6B 50d's 400,000 words (PCA coordinates, k-means clusters of the vectors) and 1,000,000
points (those coordinates 2.5 times over, jittered). Embedding Atlas and datashader are not embedlab
dependencies; install them beside the venv to compare them::

    pip install --no-deps --target /tmp/bench-extra embedding-atlas==0.26.0 datashader==0.19.1 colorcet \\
        multipledispatch param pyct toolz xarray
    python benchmarks/bench_map_renderers.py --extra /tmp/bench-extra
    python benchmarks/bench_map_renderers.py --renderers embedlab,pydeck --sizes 400000 --no-app
"""

from __future__ import annotations

import argparse
import io
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

from bench_classroom import tree_rss_mb  # noqa: E402
from browser_util import CHROMIUM, CHROMIUM_ARGS, run_app, settle  # noqa: E402

APPS = ROOT / "benchmarks" / "map_renderers"
RENDERERS = {  # name: (app, chart selector, selection back to Python, needs); the slowest last
    "embedlab": ("app_embedlab.py", "[data-testid=embedlab-pointmap] .pm-stage",
                 "click, box, lasso → rows (polygon sent, rows found on the server)", None),
    "datashader": ("app_datashader.py", "[data-testid=stPlotlyChart]",
                   "box / lasso geometry (no hover, no click on a point)", "datashader"),
    "pydeck": ("app_pydeck.py", "[data-testid=stDeckGlJsonChart]",
               "clicked objects only (no box / lasso), each object's JSON", None),
    "atlas": ("app_atlas.py", "iframe", "SQL predicate (rows need DuckDB)", "embedding_atlas"),
    "plotly": ("app_plotly.py", "[data-testid=stPlotlyChart]", "click, box, lasso → every point's JSON",
               None),
}
TIMEOUT_S = 120.0  # a renderer not drawn by then fails the case (and its bigger sizes are not tried)
STEP_BASE: list[tuple[float, float]] = []  # the empty app's steps: the round trip of one input event


def prepare(folder: Path, sizes: list[int]) -> None:
    """Write each case's coordinates, labels and cluster codes (once; kept in ``folder``)."""
    if all((folder / f"codes-{n}.npy").is_file() for n in sizes):
        return
    from sklearn.cluster import MiniBatchKMeans

    from embedlab.projection import project
    from embedlab.registry import load

    glove = load("glove-50d")
    xy = project(glove, "pca")
    codes = MiniBatchKMeans(8, random_state=0, n_init=1, batch_size=4096).fit_predict(glove.normed)
    words = np.asarray(glove.keys, dtype=object)
    rng = np.random.default_rng(0)
    for n in sizes:
        reps = -(-n // len(xy))
        rows = np.tile(np.arange(len(xy)), reps)[:n]
        copy = np.repeat(np.arange(reps), len(xy))[:n]
        jitter = rng.normal(0, 0.01, size=(n, 2)).astype(np.float32) * (copy > 0)[:, None]
        np.save(folder / f"xy-{n}.npy", (xy[rows] + jitter).astype(np.float32))
        np.save(folder / f"codes-{n}.npy", codes[rows].astype(np.uint8))
        labels = [w if c == 0 else f"{w}#{c}" for w, c in zip(words[rows], copy, strict=True)]
        (folder / f"labels-{n}.txt").write_text("\n".join(labels), encoding="utf-8")


def _ink(png: bytes) -> float:
    """Share of pixels that are not (near) white."""
    from PIL import Image

    a = np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=np.int16)
    return float((a < 225).mean())


def _drawn(page, selector: str, t0: float, timeout_s: float = TIMEOUT_S) -> float:
    """Seconds from ``t0`` until the chart shows a stable picture (ink > 1 %, the same ±3 % twice)."""
    last, since = -1.0, None
    while time.monotonic() - t0 < timeout_s:
        failed = page.locator('[data-testid="stException"]')
        if failed.count():  # the app raised: no use waiting
            raise RuntimeError(failed.first.inner_text()[:120])
        loc = page.locator(selector).first
        try:
            ink = _ink(loc.screenshot(timeout=5000, animations="disabled")) if loc.count() else 0.0
        except Exception:  # noqa: BLE001 - not laid out yet
            ink = 0.0
        now = time.monotonic()
        if ink > 0.01 and abs(ink - last) <= 0.03 * max(ink, 1e-9):
            return (since or now) - t0
        since = now if ink > 0.01 and abs(ink - last) > 0.03 * max(ink, 1e-9) else since
        last = ink
        page.wait_for_timeout(250)
    raise TimeoutError(f"nothing stable drawn in {timeout_s:.0f} s")


STEP_BUDGET_S = 30.0  # pan (and zoom) steps stop after this long
# two frames later, or false after 20 s without a frame (a renderer whose page stopped drawing)
TWO_FRAMES = ("() => new Promise(r => { requestAnimationFrame(() => requestAnimationFrame(() => r(true)));"
              " setTimeout(() => r(false), 20000); })")


def _step_ms(page, selector: str | None) -> tuple[float, float]:
    """Milliseconds a step takes while the mouse drags the map's centre 300 px (40 moves), and while the wheel
    zooms in (10 notches), each until the next frame after the last step. Chromium handles a move at the
    start of a frame, after the previous frame's work, so a step takes the longer of the renderer's frame
    and the round trip of one move (the empty app gives the round trip)."""
    box = page.locator(selector).first.bounding_box() if selector else {"x": 500, "y": 300, "width": 400,
                                                                          "height": 400}
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    t0, done = time.monotonic(), 0
    for i in range(1, 41):
        page.mouse.move(x + 7.5 * i, y + 1.5 * i)
        done = i
        if time.monotonic() - t0 > STEP_BUDGET_S:  # frames of seconds: fewer steps say as much
            break
    if not page.evaluate(TWO_FRAMES):
        raise TimeoutError("no frame drawn 20 s after panning")
    pan = (time.monotonic() - t0) / done * 1000
    page.mouse.up()
    page.wait_for_timeout(500)
    t0, done = time.monotonic(), 0
    for i in range(1, 11):
        page.mouse.wheel(0, -120)
        done = i
        if time.monotonic() - t0 > STEP_BUDGET_S:
            break
    if not page.evaluate(TWO_FRAMES):
        raise TimeoutError("no frame drawn 20 s after zooming")
    return pan, (time.monotonic() - t0) / done * 1000


class Visit:
    """One browser context opening one URL: bytes received, blocked external requests, console errors."""

    def __init__(self, browser, url: str):
        self.url, self.bytes, self.blocked, self.errors = url, 0, set(), []
        self.ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.ctx.route("**/*", self._route)
        self.page = self.ctx.new_page()
        self.page.on("websocket", lambda ws: ws.on("framereceived", self._frame))
        self.page.on("response", self._response)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text[:120]))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)[:120]))

    def _route(self, route) -> None:
        host = route.request.url.split("/")[2] if "://" in route.request.url else ""
        if route.request.url.startswith(("data:", "blob:")) or host.startswith("127.0.0.1"):
            route.continue_()
        else:
            self.blocked.add(host or route.request.url[:40])
            route.abort()

    def _frame(self, payload) -> None:
        self.bytes += len(payload) if isinstance(payload, bytes) else len(payload.encode())

    def _response(self, response) -> None:
        try:
            self.bytes += response.request.sizes()["responseBodySize"]
        except Exception:  # noqa: BLE001 - aborted or still streaming
            pass

    def close(self) -> None:
        self.ctx.close()


def measure(browser, url: str, selector: str, server_pid: int, base: dict, timeout_s: float = TIMEOUT_S
            ) -> dict:
    """Open ``url`` in a fresh context: first draw, pan frame time, bytes, server growth, offline."""
    v = Visit(browser, url)
    t0 = time.monotonic()
    v.page.goto(url)
    try:
        out = {"first": _drawn(v.page, selector, t0, timeout_s)}
    except TimeoutError:
        v.close()
        raise
    settle(v.page, timeout_ms=timeout_s * 1000)
    failed = v.page.locator('[data-testid="stException"]')
    if failed.count():
        raise RuntimeError(failed.first.inner_text()[:120])
    v.page.wait_for_timeout(1000)
    out["bytes"] = v.bytes - base.get("bytes", 0)
    out["rss"] = tree_rss_mb(server_pid) - base.get("rss", 0)
    try:
        out["pan"], out["zoom"] = _step_ms(v.page, selector)
    except TimeoutError:  # the other figures stand; the steps say "nan"
        out["pan"] = out["zoom"] = float("nan")
    out["raster"] = v.page.locator("[data-testid=embedlab-pointmap]").first.get_attribute("data-frame-ms") \
        if v.page.locator("[data-testid=embedlab-pointmap]").count() else None
    out["blocked"], out["errors"] = sorted(v.blocked), v.errors
    v.close()
    return out


def _pid_of(port_url: str) -> int:
    import psutil

    port = port_url.rsplit(":", 1)[1]
    for p in psutil.process_iter(["cmdline", "pid"]):
        cmd = p.info["cmdline"] or []
        if "streamlit" in " ".join(cmd) and port in cmd:
            return p.info["pid"]
    raise RuntimeError(f"no streamlit server on port {port}")


def run_renderer(browser, name: str, sizes: list[int], data: Path, extra: str | None) -> list[list]:
    app, selector, selection, needs = RENDERERS[name]
    env = {"EMBEDLAB_BENCH_DATA": str(data),
           "PYTHONPATH": os.pathsep.join(p for p in [str(APPS), str(ROOT), extra or ""] if p)}
    if needs and not _importable(needs, extra):
        return [[name, f"{n:,}", "not installed", "", "", "", "", selection, ""] for n in sizes]
    rows = []
    log = Path(tempfile.mkdtemp(prefix="embedlab-render-")) / "streamlit.log"
    with run_app(str(APPS / app), env=env, log=log) as url:
        pid = _pid_of(url)
        empty = Visit(browser, f"{url}/?n=0")
        empty.page.goto(empty.url)
        settle(empty.page)
        empty.page.wait_for_timeout(1000)
        base = {"bytes": empty.bytes, "rss": tree_rss_mb(pid)}
        STEP_BASE.append(_step_ms(empty.page, None))
        empty.close()
        failed = ""
        for n in sizes:
            if failed:
                rows.append(_row([name, f"{n:,}", f"not tried: {failed}", "", "", "", "", selection, ""]))
                continue
            try:
                cold = measure(browser, f"{url}/?n={n}", selector, pid, base)
                warm = measure(browser, f"{url}/?n={n}", selector, pid, base)
                offline = "yes" if not warm["blocked"] else "no: " + ", ".join(warm["blocked"])[:60]
                raster = f" (raster {warm['raster']})" if warm["raster"] else ""
                rows.append(_row([name, f"{n:,}", f"{warm['first']:.1f} ({cold['first']:.1f})",
                                  f"{warm['pan']:.0f}{raster}", f"{warm['zoom']:.0f}",
                                  f"{warm['bytes'] / 1e6:.1f}", f"{warm['rss']:.0f}", selection, offline]))
            except Exception as e:  # noqa: BLE001 - a renderer that fails is a row saying so
                rows.append(_row([name, f"{n:,}", f"failed: {type(e).__name__}: {str(e)[:60]}", "", "", "",
                                  "", selection, ""]))
                failed = f"{n:,} failed" if isinstance(e, TimeoutError) else ""
    return rows


def _row(row: list) -> list:
    """``row``, printed as soon as it is measured (a long run shows its progress)."""
    print(" | ".join(map(str, row)), flush=True)
    return row


def _importable(module: str, extra: str | None) -> bool:
    import importlib.util

    if extra and extra not in sys.path:
        sys.path.append(extra)
    return importlib.util.find_spec(module) is not None


def batch_space(n: int) -> str:
    """A saved space of ``n`` rows shaped like a batch output (keys ``doc-…``, a ``text`` column), its PCA
    map cached (what ``embedlab batch project`` leaves): GloVe's vectors, repeated with a little noise."""
    from embedlab import workspace
    from embedlab.projection import project
    from embedlab.registry import load
    from embedlab.space import EmbeddingSpace

    name = f"batch-{n // 1000}k"
    if name in workspace.list_names():
        return name
    glove = load("glove-50d")
    rows = np.tile(np.arange(len(glove)), -(-n // len(glove)))[:n]
    rng = np.random.default_rng(0)
    noise = rng.normal(0, 0.05, (n, glove.dim)).astype(np.float32)
    vecs = np.asarray(glove.vectors[rows], dtype=np.float32) + noise
    words = np.asarray(glove.keys, dtype=object)[rows]
    space = EmbeddingSpace([f"doc-{i:07d}" for i in range(n)], vecs, name=name).with_meta(text=words)
    workspace.save(space, name)
    project(workspace.load(name), "pca")
    return name


def app_rows(browser, sizes: list[int]) -> list[list]:
    """The Map page itself, all points, PCA cached: GloVe's 400,000 words, and a batch-shaped space per size
    past 400,000; first draw on a warm server and the server's growth over the Home page."""
    cases = [("glove-50d", 400_000)] + [(batch_space(n), n) for n in sizes if n > 400_000]
    log = Path(tempfile.mkdtemp(prefix="embedlab-app-")) / "streamlit.log"
    rows = []
    with run_app(log=log) as url:
        pid = _pid_of(url)
        for space, n in cases:
            home = Visit(browser, f"{url}/?space={space}")
            home.page.goto(home.url)
            home.page.get_by_text("Choose a space").wait_for(timeout=TIMEOUT_S * 1000)
            settle(home.page, TIMEOUT_S * 1000)
            base = {"bytes": 0, "rss": tree_rss_mb(pid)}
            home.close()
            link = f"{url}/map?space={space}&mode=all&proj=pca"
            selector = "[data-testid=embedlab-pointmap] .pm-stage"
            try:  # the first visit computes the clusters and region names: a longer wait
                cold = measure(browser, link, selector, pid, base, timeout_s=3 * TIMEOUT_S)
                warm = measure(browser, link, selector, pid, base)
            except Exception as e:  # noqa: BLE001 - a case that fails is a row saying so
                failed = f"failed: {type(e).__name__}: {str(e)[:60]}"
                rows.append(_row([f"Map page, {space}", f"{n:,}", failed, "", "", "", "", "", ""]))
                continue
            rows.append(_row([f"Map page, {space}, mode=all&proj=pca", f"{n:,}",
                              f"{warm['first']:.1f} ({cold['first']:.1f})",
                              f"{warm['pan']:.0f} (raster {warm['raster']})", f"{warm['zoom']:.0f}",
                              f"{warm['bytes'] / 1e6:.1f}", f"{warm['rss']:.0f}",
                              "click, box, lasso → words listed", "yes" if not warm["blocked"] else "no"]))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--renderers", default=",".join(RENDERERS))
    ap.add_argument("--sizes", default="400000,1000000")
    ap.add_argument("--data", default=None, help="folder for the cases' files (kept between runs)")
    ap.add_argument("--extra", default=None, help="folder with embedding-atlas and datashader (pip --target)")
    ap.add_argument("--no-app", action="store_true", help="skip the Map page itself")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    data = Path(args.data or tempfile.mkdtemp(prefix="embedlab-cases-"))
    data.mkdir(parents=True, exist_ok=True)
    prepare(data, sizes)
    from playwright.sync_api import sync_playwright

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        if not args.no_app:  # the Map page first: the targets are measured there
            rows += app_rows(browser, sizes)
        for name in args.renderers.split(","):
            rows += run_renderer(browser, name, sizes, data, args.extra)
        browser.close()
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("first draw: warm server (first visit in brackets); headless Chromium, WebGL in software "
          "(SwiftShader)")
    if STEP_BASE:
        pan, zoom = np.median(STEP_BASE, axis=0)
        print(f"one input event's round trip (the empty app): pan step {pan:.0f} ms, zoom step {zoom:.0f} "
              "ms; embedlab's own raster time of its last frame in brackets")
    print_grid(["renderer", "points", "first draw s", "pan ms/step", "zoom ms/step", "MB to browser",
                "server MB", "selection to Python", "offline"], rows)


if __name__ == "__main__":
    main()

"""Build embedlab's wheel, install it into a clean venv outside the checkout, and use it as a user would.

Usage::

    python scripts/wheel_check.py --deps lock      # CI: the wheel + exactly requirements.lock, from scratch
    python scripts/wheel_check.py --deps borrow    # quick (the test suite): the wheel, with this venv's deps

``--deps lock`` installs pip, torch (CPU) and every package of ``requirements.lock`` into the new venv, then
the wheel without dependencies. ``--deps borrow`` installs only the wheel and lets the new venv see this
interpreter's site-packages through a ``.pth`` line (their ``.pth`` hooks, such as the checkout's editable
install, do not run there), so the wheel's own files are what gets imported.

From a temporary folder (never the checkout) it then checks that the wheel holds every tracked file of
``embedlab/``, ``app_pages/``, ``ui/`` and ``sample_data/``, imports embedlab from the venv, runs the CLI
commands below, and starts ``embedlab app`` and looks at Home and the Polysemy explorer (typed sentences) in
Chromium. It prints one line per step and exits 1 on the first failure.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import sysconfig
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from browser_util import CHROMIUM, CHROMIUM_ARGS, serve, settle  # noqa: E402 - the tests' app server

LOCK = ROOT / "requirements.lock"
TORCH = "torch==2.13.0"  # the CPU build, as dev.sh installs it
SHIPPED = ("embedlab", "app_pages", "ui", "sample_data")
TYPED = ["I paid my wages into the bank on Monday.", "The bank raised its interest rates again.",
         "We sat on the grassy bank of the river.", "Ducks nested on the muddy bank of the stream."]


class CheckFailed(Exception):
    """A step of the check did not do what a user would expect."""


def step(name: str) -> None:
    print(f"wheel check: {name}", flush=True)


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 900) -> str:
    """Run ``cmd``; its stdout, or CheckFailed with its output."""
    p = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0:
        raise CheckFailed(f"{' '.join(cmd)} exited {p.returncode}\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}")
    return p.stdout


def build_wheel(out: Path) -> Path:
    step("building the wheel")
    run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(out),
         str(ROOT)], cwd=out)
    (wheel,) = out.glob("embedlab-*.whl")
    print(f"  {wheel.name}: {wheel.stat().st_size / 1e6:.1f} MB", flush=True)
    return wheel


def check_contents(wheel: Path) -> None:
    """Every tracked file the product ships is in the wheel, where the build maps it."""
    step("the wheel holds every tracked file of " + ", ".join(SHIPPED))
    tracked = run(["git", "ls-files", *SHIPPED], cwd=ROOT).split()
    where = {"embedlab/": "embedlab/", "sample_data/": "embedlab/sample_data/",
             "app_pages/": "embedlab_app/app_pages/", "ui/": "embedlab_app/ui/"}
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = []
    for path in tracked:
        top = path.split("/")[0] + "/"
        if where[top] + path[len(top):] not in names:
            missing.append(path)
    for extra in ("embedlab_app/app.py", "embedlab_app/.streamlit/config.toml"):
        if extra not in names:
            missing.append(extra)
    if missing:
        raise CheckFailed(f"{len(missing)} file(s) missing from the wheel, e.g. {missing[:5]}")


def make_venv(venv: Path, wheel: Path, deps: str) -> None:
    step(f"installing the wheel into a new venv ({deps})")
    if deps == "lock":
        run([sys.executable, "-m", "venv", str(venv)], cwd=venv.parent)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        pins = [ln for ln in LOCK.read_text().splitlines() if ln.startswith("pip==")]
        run(pip + pins, cwd=venv.parent)
        run(pip + [TORCH], cwd=venv.parent)
        run(pip + ["--no-deps", "-r", str(LOCK)], cwd=venv.parent)
        run(pip + ["--no-deps", str(wheel)], cwd=venv.parent)
        return
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=venv.parent)
    purelib = "import sysconfig; print(sysconfig.get_path('purelib'))"
    site = Path(run([str(venv / "bin" / "python"), "-c", purelib], cwd=venv.parent).strip())
    (site / "borrowed-deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "-q",
         "--disable-pip-version-check", "--no-deps", str(wheel)], cwd=venv.parent)


def check_cli(venv: Path, work: Path, env: dict[str, str]) -> None:
    py, cli = str(venv / "bin" / "python"), str(venv / "bin" / "embedlab")
    step("embedlab is imported from the venv, not the checkout")
    where = run([py, "-c", "import embedlab, embedlab.resources as r; print(embedlab.__file__); "
                 "print(r.data_path('corpus'))"], cwd=work, env=env).split()
    if any(str(ROOT) in w for w in where):
        raise CheckFailed(f"the venv imported files of the checkout: {where}")
    sentences = work / "typed.txt"
    sentences.write_text("\n".join(TYPED) + "\n", encoding="utf-8")
    checks = [
        (["neighbours", "glove-50d", "king", "--json"],
         lambda r: "queen" in [row["key"] for row in r][:10]),
        (["polysemy", "bank", "--sentences", str(sentences), "--json"],
         lambda r: r["occurrences"] == len(TYPED)),
        (["train", "word2vec", "--corpus", "default", "--epochs", "1", "--out", "wheel-w2v", "--no-eval",
          "--json"], lambda r: r["epochs"] == 1 and r["vocab_size"] > 10_000),
        (["graph", "embed", "karate", "--out", "wheel-karate", "--json"], lambda r: r["n"] == 34),
        (["images", "embed", "emoji", "--out", "wheel-emoji", "--json"], lambda r: r["n"] == 648),
        (["classify", "pang-lee", "--per-class", "10", "--json"],
         lambda r: r["classes"] == {"neg": 100, "pos": 100} and len(r["curve"]) >= 3),
    ]
    for argv, ok in checks:
        step("embedlab " + " ".join(a if a != str(sentences) else "typed.txt" for a in argv))
        t = time.perf_counter()
        out = run([cli, *argv], cwd=work, env=env)
        if not ok(json.loads(out)):
            raise CheckFailed(f"embedlab {' '.join(argv)} printed an unexpected result:\n{out[:2000]}")
        print(f"  ok in {time.perf_counter() - t:.1f} s", flush=True)


def served(venv: Path, work: Path, env: dict[str, str]):
    """``embedlab app`` from the venv, headless on a free port, run from ``work``; yields its URL."""
    cli = str(venv / "bin" / "embedlab")
    return serve(lambda port: [cli, "app", "--port", str(port), "--host", "127.0.0.1",
                               "--server.headless=true", "--server.fileWatcherType=none"],
                 cwd=work, env=env, log=work / "app.log", timeout=120)


def no_exception(page, where: str) -> None:
    shown = page.locator('[data-testid="stException"]')
    if shown.count():
        raise CheckFailed(f"{where} shows an exception: {shown.first.inner_text()[:1500]}")


def check_app(venv: Path, work: Path, env: dict[str, str], shots: Path | None) -> None:
    from playwright.sync_api import sync_playwright

    step("embedlab app: Home and the Polysemy explorer with typed sentences, in Chromium")
    with served(venv, work, env) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(240_000)
        page.goto(url)
        page.get_by_role("heading", name="embedlab").first.wait_for()
        settle(page, 240_000)
        no_exception(page, "Home")
        if shots:
            page.screenshot(path=str(shots / "wheel-home.png"))
        page.goto(f"{url}/polysemy")
        page.get_by_role("heading", name="Polysemy explorer").wait_for()
        settle(page, 240_000)
        page.get_by_text("My own sentences").click()
        box = page.get_by_label("One sentence per line", exact=False)
        box.wait_for()
        box.fill("\n".join(TYPED))
        box.press("Control+Enter")
        page.get_by_text(f"{len(TYPED)} occurrence(s) of", exact=False).wait_for()
        settle(page, 240_000)
        no_exception(page, "Polysemy explorer")
        if shots:
            page.screenshot(path=str(shots / "wheel-polysemy.png"), full_page=True)
        browser.close()
    print("  ok", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--deps", choices=["lock", "borrow"], default="lock")
    ap.add_argument("--no-browser", action="store_true", help="skip the app check in Chromium")
    ap.add_argument("--screenshots", type=Path, default=None, help="folder for screenshots of the app")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="embedlab-wheel-") as tmp:
        tmp = Path(tmp)
        work = tmp / "elsewhere"
        work.mkdir()
        env = {**os.environ, "EMBEDLAB_HOME": str(tmp / "home"), "PYTHONPATH": ""}
        env.pop("VIRTUAL_ENV", None)
        try:
            wheel = build_wheel(tmp)
            check_contents(wheel)
            make_venv(tmp / "venv", wheel, args.deps)
            check_cli(tmp / "venv", work, env)
            if not args.no_browser:
                check_app(tmp / "venv", work, env, args.screenshots)
        except (CheckFailed, subprocess.TimeoutExpired, RuntimeError, TimeoutError) as exc:
            print(f"wheel check FAILED: {exc}", file=sys.stderr)
            return 1
    print("wheel check: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

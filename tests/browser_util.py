"""Start the real app (`streamlit run app.py`) for browser tests and screenshots, and stop it afterwards."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 90.0) -> None:
    """Poll ``/_stcore/health`` until it answers ``ok``; raise if the server died or never came up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode} before becoming healthy")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        time.sleep(0.5)
    raise TimeoutError(f"streamlit did not answer {url}/_stcore/health within {timeout:.0f} s")


@contextlib.contextmanager
def serve(command: Callable[[int], list[str]], cwd: Path = ROOT, env: dict[str, str] | None = None,
          log: Path | None = None, timeout: float = 90.0) -> Iterator[str]:
    """Start ``command(port)`` (a Streamlit server) on a free localhost port; yield its URL; stop it on exit.

    The server runs in its own process group (stopped with SIGTERM, then SIGKILL); its output goes to ``log``.
    """
    port = free_port()
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    proc = subprocess.Popen(command(port), cwd=cwd, env={**os.environ, **(env or {})}, stdout=out,
                            stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, timeout)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        if log:
            out.close()


def run_app(app: str = "app.py", env: dict[str, str] | None = None, log: Path | None = None):
    """Run ``streamlit run app`` headless on a free localhost port; yield its URL; stop it on exit."""
    return serve(lambda port: [sys.executable, "-m", "streamlit", "run", app, "--server.headless", "true",
                               "--server.port", str(port), "--server.address", "127.0.0.1",
                               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
                 env=env, log=log)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory) -> Iterator[str]:
    """URL of a running app (module-scoped: one server for all tests of a module)."""
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    with run_app(log=log) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium via Playwright (skips when Chromium or Playwright is missing)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):  # CI installs it (bash dev.sh test): a missing browser is a failure there
            pytest.fail(f"{CHROMIUM} is missing in CI; dev.sh test should have installed it")
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium (bash dev.sh test does it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def settle(page, timeout_ms: float = 180_000) -> None:
    """Wait until the app's script run has finished and nothing on screen is stale (left from a rerun).

    Streamlit marks the app root with ``data-test-script-state`` (``running`` while the page script runs)
    and old elements with ``data-stale="true"`` until the new run replaces them.
    """
    page.wait_for_function(
        "() => { const app = document.querySelector('[data-testid=\"stApp\"]');"
        " return app && app.getAttribute('data-test-script-state') === 'notRunning'"
        " && !document.querySelector('[data-stale=\"true\"]'); }", timeout=timeout_ms)

"""The built wheel, installed outside the checkout, runs the CLI and the app (``scripts/wheel_check.py``).

Marked ``wheel`` (and ``slow``): skip it locally with ``pytest -m "not wheel"``. Here the new venv borrows
this venv's dependencies; CI (``.ci/run``) also runs it with exactly ``requirements.lock`` from scratch.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.wheel, pytest.mark.slow, pytest.mark.browser]
ROOT = Path(__file__).resolve().parents[1]


def test_wheel_installed_elsewhere_runs_the_cli_and_the_app(tmp_path):
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("/usr/bin/chromium is missing: apt-get install -y chromium (bash dev.sh test does it)")
    p = subprocess.run([sys.executable, str(ROOT / "scripts" / "wheel_check.py"), "--deps", "borrow",
                        "--screenshots", str(tmp_path)], capture_output=True, text=True, timeout=1800)
    assert p.returncode == 0, p.stdout[-4000:] + p.stderr[-4000:]
    assert "wheel check: passed" in p.stdout
    assert (tmp_path / "wheel-polysemy.png").stat().st_size > 10_000

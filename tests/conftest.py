"""Shared fixtures: an isolated workspace per test session and small planted-geometry spaces."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # pages import `ui` and `embedlab` from the repo root
    sys.path.insert(0, str(ROOT))

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True, scope="session")
def _isolated_workspace(tmp_path_factory):
    """Never touch the user's ~/.embedlab from tests."""
    home = tmp_path_factory.mktemp("embedlab-home")
    old = os.environ.get("EMBEDLAB_HOME")
    os.environ["EMBEDLAB_HOME"] = str(home)
    yield home
    if old is None:
        os.environ.pop("EMBEDLAB_HOME", None)
    else:
        os.environ["EMBEDLAB_HOME"] = old


@pytest.fixture
def planted_space():
    """A space with a planted parallelogram: king - man + woman = queen exactly, plus distractors."""
    from embedlab.space import EmbeddingSpace

    rng = np.random.default_rng(0)
    d = 16
    base = {w: rng.normal(size=d) for w in ["man", "king", "apple", "car", "tree", "river", "money", "dog"]}
    gender = rng.normal(size=d)
    base["woman"] = base["man"] + gender
    base["queen"] = base["king"] + gender
    return EmbeddingSpace.from_dict(base, name="planted")


def open_page(name: str, timeout: float = 120, state=None, run: bool = True):
    """The one way a test opens a page: ``app_pages/<name>.py`` under AppTest.

    ``state`` (a :class:`ui.state.AppState`) is installed before the first run, e.g. to start on a small
    session space. With ``run=True`` (default) the page renders once and must raise nothing; with
    ``run=False`` the caller sets more up and runs it.
    """
    from streamlit.testing.v1 import AppTest

    from ui.state import STATE_KEY

    app = AppTest.from_file(str(ROOT / "app_pages" / f"{name}.py"), default_timeout=timeout)
    if state is not None:
        app.session_state[STATE_KEY] = state
    if run:
        app.run()
        assert not app.exception, [e.value for e in app.exception]
    return app


def open_tab(app, name: str, param: str = "tab"):
    """Open a page's tab the way a link does (``?tab=<name>``) and rerun: only the open tab runs."""
    app.query_params[param] = name
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def open_linked(page: str, timeout: float = 300, **params):
    """Open ``app_pages/<page>.py`` as a link does: ``?name=value`` for each of ``params``; must not raise."""
    at = open_page(page, timeout, run=False)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(markdown: str) -> str:
    """What a reader sees of a body escaped with ``ui.literal.md_literal``: backslash escapes removed."""
    import re

    return re.sub(r"\\(.)", r"\1", markdown)


def make_zip(members: dict[str, bytes], compression: int | None = None) -> bytes:
    """A zip archive in memory holding ``{path: bytes}`` (deflated by default)."""
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED if compression is None else compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()

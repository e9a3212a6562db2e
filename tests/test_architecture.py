"""The import graph stays layered: no cycles, no upward imports, no streamlit in the library.

``scripts/check_imports.py`` does the check (it also runs on its own: ``python scripts/check_imports.py``);
this test runs it in CI and checks that it really catches each kind of problem on a small planted tree.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _checker():
    spec = importlib.util.spec_from_file_location("check_imports", ROOT / "scripts" / "check_imports.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_project_import_graph_is_clean():
    assert _checker().problems() == []


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_checker_finds_cycles_upward_imports_and_streamlit_in_the_library(tmp_path):
    _write(tmp_path, {
        "app.py": "import app_pages.home\n",
        "embedlab/__init__.py": "",
        "embedlab/errors.py": "import pandas\n",  # floor 0 must stay light
        "embedlab/a.py": "from embedlab import b\n",
        "embedlab/b.py": "def f():\n    from embedlab.a import g\n",  # a lazy import still ties a and b
        "embedlab/c.py": "import streamlit as st\nfrom ui.common import x\n",
        "embedlab/d.py": "import typing\nif typing.TYPE_CHECKING:\n    from embedlab.e import E\n",
        "embedlab/e.py": "from embedlab.d import D\n",  # d -> e only for annotations: not a cycle
        "embedlab/cli/__init__.py": "from embedlab import a\n",
        "ui/__init__.py": "",
        "ui/common.py": "import embedlab.cli\n",
        "app_pages/home.py": "from ui.common import x\n",
    })
    problems = _checker().problems(tmp_path)
    assert "import cycle: embedlab.a <-> embedlab.b" in problems
    assert not any("embedlab.d" in p for p in problems)
    assert any(p.startswith("embedlab.c (floor 1) imports ui.common (floor 3)") for p in problems)
    assert any(p.startswith("embedlab.c imports streamlit") for p in problems)
    assert any(p.startswith("embedlab.errors imports pandas") for p in problems)
    assert not any(p.startswith(("ui.common", "app_pages.home", "app", "embedlab.cli")) for p in problems)
    assert len(problems) == 4, problems


def test_checker_finds_a_loop_between_packages_that_no_two_modules_close(tmp_path):
    _write(tmp_path, {
        "embedlab/__init__.py": "",
        "embedlab/encoders/__init__.py": "",
        "embedlab/encoders/image.py": "def f():\n    from embedlab.images.io import decode\n",
        "embedlab/encoders/base.py": "",
        "embedlab/images/__init__.py": "",
        "embedlab/images/io.py": "",
        "embedlab/images/pipeline.py": "from embedlab.encoders.base import get_encoder\n",
        "embedlab/registry.py": "from embedlab.images import pipeline\n",  # a module beside the packages
        "embedlab/space.py": "from embedlab.linalg import f\n",
        "embedlab/linalg.py": "",
        "embedlab/deep/__init__.py": "",
        "embedlab/deep/inner/__init__.py": "",
        "embedlab/deep/inner/a.py": "from embedlab.deep.other import b\n",
        "embedlab/deep/other.py": "from embedlab.deep.inner import c\n",  # inner <-> other, inside deep
        "embedlab/deep/inner/c.py": "",
    })
    problems = _checker().problems(tmp_path)
    loops = [p for p in problems if p.startswith("package import cycle:")]
    assert not any(p.startswith("import cycle:") for p in problems), problems  # no module loop at all
    assert any(p.startswith("package import cycle: embedlab.encoders <-> embedlab.images (") for p in loops)
    assert any("embedlab.encoders.image -> embedlab.images.io" in p for p in loops)
    assert any(p.startswith("package import cycle: embedlab.deep.inner <-> embedlab.deep.other")
               for p in loops)
    assert not any("registry" in p or "space" in p for p in loops)  # one-way dependencies are fine
    assert len(problems) == 2, problems


def test_the_cli_imports_its_command_modules_plainly_and_nothing_heavy():
    import subprocess
    import sys

    heavy = ("torch", "transformers", "umap", "faiss", "hnswlib", "sklearn", "pandas", "streamlit", "gensim",
             "numba", "plotly", "PIL", "distributed")
    code = ("import sys; from embedlab.cli import COMMAND_MODULES, build_parser; build_parser(); "
            f"print([m for m in {heavy!r} if m in sys.modules]); print(len(COMMAND_MODULES))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    loaded, count = out.stdout.split("\n")[:2]
    assert loaded == "[]", f"`embedlab --help` imports {loaded}: keep heavy imports inside the commands"
    seen = [m for m in _checker().graph()["embedlab.cli"] if m.startswith("embedlab.cli.")]
    assert int(count) == len(set(seen) - {"embedlab.cli._output"}), "the graph sees every command"


# ------------------------------------------------------------------ Streamlit house rules (app_pages/, ui/)
STREAMLIT_FILES = sorted([*ROOT.glob("app_pages/*.py"), *ROOT.glob("ui/*.py"), ROOT / "app.py"])


def _attribute_uses(path: Path, names: set[str]) -> list[tuple[str, int]]:
    """(attribute, line) of every ``x.<name>`` in ``path`` whose attribute is one of ``names``."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(node.attr, node.lineno) for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr in names]


def _where(found: dict[str, list]) -> list[str]:
    return [f"{name}:{line} {attr}" for name, uses in found.items() for attr, line in uses]


def test_only_ui_state_touches_session_state():
    """Page state lives in ``page_state(<Name>Page)``; widgets are reached through their ``key=`` and
    ``ui.state.set_widget`` / ``widget_value`` / ``forget_widget``, never as ``st.session_state["..."]``."""
    found = {p.relative_to(ROOT).as_posix(): _attribute_uses(p, {"session_state"}) for p in STREAMLIT_FILES
             if p != ROOT / "ui" / "state.py"}
    assert _where({k: v for k, v in found.items() if v}) == []


def _streamlit_calls(path: Path) -> list[tuple[str, int]]:
    """(what, line) of every call that shows a table or a figure without its downloads, and of every
    ``use_container_width=`` (Streamlit 1.67 spells full width ``width="stretch"``, the default)."""
    import ast

    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        found += [(kw.arg, node.lineno) for kw in node.keywords if kw.arg == "use_container_width"]
        func = node.func
        if not isinstance(func, ast.Attribute):
            continue
        owner = func.value.id if isinstance(func.value, ast.Name) else ast.unparse(func.value)
        if func.attr in ("dataframe", "plotly_chart", "data_editor") and owner != "downloads":
            found.append((f"{owner}.{func.attr}", node.lineno))
        elif func.attr == "table" and owner in ("st", "st.sidebar"):
            found.append((f"{owner}.table", node.lineno))
    return found


def test_every_table_and_figure_is_shown_with_its_downloads():
    """Pages show tables and figures through ``ui.downloads.dataframe`` / ``chart`` (show and download)."""
    found = {p.relative_to(ROOT).as_posix(): _streamlit_calls(p) for p in STREAMLIT_FILES
             if p != ROOT / "ui" / "downloads.py"}
    assert _where({k: v for k, v in found.items() if v}) == []
    assert ("st.dataframe", 5) in _streamlit_calls_of("import streamlit as st\n\n\n\nst.dataframe(df)\n")
    assert ("left.plotly_chart", 1) in _streamlit_calls_of("left.plotly_chart(fig)\n")
    assert not _streamlit_calls_of("downloads.dataframe(df, 'x', key='k')\nres.table()\n")


def _streamlit_calls_of(text: str) -> list[tuple[str, int]]:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.py"
        path.write_text(text, encoding="utf-8")
        return _streamlit_calls(path)

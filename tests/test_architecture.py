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


HEAVY = ("torch", "transformers", "sentence_transformers", "tokenizers", "umap", "openTSNE", "faiss",
         "hnswlib", "sklearn", "scipy", "pandas", "pyarrow", "streamlit", "gensim", "numba", "networkx",
         "plotly", "PIL", "dask", "distributed")


def _loaded(code: str) -> list[str]:
    """The heavy packages loaded once ``code`` ran in a fresh interpreter."""
    import subprocess
    import sys

    probe = f"{code}\nimport sys; print([m for m in {HEAVY!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    return eval(out.stdout.strip().splitlines()[-1])  # noqa: S307 - our own list literal


def test_import_embedlab_loads_nothing_heavy():
    assert _loaded("import embedlab") == [], "`import embedlab` must stay numpy and the standard library"


def test_every_cli_module_imports_without_anything_heavy():
    """Each command module imports the library at module level; none of it may pull in a heavy package."""
    mods = sorted(p.stem for p in (ROOT / "embedlab" / "cli").glob("*.py") if p.stem != "__init__")
    assert len(mods) >= 12
    code = "; ".join(f"import embedlab.cli.{m}" for m in mods)
    assert _loaded(code) == [], "keep heavy imports inside the command functions"


def test_no_function_level_import_defers_nothing():
    """A function-level import is for a heavy or optional package (or a module importing one): everything
    else is imported at module level, where the import graph and the reader see it."""
    assert _checker().needless_lazy_imports() == []


def test_checker_finds_function_level_imports_that_defer_nothing(tmp_path):
    _write(tmp_path, {
        "embedlab/__init__.py": "def load():\n    from embedlab.light import f\n",  # the package init: kept
        "embedlab/light.py": "import json\n",
        "embedlab/heavy.py": "import pandas\n",
        "embedlab/sub/__init__.py": "import torch\n",
        "embedlab/sub/m.py": "",
        "embedlab/user.py": ("def a():\n    import json\n"
                             "def b():\n    from embedlab.light import x\n"
                             "def c():\n    from embedlab.heavy import y\n"
                             "def d():\n    import torch.nn\n"
                             "def e():\n    import numpy as np\n"
                             "def f():\n    try:\n        import faiss\n"
                             "    except ImportError:\n        pass\n"
                             "def g():\n    import msvcrt\n"
                             "def h():\n    from embedlab.sub import m\n"),
        "embedlab/pd.py": ("import pandas as pd\n\ndef h():\n    import pandas as pd\n"
                           "    from embedlab.heavy import y\n"),
    })
    found = _checker().needless_lazy_imports(tmp_path)
    assert [line.split(":")[0] for line in found] == [
        "embedlab.pd line 4", "embedlab.pd line 5", "embedlab.user line 2", "embedlab.user line 4",
        "embedlab.user line 10"], found
    assert "`import json` inside a function defers nothing heavy; import it at module level" in found[2]


def test_the_cli_imports_its_command_modules_plainly_and_nothing_heavy():
    import subprocess
    import sys

    heavy = HEAVY
    code = ("import sys; from embedlab.cli import COMMAND_MODULES, build_parser; build_parser(); "
            f"print([m for m in {heavy!r} if m in sys.modules]); print(len(COMMAND_MODULES))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    loaded, count = out.stdout.split("\n")[:2]
    assert loaded == "[]", f"`embedlab --help` imports {loaded}: keep heavy imports inside the commands"
    seen = [m for m in _checker().graph()["embedlab.cli"] if m.startswith("embedlab.cli.")]
    assert int(count) == len(set(seen) - {"embedlab.cli._output"}), "the graph sees every command"


# ------------------------------------------------------------------ Streamlit house rules (app_pages/, ui/)
STREAMLIT_FILES = sorted([*ROOT.glob("app_pages/*.py"), *ROOT.glob("ui/*.py"), ROOT / "app.py"])


def _uses(text: str) -> list[tuple[str, str, int, object]]:
    """(owner, attribute, line, node) of every ``owner.attribute`` in a module's source (``owner`` as written:
    ``st``, ``st.sidebar``, ``left``, ``downloads``); ``node`` is the call when the attribute is called."""
    import ast

    tree = ast.parse(text)
    calls = {id(n.func): n for n in ast.walk(tree) if isinstance(n, ast.Call)}
    return [(ast.unparse(n.value), n.attr, n.lineno, calls.get(id(n))) for n in ast.walk(tree)
            if isinstance(n, ast.Attribute)]


def _offences(check, skip: str | None = None) -> list[str]:
    """``file:line what`` for every use in app_pages/, ui/ and app.py (but ``skip``) that ``check`` names."""
    out = []
    for path in STREAMLIT_FILES:
        rel = path.relative_to(ROOT).as_posix()
        if rel != skip:
            uses = _uses(path.read_text(encoding="utf-8"))
            out += [f"{rel}:{line} {what}" for owner, attr, line, call in uses
                    if (what := check(owner, attr, call))]
    return out


def _session_state(owner, attr, call):
    return f"{owner}.{attr}" if attr == "session_state" else None


def test_only_ui_state_touches_session_state():
    """Page state lives in ``page_state(<Name>Page)``; widgets are reached through their ``key=`` and
    ``ui.state.set_widget`` / ``widget_value`` / ``forget_widget``, never as ``st.session_state["..."]``."""
    assert _offences(_session_state, skip="ui/state.py") == []


def _bare_output(owner, attr, call):
    """A table or figure shown without its downloads, or full width spelt the deprecated way."""
    if call is not None and any(kw.arg == "use_container_width" for kw in call.keywords):
        return "use_container_width"
    if call is not None and attr in ("dataframe", "data_editor", "plotly_chart") and owner != "downloads":
        return f"{owner}.{attr}"
    if call is not None and attr == "table" and owner in ("st", "st.sidebar"):
        return f"{owner}.table"
    return None


def test_every_table_and_figure_is_shown_with_its_downloads():
    """Pages show tables and figures through ``ui.downloads.dataframe`` / ``chart`` (show and download), full
    width spelt ``width="stretch"`` (Streamlit 1.67; the helpers' default)."""
    assert _offences(_bare_output, skip="ui/downloads.py") == []
    found = [_bare_output(*u[:2], u[3]) for u in _uses(
        "st.dataframe(df)\nleft.plotly_chart(fig)\nst.table(df)\ndownloads.chart(f, 'x', key='k')\n"
        "res.table()\ndownloads.dataframe(df, 'x', key='k', use_container_width=True)\n")]
    assert [f for f in found if f] == ["st.dataframe", "left.plotly_chart", "st.table", "use_container_width"]


def _progress(owner, attr, call):
    return f"{owner}.progress" if call is not None and attr == "progress" and owner.startswith("st") else None


def test_progress_bars_come_from_ui_progress():
    """``ui.progress`` shows progress messages literally (a message may quote a file, node or word name)."""
    assert _offences(_progress, skip="ui/progress.py") == []


def _url_parameters() -> set[str]:
    """Every query parameter a page or ui module reads: ``bind("q", ...)``, ``from_url``, ``link_value``,
    ``tabs(...)`` (``tab`` unless ``param=`` says otherwise), ``SPACE_PARAM``."""
    import ast

    found = {"space", "a", "b"}  # ui.common.SPACE_PARAM; Compare binds "a" and "b" in a loop (_pick_two)
    for path in STREAMLIT_FILES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            first = node.args[0] if node.args else None
            if name in ("bind", "from_url", "to_url", "link_value") and isinstance(first, ast.Constant):
                found.add(first.value)
            elif name == "tabs":
                param = next((k.value for k in node.keywords if k.arg == "param"), ast.Constant("tab"))
                if isinstance(param, ast.Constant) and param.value:
                    found.add(param.value)
    return found


def test_every_url_parameter_is_listed_and_in_the_readme():
    import re

    from ui.share import PARAMS

    assert _url_parameters() == set(PARAMS)
    table = [line for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
             if line.startswith("| `")]
    in_readme = {name for line in table for name in re.findall(r"`([a-z]+)`", line.split("|")[1])}
    assert set(PARAMS) <= in_readme

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

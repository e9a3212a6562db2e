"""``embedlab app``: start the Streamlit app from any folder, from a checkout or an installed wheel.

The app's files (``app.py``, ``app_pages/``, ``ui/`` and ``.streamlit/config.toml``) are the package
``embedlab_app``: in a checkout the editable install maps it onto the repository's top level, in a wheel they
are installed files. Streamlit runs as its own command (``python -m streamlit run``); embedlab itself never
imports streamlit.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import tomllib
from pathlib import Path

from embedlab.errors import EmbedlabError

APP_PACKAGE = "embedlab_app"


class AppNotInstalledError(EmbedlabError):
    """The app's files (package ``embedlab_app``) are not installed."""


def app_dir() -> Path:
    """The folder holding ``app.py`` (the repository in a checkout, ``site-packages/embedlab_app`` else)."""
    spec = importlib.util.find_spec(APP_PACKAGE)
    for loc in (spec.submodule_search_locations or []) if spec else []:
        if (Path(loc) / "app.py").is_file():
            return Path(loc)
    raise AppNotInstalledError(
        "The embedlab app is not installed (no package embedlab_app with an app.py). Install it with "
        "`pip install \"embedlab[all]\"`, or `pip install -e \".[all]\"` in a source checkout."
    )


def config_flags(folder: Path) -> list[str]:
    """The app's Streamlit settings (``.streamlit/config.toml`` beside ``app.py``) as command-line flags.

    Streamlit reads that file only from the working directory; as flags they apply from any folder.
    """
    path = folder / ".streamlit" / "config.toml"
    if not path.is_file():
        return []
    flags = []
    for section, options in tomllib.loads(path.read_text(encoding="utf-8")).items():
        for key, value in options.items():
            text = str(value).lower() if isinstance(value, bool) else str(value)
            flags.append(f"--{section}.{key}={text}")
    return flags


def streamlit_command(port: int | None = None, host: str | None = None, extra: list[str] | None = None
                      ) -> list[str]:
    """The ``python -m streamlit run …/app.py`` command line; later flags (``extra``) override earlier."""
    folder = app_dir()
    cmd = [sys.executable, "-m", "streamlit", "run", str(folder / "app.py"), *config_flags(folder)]
    if port is not None:
        cmd.append(f"--server.port={port}")
    if host is not None:
        cmd.append(f"--server.address={host}")
    return cmd + list(extra or [])


def cmd_app(args) -> int:
    cmd = streamlit_command(args.port, args.host, args.streamlit_args)
    sys.stdout.flush()
    os.execv(sys.executable, cmd)  # the app takes over this process (Ctrl-C stops it)
    return 0  # pragma: no cover - execv does not return


def register(sub) -> None:
    p = sub.add_parser(
        "app", help="start the app in the browser (any other --section.option goes to Streamlit)",
        description="Start the embedlab app (http://localhost:8501 by default). Options Streamlit "
        "understands, e.g. --server.headless=true, are passed on.",
    )
    p.add_argument("--port", type=int, default=None, help="port to serve on (default 8501)")
    p.add_argument("--host", default=None,
                   help="address to listen on: 0.0.0.0 serves a class, 127.0.0.1 this machine only")
    p.set_defaults(func=cmd_app, streamlit_args=[], accepts_extra=True)

"""Named batch outputs: ``embedlab batch embed`` records its output folder under a name in the workspace
(``<workspace>/batch-links.json``), so the app's space picker and ``embedlab.load(name)`` find it. The
folder itself stays where the user put it (it may be far larger than the workspace's disk)."""

from __future__ import annotations

import json
from pathlib import Path

from embedlab.batch import store
from embedlab.workspace import check_name, root


def _file() -> Path:
    return root() / "batch-links.json"


def _read() -> dict[str, str]:
    try:
        data = json.loads(_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def link(name: str, out: str | Path) -> str:
    """Record the batch output ``out`` under ``name`` (a valid workspace name); returns the name."""
    links = _read()
    links[check_name(name)] = str(Path(out).expanduser().resolve())
    store.write_json_atomic(_file(), links)
    return name


def resolve(name: str) -> Path | None:
    """The folder recorded under ``name``, if it still holds a batch output."""
    p = _read().get(name)
    return Path(p) if p and store.is_output(p) else None


def names() -> list[str]:
    """Names of the recorded batch outputs that still exist, sorted."""
    return sorted(n for n, p in _read().items() if store.is_output(p))

"""Encoders trained by users and saved in the workspace, found by name like the configured ones.

Layout under ``<workspace>/encoders/<name>/``: ``current.json`` names the current ``v-<id>/`` folder (model
files: see :mod:`embedlab.textnets.store`); replacing ``current.json`` is the one step that makes a new
save visible. This module only finds them (JSON, no torch): :func:`spec_options` gives what
:func:`~embedlab.encoders.base.get_encoder` needs to build a saved name's spec (kind ``"small-text"``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from embedlab.errors import InvalidParameterError
from embedlab.workspace import check_name as check_space_name
from embedlab.workspace import root

CURRENT = "current.json"
KIND = "small-text"


def encoders_dir() -> Path:
    """``<workspace>/encoders`` (created on demand)."""
    d = root() / "encoders"
    d.mkdir(parents=True, exist_ok=True)
    return d


def check_name(name: str, taken: Iterable[str] = ()) -> str:
    """A name to save an encoder under: a valid workspace name, none of ``taken`` (configured encoders)."""
    try:
        check_space_name(name)
    except InvalidParameterError:
        raise InvalidParameterError(
            f"{name!r} is not a valid encoder name: use 1-80 letters, digits, '_', '.' or '-', starting with "
            "a letter or digit (e.g. 'my-skip-thought')."
        ) from None
    if name.casefold() in {n.casefold() for n in taken}:
        raise InvalidParameterError(f"'{name}' is the name of a built-in encoder; pick another (e.g. "
                                    f"'{name}-mine').")
    return name


def folder(name: str) -> Path | None:
    """The current model folder of a saved encoder, or ``None`` when there is none of that name."""
    try:
        check_name(name)
    except InvalidParameterError:
        return None
    pointer = encoders_dir() / name / CURRENT
    try:
        current = json.loads(pointer.read_text(encoding="utf-8"))["folder"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    path = pointer.parent / str(current)
    return path if path.is_dir() else None


def exists(name: str) -> bool:
    return folder(name) is not None


def names() -> list[str]:
    """Names of the saved encoders, sorted."""
    return sorted(p.name for p in encoders_dir().iterdir() if not p.name.startswith(".") and exists(p.name))


def kind_of(name: str) -> str | None:
    """The network kind of the saved encoder ``name`` (``"elmo"``, ``"skip-thought"``, ...), ``"?"`` when its
    config cannot be read, ``None`` when there is no such saved encoder."""
    path = folder(name)
    if path is None:
        return None
    try:
        return str(json.loads((path / "config.json").read_text(encoding="utf-8")).get("kind", "?"))
    except (OSError, ValueError):
        return "?"


def spec_options(name: str) -> tuple[str, dict] | None:
    """``(description, options)`` of the saved encoder ``name`` (its folder as ``path``), or ``None``."""
    path, kind = folder(name), kind_of(name)
    if path is None:
        return None
    return (f"{kind} trained in embedlab and saved in the workspace",
            {"path": str(path), "version": path.name, "saved": True})

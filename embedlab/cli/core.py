"""Core commands: neighbours, analogy, evaluate, export, info (filled in by the CLI work)."""

from __future__ import annotations


def register(sub) -> None:
    """Register the core sub-commands."""

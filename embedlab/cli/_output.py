"""Shared output helpers for CLI commands."""

from __future__ import annotations

import json
import os
import sys
from typing import Any


def add_json_flag(p) -> None:
    p.add_argument("--json", action="store_true", help="print machine-readable JSON on stdout")


def emit(obj: Any, as_json: bool, text: str | None = None) -> None:
    """Print ``obj`` as JSON when asked, else the human ``text`` (or a plain rendering of ``obj``)."""
    if as_json:
        json.dump(obj, sys.stdout, indent=2, ensure_ascii=False, default=_default)
        sys.stdout.write("\n")
    else:
        print(text if text is not None else obj)


def _default(o):
    import numpy as np

    if isinstance(o, np.integer):
        return int(o)
    if isinstance(o, np.floating):
        return float(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    return str(o)


def scored_table(rows: list[tuple[str, float]], header: str = "key") -> str:
    """Human table of (key, score) rows."""
    if not rows:
        return "(no results)"
    w = max(len(header), *(len(k) for k, _ in rows))
    lines = [f"{'#':>3}  {header:<{w}}  score"]
    lines += [f"{i:>3}  {k:<{w}}  {s:.4f}" for i, (k, s) in enumerate(rows, 1)]
    return "\n".join(lines)


def progress(msg: str) -> None:
    """Progress line on stderr (keeps stdout clean for --json)."""
    print(msg, file=sys.stderr, flush=True)


def silence_stdout() -> None:
    """Send whatever is still to be written to stdout to devnull (after ``| head`` closed the pipe).

    The standard recipe (Python docs, "Note on SIGPIPE"): without it, the interpreter's final flush of
    stdout raises ``BrokenPipeError`` again and prints a traceback on the way out.
    """
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # a captured or replaced stdout: just replace it
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives until exit
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)

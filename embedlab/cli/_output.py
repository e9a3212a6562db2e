"""Shared output helpers for CLI commands."""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any


def add_json_flag(p) -> None:
    p.add_argument("--json", action="store_true", help="print machine-readable JSON on stdout")


def emit(obj: Any, as_json: bool, text: str | None = None) -> None:
    """Print ``obj`` as JSON when asked, else the human ``text`` (or a plain rendering of ``obj``).

    JSON is always valid: NaN and infinities (which ``json`` would write as the non-standard ``NaN``,
    ``Infinity``) become ``null``.
    """
    if as_json:
        json.dump(finite_json(obj), sys.stdout, indent=2, ensure_ascii=False, allow_nan=False)
        sys.stdout.write("\n")
    else:
        print(text if text is not None else obj)


def finite_json(o: Any) -> Any:
    """``o`` made of JSON types only: numpy scalars and arrays converted, NaN and infinities as ``None``."""
    import math

    import numpy as np

    if isinstance(o, dict):
        return {k if isinstance(k, (str, int, bool)) or k is None else str(k): finite_json(v)
                for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [finite_json(v) for v in o]
    if isinstance(o, np.ndarray):
        if o.dtype.kind in "iub" or (o.dtype.kind == "f" and np.isfinite(o).all()):
            return o.tolist()  # plain numbers already
        return finite_json(o.tolist())
    if isinstance(o, (bool, np.bool_)):
        return bool(o)
    if isinstance(o, (int, np.integer)):
        return int(o)
    if isinstance(o, (float, np.floating)):
        return float(o) if math.isfinite(o) else None
    if o is None or isinstance(o, str):
        return o
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


class ProgressPrinter:
    """The CLI's one progress callback (an :data:`embedlab.progress.Progress`): ``  40%  message`` on stderr.

    Every command that shows progress passes one of these. A line is printed when the share done enters a
    new ``step`` (every 10 % by default; a new phase that starts again from 0 % counts), when the work is
    done (unless that very line was just printed), and, with ``every``, when ``every`` seconds passed since
    the last line (long batch runs stay visibly alive). ``prefix`` goes first (``"[skipgram] "``).
    """

    def __init__(self, prefix: str = "", step: float = 10, every: float | None = None) -> None:
        self.prefix, self.step, self.every = prefix, step, every
        self._bucket: int | None = None
        self._line = ""
        self._time = 0.0

    def __call__(self, done: float, total: float, message: str = "") -> None:
        share = min(max(done / total if total else 1.0, 0.0), 1.0)
        bucket = int(100 * share // self.step)
        line = f"  {self.prefix}{100 * share:3.0f}%  {message}".rstrip()
        now = time.monotonic()
        due = self.every is not None and now - self._time >= self.every
        if bucket != self._bucket or due or (share >= 1.0 and line != self._line):
            self._bucket, self._line, self._time = bucket, line, now
            progress(line)


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

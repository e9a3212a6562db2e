"""The one progress-callback type shared by every long-running function.

A function that takes ``progress`` calls it as ``progress(done, total, message)``: ``done`` and ``total`` are
numbers in the same unit (items, epochs, or a fraction with ``total=1``) and ``message`` is one short sentence
for people. Pages turn it into ``st.progress``, the CLI into a line on stderr, background jobs into
``ctx.report``.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[float, float, str], None]


def report(progress: Progress | None, done: float, total: float, message: str = "") -> None:
    """Call ``progress`` if there is one (saves an ``if`` at every call site)."""
    if progress is not None:
        progress(done, total, message)


def scaled(progress: Progress | None, start: float, span: float) -> Progress | None:
    """A callback that maps a sub-task's ``done/total`` into ``[start, start + span]`` of a parent's 0..1."""
    if progress is None:
        return None

    def inner(done: float, total: float, message: str = "") -> None:
        frac = (done / total) if total else 1.0
        progress(start + span * min(max(frac, 0.0), 1.0), 1.0, message)

    return inner

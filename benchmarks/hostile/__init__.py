"""Cases for ``benchmarks/bench_hostile_surfaces.py``: one ``cases_<area>.py`` per area, each with ``CASES``.

A case's ``argv`` may use ``{python}`` (this interpreter) and ``{work}`` (its temporary folder);
``setup(work)`` writes its input files there first; ``check(stdout, stderr)`` (optional) says whether the
output is right, beyond the general target (no traceback, within ``limit_s``, peak at most 1.5 GB).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

EMBEDLAB = ["{python}", "-m", "embedlab"]


@dataclass(frozen=True)
class Case:
    name: str
    argv: list[str]
    setup: Callable[[Path], None] | None = None
    check: Callable[[str, str], bool] | None = None
    limit_s: float = 20.0


def cli(name: str, *args: str, setup=None, check=None, limit_s: float = 20.0) -> Case:
    """A case that runs ``python -m embedlab ARGS`` in the case's folder."""
    return Case(name, [*EMBEDLAB, *args], setup, check, limit_s)

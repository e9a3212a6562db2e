"""Hostile input on the newer surfaces (issue 22): each case in a fresh process; its exit, time and memory.

Run: ``python benchmarks/bench_hostile_surfaces.py [--only NAME,...] [--root CHECKOUT] [--kill-after 60]``.

The cases live in ``benchmarks/hostile/cases_*.py``: each module has ``CASES``, a list of
:class:`hostile.Case` (a name, the command line, and a ``setup`` that writes its input files). Every case runs
in its own child process in a temporary folder, with ``EMBEDLAB_HOME`` there too. The table prints, per case:
the exit code (``killed`` if it ran past ``--kill-after`` seconds), the first line of what it said (stderr,
else stdout), whether a Python traceback was printed, the wall time and the child's peak resident memory
(``ru_maxrss`` of that child alone, via ``os.wait4``). ``--root`` runs the same cases against another
checkout (e.g. a worktree of an older commit), for before/after tables. The target (issue 22): every case
ends within 20 s, with a clear message or a correct result, peak at most 1.5 GB, and no traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from hostile import Case  # noqa: E402


def all_cases() -> list[Case]:
    cases = []
    for path in sorted((HERE / "hostile").glob("cases_*.py")):
        cases += importlib.import_module(f"hostile.{path.stem}").CASES
    return cases


def run_case(case: Case, root: Path, kill_after: float) -> dict:
    """Run one case in a fresh process group; its exit, output, wall time and peak memory."""
    with tempfile.TemporaryDirectory(prefix="embedlab-hostile-") as tmp:
        work = Path(tmp)
        if case.setup is not None:
            case.setup(work)
        env = {**os.environ, "EMBEDLAB_HOME": str(work / "home"), "PYTHONPATH": str(root),
               "PYTHONUNBUFFERED": "1"}
        out_path, err_path = work / "stdout.txt", work / "stderr.txt"
        argv = [sys.executable if a == "{python}" else a.replace("{work}", str(work)) for a in case.argv]
        t = time.perf_counter()
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            proc = subprocess.Popen(argv, cwd=work, env=env, stdout=out, stderr=err, start_new_session=True)
            killed = False
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                if time.perf_counter() - t > kill_after:
                    os.killpg(proc.pid, signal.SIGKILL)
                    pid, status, usage = os.wait4(proc.pid, 0)
                    killed = True
                    break
                time.sleep(0.05)
        wall = time.perf_counter() - t
        stdout = out_path.read_text(errors="replace")
        stderr = err_path.read_text(errors="replace")
    said = (stderr.strip() or stdout.strip()).splitlines()
    return {
        "case": case.name,
        "exit": "killed" if killed else str(os.waitstatus_to_exitcode(status)),
        "said": said[-1][:110] if said and "Traceback" in stderr else (said[0][:110] if said else ""),
        "traceback": "Traceback (most recent call last)" in stderr + stdout,
        "wall_s": wall,
        "peak_mb": usage.ru_maxrss / 1024,
        "ok": (not killed and wall <= case.limit_s and usage.ru_maxrss / 1024 <= 1536
               and "Traceback (most recent call last)" not in stderr + stdout
               and (case.check is None or case.check(stdout, stderr))),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default="", help="comma-separated case names (default: all)")
    ap.add_argument("--root", type=Path, default=HERE.parent, help="checkout whose embedlab runs the cases")
    ap.add_argument("--kill-after", type=float, default=60.0, help="seconds before a case is killed")
    args = ap.parse_args()
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    cases = [c for c in all_cases() if not only or c.name in only]
    print(f"{len(cases)} case(s) against {args.root}; target: <= 20 s, peak <= 1.5 GB, no traceback")
    print(f"{'case':<34} {'exit':>6} {'wall s':>7} {'peak MB':>8} {'tb':>3} {'ok':>3}  said")
    failed = 0
    for case in cases:
        r = run_case(case, args.root.resolve(), args.kill_after)
        failed += not r["ok"]
        tb, ok = "yes" if r["traceback"] else "no", "ok" if r["ok"] else "NO"
        print(f"{r['case']:<34} {r['exit']:>6} {r['wall_s']:>7.1f} {r['peak_mb']:>8.0f} {tb:>3} {ok:>3}  "
              f"{r['said']}", flush=True)
    print(f"{len(cases) - failed} of {len(cases)} within the target")


if __name__ == "__main__":
    main()

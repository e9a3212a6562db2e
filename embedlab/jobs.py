"""Background jobs: long work (UMAP, training, encoding) runs in a thread while pages keep rendering.

A job function receives a :class:`JobContext` as its first argument; it reports progress with
``ctx.report(done, total, message)``, may publish partial results with ``ctx.publish(obj)`` (e.g. the
space trained so far), and should return early when ``ctx.cancelled`` is true (a Stop button); library work
given ``ctx.checkpoint`` as its progress callback stops at its next report. Jobs are
kept in a process-wide registry by key, so re-opening a page finds the job that is already running.

The same job function also runs in the caller's own thread (the CLI, a page's button that waits) with a
:class:`LocalContext`: progress goes to a callback, partial results are kept, and it stops only when
asked. Both contexts follow the :class:`Context` protocol.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from embedlab.progress import Progress, report

PENDING, RUNNING, DONE, FAILED, CANCELLED = "pending", "running", "done", "failed", "cancelled"


class JobCancelled(Exception):  # noqa: N818 - it is what happened, not an error
    """Raised by :meth:`JobContext.checkpoint` in a job that was asked to stop; the job ends cancelled."""


@runtime_checkable
class Context(Protocol):
    """What a job function gets as ``ctx``: a :class:`JobContext` in a background job, a
    :class:`LocalContext` when the caller runs it and waits."""

    def report(self, done: float, total: float, message: str = "") -> None:
        """Progress, as an :data:`embedlab.progress.Progress` callback."""

    def publish(self, partial: Any) -> None:
        """A partial result (e.g. the space trained so far)."""

    @property
    def cancelled(self) -> bool:
        """Whether the work was asked to stop (it ends early, keeping what it has)."""

    def checkpoint(self, done: float, total: float, message: str = "") -> None:
        """:meth:`report`, or raise :class:`JobCancelled` once the work was asked to stop."""


class LocalContext:
    """The job context of work run in the caller's own thread (the CLI; a page's button that waits).

    ``report`` goes to ``progress`` (a CLI printer, a page's progress bar, or nothing), ``publish`` keeps
    the latest partial result in :attr:`partial`, and :attr:`cancelled` stays false until :meth:`cancel`.
    """

    def __init__(self, progress: Progress | None = None) -> None:
        self.progress = progress
        self.partial: Any = None
        self._cancelled = False

    def report(self, done: float, total: float, message: str = "") -> None:
        report(self.progress, done, total, message)

    def publish(self, partial: Any) -> None:
        self.partial = partial

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        """Ask the work to stop at its next check (as a background job's Stop button does)."""
        self._cancelled = True

    def checkpoint(self, done: float, total: float, message: str = "") -> None:
        if self._cancelled:
            raise JobCancelled(f"stopped at {message or 'a checkpoint'}")
        self.report(done, total, message)


@dataclass
class JobContext:
    """Handed to the job function: progress, partial results and the cancel flag."""

    _job: Job

    def report(self, done: float, total: float, message: str = "") -> None:
        self._job.progress = (float(done), float(total), str(message))

    def publish(self, partial: Any) -> None:
        self._job.partial = partial

    @property
    def cancelled(self) -> bool:
        return self._job._cancel.is_set()

    def checkpoint(self, done: float, total: float, message: str = "") -> None:
        """:meth:`report`, or raise :class:`JobCancelled` once the job was asked to stop: passed as the
        ``progress`` callback of long library work, it stops that work at its next report."""
        if self.cancelled:
            raise JobCancelled(f"stopped at {message or 'a checkpoint'}")
        self.report(done, total, message)


@dataclass
class Job:
    """One unit of background work and everything a page needs to show it."""

    key: str
    fn: Callable[..., Any]
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    status: str = PENDING
    progress: tuple[float, float, str] = (0.0, 1.0, "")
    partial: Any = None
    result: Any = None
    error: BaseException | None = None
    error_trace: str = ""
    started: float = 0.0
    finished: float = 0.0
    _cancel: threading.Event = field(default_factory=threading.Event, repr=False)
    _thread: threading.Thread | None = field(default=None, repr=False)

    def start(self) -> Job:
        self.status, self.started = RUNNING, time.time()
        self._thread = threading.Thread(target=self._run, name=f"embedlab-job-{self.key}", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            self.result = self.fn(JobContext(self), *self.args, **self.kwargs)
            self.status = CANCELLED if self._cancel.is_set() else DONE
        except JobCancelled:
            self.status = CANCELLED
        except BaseException as exc:  # noqa: BLE001 - reported to the page, never lost
            self.error, self.error_trace, self.status = exc, traceback.format_exc(), FAILED
        finally:
            self.finished = time.time()

    def cancel(self) -> None:
        """Ask the job to stop; it keeps what it has published so far."""
        self._cancel.set()

    def wait(self, timeout: float | None = None) -> Job:
        if self._thread is not None:
            self._thread.join(timeout)
        return self

    @property
    def running(self) -> bool:
        return self.status in (PENDING, RUNNING)

    @property
    def fraction(self) -> float:
        done, total, _ = self.progress
        return 0.0 if total <= 0 else max(0.0, min(1.0, done / total))

    @property
    def elapsed(self) -> float:
        end = self.finished or time.time()
        return 0.0 if not self.started else end - self.started


_JOBS: dict[str, Job] = {}
_LOCK = threading.Lock()


def submit(key: str, fn: Callable[..., Any], *args: Any, restart: bool = False, **kwargs: Any) -> Job:
    """Start ``fn(ctx, *args, **kwargs)`` under ``key`` unless a job with that key is running or done.

    A failed or cancelled job (or ``restart=True``) is replaced by a fresh one.
    """
    with _LOCK:
        job = _JOBS.get(key)
        if job is not None and not restart and job.status in (PENDING, RUNNING, DONE):
            return job
        if job is not None and job.running:
            job.cancel()
        job = Job(key, fn, args, kwargs)
        _JOBS[key] = job
        return job.start()


def get(key: str) -> Job | None:
    """The job registered under ``key``, if any."""
    return _JOBS.get(key)


def forget(key: str) -> None:
    """Drop a job from the registry (cancelling it if still running)."""
    with _LOCK:
        job = _JOBS.pop(key, None)
    if job is not None and job.running:
        job.cancel()

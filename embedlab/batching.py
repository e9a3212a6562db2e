"""The one bounded-queue batch loop: run ``fn`` on batches in worker threads, yield results in order.

Encoders (text and images) use it so that one worker's pre-processing (tokenising, decoding pictures)
overlaps another's network pass; torch, tokenizers and Pillow release the GIL. Standard library only.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

B = TypeVar("B")
R = TypeVar("R")


def chunks(items: Sequence[Any], size: int) -> list[list[Any]]:
    """Consecutive batches of at most ``size`` items (the last one may be shorter)."""
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


def map_in_order(fn: Callable[[B], R], batches: Sequence[B], workers: int = 2, name: str = "embedlab"
                 ) -> Iterator[R]:
    """Yield ``fn(batch)`` for every batch, in the batches' order, computed by ``workers`` threads.

    Parameters
    ----------
    fn : callable
        Work on one batch; runs on a worker thread (so it must not touch shared mutable state).
    batches : sequence
        The batches, already formed (see :func:`chunks`).
    workers : int
        Worker threads. At most ``workers + 1`` batches are in flight, so memory stays bounded however
        many batches there are. With one worker or one batch, ``fn`` runs in the caller's thread.
    name : str
        Prefix of the worker threads' names (shows in profilers and tracebacks).
    """
    if workers <= 1 or len(batches) <= 1:
        yield from (fn(b) for b in batches)
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name) as pool:
        queue: deque = deque(pool.submit(fn, b) for b in batches[:workers + 1])
        nxt = len(queue)
        while queue:
            result = queue.popleft().result()
            if nxt < len(batches):
                queue.append(pool.submit(fn, batches[nxt]))
                nxt += 1
            yield result

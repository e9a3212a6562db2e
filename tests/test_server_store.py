"""ui.server_store: computed once per server, callers wait for one computation, failures retried."""

from __future__ import annotations

import threading
import time

import pytest

from ui.server_store import clear, compute_once


def test_computed_once_and_shared():
    clear("t1")
    calls = []
    a = compute_once("t1", "k", lambda: calls.append(1) or object())
    b = compute_once("t1", "k", lambda: calls.append(1) or object())
    assert a is b and calls == [1]


def test_concurrent_callers_wait_for_one_computation():
    clear("t2")
    calls, results = [], []

    def slow():
        calls.append(1)
        time.sleep(0.2)  # long enough that every thread arrives while it runs
        return object()

    threads = [threading.Thread(target=lambda: results.append(compute_once("t2", "k", slow)))
               for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == [1] and len({id(r) for r in results}) == 1


def test_a_failure_is_not_kept():
    clear("t3")

    def boom():
        raise ValueError("no")

    with pytest.raises(ValueError):
        compute_once("t3", "k", boom)
    assert compute_once("t3", "k", lambda: 42) == 42


def test_oldest_entries_dropped_past_the_limit():
    clear("t4")
    for i in range(5):
        compute_once("t4", i, lambda i=i: i, max_entries=3)
    calls = []
    compute_once("t4", 0, lambda: calls.append(1) or 0, max_entries=3)
    assert calls == [1]  # key 0 was dropped and recomputed


def test_peek_sees_a_finished_value_only():
    clear("t5")
    from ui.server_store import peek

    assert peek("t5", "k") is None
    started, release = threading.Event(), threading.Event()
    thread = threading.Thread(target=compute_once, args=("t5", "k", lambda: started.set() or release.wait()
                                                          and "value"))
    thread.start()
    started.wait(10)
    assert peek("t5", "k") is None  # still computing: nobody waits for it
    release.set()
    thread.join()
    assert peek("t5", "k") == "value"

"""Results computed once per server and shared by every session, for work that reports progress.

``st.cache_resource`` / ``st.cache_data`` record the Streamlit calls made inside a cached function and
replay them on a cache hit; a progress bar created by the first session and updated inside the function
is then replayed into another session's page, which fails. Work that drives a progress bar goes through
:func:`compute_once` instead: a plain per-process store, one lock per key (two sessions asking for the same
thing wait for one computation), oldest entries dropped past ``max_entries``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any

_STORES: dict[str, dict[Hashable, dict[str, Any]]] = {}
_LOCK = threading.Lock()


def compute_once(store: str, key: Hashable, compute: Callable[[], Any], max_entries: int = 16) -> Any:
    """``compute()`` once per ``(store, key)`` for the whole server; later callers get the same object.

    The value must be safe to share (read-only, like an ``EmbeddingSpace``). If ``compute`` raises, nothing
    is kept and the next caller tries again.
    """
    with _LOCK:
        entries = _STORES.setdefault(store, {})
        entry = entries.get(key)
        if entry is None:
            entry = entries[key] = {"lock": threading.Lock(), "done": False, "value": None}
    with entry["lock"]:
        if not entry["done"]:
            entry["value"] = compute()
            entry["done"] = True
            with _LOCK:
                while len(entries) > max_entries:
                    entries.pop(next(iter(entries)))
    return entry["value"]


def peek(store: str, key: Hashable) -> Any | None:
    """The value :func:`compute_once` keeps for ``(store, key)``, or None when it is not computed (yet):
    for a page that shows a result another session or a background job computed, without waiting."""
    with _LOCK:
        entry = _STORES.get(store, {}).get(key)
    return entry["value"] if entry is not None and entry["done"] else None


def clear(store: str | None = None) -> None:
    """Forget one store's results (or all of them)."""
    with _LOCK:
        if store is None:
            _STORES.clear()
        else:
            _STORES.pop(store, None)

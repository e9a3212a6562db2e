"""Dask clusters for batch work: a local one (N worker processes on this machine) or a real one by address.

The task functions here run on workers. Encoders are built once per worker process:
:func:`embedlab.encoders.base.get_encoder` caches them per process, and a Dask worker process runs many
tasks, so the model is loaded by the first shard a worker gets and reused for every later one.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from typing import Any

import numpy as np

from embedlab.encoders import get_encoder
from embedlab.errors import EmbedlabError, InvalidParameterError
from embedlab.pixels import decode_for_model

CONNECT_TIMEOUT_S = 5.0


class SchedulerUnreachableError(EmbedlabError):
    """No Dask scheduler answered at the given address."""


def _need_distributed():
    try:
        import distributed
    except ImportError:
        raise InvalidParameterError(
            "Batch work needs Dask: pip install 'dask[distributed]' (or pip install 'embedlab[scale]')."
        ) from None
    return distributed


def check_address(address: str) -> str:
    """Normalise a scheduler address (``host:port`` or ``tcp://host:port``)."""
    a = str(address).strip()
    if "://" not in a:
        a = "tcp://" + a
    rest = a.split("://", 1)[1]
    host, _, port = rest.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise InvalidParameterError(
            f"'{address}' is not a scheduler address; expected HOST:PORT such as tcp://10.0.0.5:8786 "
            "(the address `dask scheduler` prints)."
        )
    return a


@contextmanager
def connect(workers: int = 2, scheduler: str | None = None, threads_per_worker: int = 1,
            timeout: float = CONNECT_TIMEOUT_S, memory_limit: str | int = "auto"):
    """A ``distributed.Client``: to ``scheduler`` if given, else to a new local cluster of ``workers``
    processes (loopback only, no dashboard), closed on exit."""
    distributed = _need_distributed()
    if scheduler:
        address = check_address(scheduler)
        try:
            client = distributed.Client(address, timeout=f"{timeout}s", set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise SchedulerUnreachableError(
                f"No Dask scheduler answered at {address} within {timeout:g} s ({type(exc).__name__}). "
                "Start one with `dask scheduler` (it prints its address), start workers with "
                "`dask worker ADDRESS`, and check host, port and firewall."
            ) from None
        try:
            yield client
        finally:
            client.close()
        return
    if int(workers) < 1:
        raise InvalidParameterError(f"--workers must be at least 1; got {workers}.")
    cluster = distributed.LocalCluster(n_workers=int(workers), threads_per_worker=int(threads_per_worker),
                                       processes=True, host="127.0.0.1", dashboard_address=None,
                                       memory_limit=memory_limit, silence_logs=40)
    client = distributed.Client(cluster, set_as_default=False)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def worker_count(client) -> int:
    """Workers currently connected to the client's scheduler."""
    try:
        return len(client.scheduler_info(n_workers=-1).get("workers", {}))
    except TypeError:  # older distributed: no n_workers argument (and no cap on the listing)
        return len(client.scheduler_info().get("workers", {}))


# ------------------------------------------------------------------ tasks (run on workers)
def _set_threads(threads: int | None, encoder: Any) -> None:
    if not threads:
        return
    if "torch" in sys.modules:  # encoders without torch (word averages) do not pull it in
        sys.modules["torch"].set_num_threads(int(threads))
    if hasattr(encoder, "workers"):
        encoder.workers = int(threads)


def encode_shard(encoder_name: str, kind: str, items: list, device: str | None = None,
                 threads: int | None = None) -> dict:
    """Embed one shard's inputs on this worker; returns vectors, which inputs were refused, and the pid.

    Texts go straight to the encoder. Images are decoded one by one; an image that cannot be read is
    refused (``(position, reason)``) and the others are embedded.
    """
    enc = get_encoder(encoder_name, device=device) if device else get_encoder(encoder_name)
    _set_threads(threads, enc)
    refused: list[tuple[int, str]] = []
    if kind == "text":
        vectors = enc.encode(list(items))
    else:
        pixels, keep = [], []
        for i, data in enumerate(items):
            try:
                pixels.append(decode_for_model(data, f"image {i}", enc.image_size))
                keep.append(i)
            except EmbedlabError as exc:
                refused.append((i, str(exc)))
        vectors = enc.encode(pixels) if pixels else np.zeros((0, enc.dim), np.float32)
    return {"vectors": np.asarray(vectors, dtype=np.float32), "refused": refused, "pid": os.getpid()}

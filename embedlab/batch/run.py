"""``embed``: cut an input into shards, embed them on Dask workers, write each shard once, atomically.

The client streams the input shard by shard and keeps at most ``max_in_flight`` shards submitted (memory
stays bounded whatever the input size). Each finished shard comes back to the client, which writes it
under its final name in one rename, so the output never holds a partial or a doubled shard. When a worker
dies, the scheduler re-runs its tasks on the others (Dask's own recovery): the shard is still written
exactly once, by the client, when its result arrives. A re-run finds the shards already on disk and skips
them; a finished run writes nothing new.
"""

from __future__ import annotations

import os
import time
import uuid
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

from embedlab.batch import store
from embedlab.batch.cluster import connect, encode_shard, worker_count
from embedlab.batch.inputs import BatchInput, Shard, describe
from embedlab.encoders.specs import DEFAULT_IMAGE_ENCODER, DEFAULT_TEXT_ENCODER
from embedlab.errors import EmbedlabError, InvalidParameterError
from embedlab.progress import Progress, report

DEFAULT_SHARD = {"text": 2_000, "images": 64}


class InputChangedError(EmbedlabError):
    """The output folder holds a run of a different input or with different settings."""


@dataclass
class BatchResult:
    """What a batch run did. ``rows`` and ``shards`` describe the whole output, the rest this run."""

    out: str
    rows: int
    shards: int
    skipped_shards: int
    written_shards: int
    rows_written: int
    refused: list[tuple[str, str]] = field(default_factory=list)
    dim: int = 0
    seconds: float = 0.0
    rows_per_s: float = 0.0
    workers: int = 0
    worker_pids: list[int] = field(default_factory=list)
    encoder: str = ""
    kind: str = ""

    def to_dict(self) -> dict:
        d = asdict(self)
        d["refused"] = [{"key": k, "reason": r} for k, r in self.refused]
        return d


def _default_encoder(kind: str) -> str:
    return DEFAULT_TEXT_ENCODER if kind == "text" else DEFAULT_IMAGE_ENCODER


def _start(out: Path, src: BatchInput, encoder: str, shard_size: int, name: str) -> dict:
    """The manifest of this output: the existing one (checked to match) or a new one."""
    wanted = {"kind": src.kind, "encoder": encoder, "shard_size": shard_size, "input": src.signature}
    if (out / store.MANIFEST).is_file():
        m = store.read_manifest(out)
        have = {k: m.get(k) for k in wanted}
        if have != wanted:
            diff = [k for k in wanted if have[k] != wanted[k]]
            raise InputChangedError(
                f"{out} already holds a batch run with a different {', '.join(diff)} "
                f"(input {m.get('input', {}).get('path', m.get('input'))}). Use another --out folder, or "
                "delete this one to start over."
            )
        return m
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InvalidParameterError(f"--out {out} exists and is not a batch output folder; give a new or "
                                    "empty folder.")
    out.mkdir(parents=True, exist_ok=True)
    m = {"format": store.FORMAT, "run_id": uuid.uuid4().hex[:16], "name": name, **wanted, "complete": False}
    store.write_json_atomic(out / store.MANIFEST, m)
    return m


class _Runner:
    """Submits shards, collects results as they finish, writes each shard once."""

    def __init__(self, client, out: Path, kind: str, encoder: str, device: str | None, threads: int | None,
                 window: int, progress: Progress | None) -> None:
        from distributed import as_completed

        self.client, self.out, self.kind, self.encoder = client, out, kind, encoder
        self.device, self.threads, self.window, self.progress = device, threads, window, progress
        self.pending: dict = {}
        self.done = as_completed(loop=client.loop)
        self.rows = self.shards = 0
        self.pids: set[int] = set()
        self.t0 = time.perf_counter()

    def submit(self, shard: Shard, run_id: str) -> None:
        while len(self.pending) >= self.window:
            self.collect(next(self.done))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "large object in task graph": shards are sent on purpose
            fut = self.client.submit(encode_shard, self.encoder, self.kind, shard.load(), self.device,
                                     self.threads, key=f"embedlab-shard-{run_id}-{shard.index}", pure=False)
        self.pending[fut] = shard
        self.done.add(fut)

    def collect(self, fut) -> None:
        shard = self.pending.pop(fut)
        try:
            res = fut.result()
        except EmbedlabError:
            raise
        except Exception as exc:  # noqa: BLE001 - a task failed for good (after Dask's retries)
            raise EmbedlabError(
                f"Shard {shard.index} failed on the workers ({type(exc).__name__}: {exc}). Shards written "
                "so far are kept; re-run the same command to resume."
            ) from exc
        bad = {i for i, _ in res["refused"]}
        keep = [i for i in range(len(shard.keys)) if i not in bad]
        meta = {c: [v[i] for i in keep] for c, v in shard.meta.items()}
        refused = [(shard.keys[i], reason) for i, reason in res["refused"]]
        store.write_shard(self.out, shard.index, [shard.keys[i] for i in keep], res["vectors"], meta, refused)
        self.pids.add(int(res["pid"]))
        self.rows += len(keep)
        self.shards += 1
        rate = self.rows / max(time.perf_counter() - self.t0, 1e-9)
        report(self.progress, self.rows, 0,
               f"{self.rows:,} rows in {self.shards:,} new shards ({rate:,.0f} rows/s)")

    def finish(self) -> None:
        while self.pending:
            self.collect(next(self.done))

    def cancel(self) -> None:
        for fut in list(self.pending):
            fut.cancel()


def _summarise(out: Path, m: dict, n_shards: int) -> tuple[int, int, list[tuple[str, str]]]:
    """Rows, dimension and refused inputs of the whole output (from the shard files' metadata)."""
    import pyarrow.parquet as pq

    rows, dim, refused = 0, int(m.get("dim") or 0), []
    for i in range(n_shards):
        path = store.shard_path(out, i)
        rows += pq.read_metadata(path).num_rows
        refused += store.shard_refused(path)
        if not dim:
            dim = int(pq.read_schema(path).field("vector").type.list_size)
    return rows, dim, refused


def embed(input: str | Path, kind: str = "text", out: str | Path = "batch-out", workers: int = 2,
          scheduler: str | None = None, client=None, encoder: str | None = None,
          shard_size: int | None = None,
          device: str | None = None, threads: int | None = None, max_in_flight: int | None = None,
          name: str | None = None, progress: Progress | None = None) -> BatchResult:
    """Embed ``input`` on a Dask cluster into the output folder ``out`` (a space; see :mod:`.store`).

    Parameters
    ----------
    input : str or Path
        Text file (one text a line), CSV/Parquet with ``text`` (and ``id``), or folder/zip/glob of images.
    kind : {"text", "images"}
    out : str or Path
        Output folder (new, empty, or an earlier run of the same command, which is resumed).
    workers : int
        Worker processes of the local cluster (ignored with ``scheduler`` or ``client``).
    scheduler : str, optional
        Address of a running Dask scheduler (``tcp://host:8786``); the output folder is written by this
        process, so the workers need no shared disk.
    client : distributed.Client, optional
        An existing client to use (tests, notebooks).
    encoder : str, optional
        Encoder name (default ``minilm-l6`` for text, ``efficientnet-lite0`` for images).
    shard_size : int, optional
        Rows per shard (default 2,000 texts or 64 images).
    device : str, optional
        Encoder device on the workers (``"cpu"``, ``"cuda"``, ``"auto"``); default: the encoder's own.
    threads : int, optional
        torch threads per worker (default: this machine's cores / workers on a local cluster).
    max_in_flight : int, optional
        Shards submitted at once (default twice the workers).
    progress : callable, optional
        ``progress(rows_done, 0, message)`` after each shard (the message has rows/s).
    """
    src = describe(input, kind)
    encoder = encoder or _default_encoder(kind)
    size = int(shard_size or DEFAULT_SHARD[kind])
    if size < 1:
        raise InvalidParameterError(f"shard_size must be at least 1; got {size}.")
    out = Path(out).expanduser()
    m = _start(out, src, encoder, size, name or out.name)
    if m.get("complete") and len(store.finished_shards(out)) == m.get("shards"):
        return BatchResult(str(out), int(m["rows"]), int(m["shards"]), int(m["shards"]), 0, 0,
                           [tuple(r) for r in m.get("refused", [])], int(m["dim"]), encoder=encoder,
                           kind=kind)
    if client is not None:
        return _run(client, out, src, m, size, device, threads, max_in_flight, progress)
    local_threads = threads or (None if scheduler else max(1, (os.cpu_count() or 1) // max(1, int(workers))))
    with connect(workers, scheduler) as c:
        return _run(c, out, src, m, size, device, local_threads, max_in_flight, progress)


def _run(client, out: Path, src: BatchInput, m: dict, size: int, device: str | None, threads: int | None,
         max_in_flight: int | None, progress: Progress | None) -> BatchResult:
    n_workers = max(1, worker_count(client))
    runner = _Runner(client, out, src.kind, m["encoder"], device, threads,
                     int(max_in_flight or 2 * n_workers), progress)
    done = store.finished_shards(out)
    n_shards = skipped = 0
    try:
        for shard in src.shards(size):
            n_shards = shard.index + 1
            if shard.index in done:
                skipped += 1
                continue
            runner.submit(shard, m["run_id"])
        runner.finish()
    except BaseException:
        runner.cancel()
        raise
    rows, dim, refused = _summarise(out, m, n_shards)
    seconds = time.perf_counter() - runner.t0
    m.update(complete=True, shards=n_shards, rows=rows, dim=dim, refused=refused)
    store.write_json_atomic(out / store.MANIFEST, m)
    store.consolidate(out)
    return BatchResult(str(out), rows, n_shards, skipped, runner.shards, runner.rows, refused, dim,
                       round(seconds, 3), round(runner.rows / max(seconds, 1e-9), 1), n_workers,
                       sorted(runner.pids), m["encoder"], src.kind)

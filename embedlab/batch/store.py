"""The batch output folder: Parquet shards, a manifest, and a memory-mapped cache that makes it a space.

Layout of ``DIR``::

    manifest.json               what was embedded, how, and (once finished) rows and shards
    shards/part-00000.parquet   key, vector (fixed-size list of float32), metadata (text / label)
    vectors.npy                 all vectors in shard order, float32, C order (built when the run finishes)
    normed.npy                  unit rows, only when the encoder's vectors are not unit length already
    table.parquet               key + metadata in the same order

Each shard is written to a temporary name and renamed into place, so a shard file exists whole or not at
all: a re-run skips exactly the shards present. The only writer is the client process, once per shard.

:func:`open_space` returns an :class:`~embedlab.space.EmbeddingSpace` whose vectors are the memory-mapped
``vectors.npy`` (read-only, never copied into RAM). Its ``normed`` view is the same map when vectors are
unit length (MiniLM's are), else the memory-mapped ``normed.npy``; ``norms`` and ``fingerprint`` come from
the cache too, so nothing reads the whole matrix into memory.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from embedlab.errors import EmbedlabError, FormatError
from embedlab.space import EmbeddingSpace

FORMAT = "embedlab-batch/1"
MANIFEST = "manifest.json"
UNIT_TOLERANCE = 1e-3  # vectors whose norms are all within this of 1 are treated as unit length


class IncompleteOutputError(EmbedlabError):
    """A batch output folder whose run has not finished (some shards missing)."""


def is_output(path: str | Path) -> bool:
    """Whether ``path`` is a batch output folder (has a batch manifest)."""
    p = Path(path).expanduser() / MANIFEST
    if not p.is_file():
        return False
    try:
        return json.loads(p.read_text(encoding="utf-8")).get("format") == FORMAT
    except (OSError, ValueError):
        return False


def read_manifest(out: str | Path) -> dict:
    """The manifest of a batch output folder."""
    p = Path(out).expanduser() / MANIFEST
    try:
        m = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FormatError(str(out), "is not a batch output folder (no manifest.json).",
                          hint="Create one with `embedlab batch embed INPUT --out DIR`.") from None
    except ValueError as exc:
        raise FormatError(str(p), f"is not valid JSON ({exc}).") from None
    if m.get("format") != FORMAT:
        raise FormatError(str(p), f"has format {m.get('format')!r}; expected {FORMAT!r}.")
    return m


def write_json_atomic(path: Path, obj: dict) -> None:
    """Write JSON to a temporary sibling and rename it into place."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    tmp.write_text(json.dumps(obj, indent=2, default=str), encoding="utf-8")
    os.replace(tmp, path)


def shard_path(out: Path, index: int) -> Path:
    return out / "shards" / f"part-{index:05d}.parquet"


def finished_shards(out: str | Path) -> set[int]:
    """Indices of the shards already written (whole files only: partial ones never get their final name)."""
    d = Path(out) / "shards"
    if not d.is_dir():
        return set()
    return {int(p.stem.split("-")[1]) for p in d.glob("part-*.parquet") if p.stem.split("-")[1].isdigit()}


def write_shard(out: Path, index: int, keys: list[str], vectors: np.ndarray, meta: dict[str, list],
                refused: list[tuple[str, str]]) -> Path:
    """Write one shard atomically (temporary name, then rename); returns its final path."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    vecs = np.ascontiguousarray(vectors, dtype=np.float32)
    dim = vecs.shape[1] if vecs.ndim == 2 else 0
    cols = {"key": pa.array(keys, pa.string()),
            "vector": pa.FixedSizeListArray.from_arrays(pa.array(vecs.reshape(-1)), dim)}
    for name, values in meta.items():
        cols[name] = pa.array([str(v) for v in values], pa.string())
    table = pa.table(cols).replace_schema_metadata({"embedlab.refused": json.dumps(refused)})
    final = shard_path(out, index)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_name(f".{final.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)
    return final


def shard_refused(path: Path) -> list[tuple[str, str]]:
    """Inputs a shard could not embed (``(key, reason)``), from the shard's Parquet metadata."""
    import pyarrow.parquet as pq

    meta = pq.read_schema(path).metadata or {}
    return [tuple(r) for r in json.loads(meta.get(b"embedlab.refused", b"[]"))]


def iter_shards(out: str | Path, columns: list[str] | None = None) -> Iterator[tuple[int, object]]:
    """``(index, pyarrow.Table)`` per shard, in order, reading one shard at a time."""
    import pyarrow.parquet as pq

    out = Path(out)
    for i in sorted(finished_shards(out)):
        yield i, pq.read_table(shard_path(out, i), columns=columns)


def shard_vectors(table) -> np.ndarray:
    """The ``vector`` column of a shard table as an (n, d) float32 array."""
    col = table.column("vector").combine_chunks()
    dim = col.type.list_size
    return np.asarray(col.values.to_numpy(zero_copy_only=False), dtype=np.float32).reshape(-1, dim)


# ------------------------------------------------------------------ consolidated cache
def _cache_is_fresh(out: Path, manifest: dict) -> bool:
    stamp = out / "cache.json"
    if not stamp.is_file() or not (out / "vectors.npy").is_file() or not (out / "table.parquet").is_file():
        return False
    return json.loads(stamp.read_text(encoding="utf-8")).get("run_id") == manifest.get("run_id")


def consolidate(out: str | Path, chunk_rows: int = 65_536) -> dict:
    """Build ``vectors.npy`` (+ ``normed.npy`` if needed) and ``table.parquet`` from the shards, streaming.

    Vectors stream one shard at a time into the memory-mapped ``vectors.npy``; keys and metadata columns
    (texts) are held in memory, as the opened space holds them. Keys repeated across rows are kept once and
    later copies renamed ``key#2``, ``key#3`` (``info['duplicates_renamed']`` counts them). Returns the cache
    description.
    """
    import pandas as pd

    out = Path(out).expanduser()
    m = read_manifest(out)
    if not m.get("complete"):
        have = len(finished_shards(out))
        raise IncompleteOutputError(
            f"The batch run in {out} has not finished ({have:,} shards written so far). Re-run the same "
            "`embedlab batch embed` command to finish it (written shards are kept)."
        )
    n, dim = int(m["rows"]), int(m["dim"])
    tables, norms = [], np.zeros(n, np.float32)
    tmp = out / f".vectors.{uuid.uuid4().hex[:8]}.npy"
    row, over = 0, False
    # written in order with plain writes, not through a memory map: pages written through a map count in
    # this process's resident memory (1.5 GB for 1M x 384), file writes only pass through the page cache
    with open(tmp, "wb") as fh:
        np.lib.format.write_array_header_1_0(fh, {"descr": "<f4", "fortran_order": False, "shape": (n, dim)})
        for _, table in iter_shards(out):
            v = np.ascontiguousarray(shard_vectors(table), dtype="<f4")
            if row + len(v) > n:
                over = True
                break
            fh.write(v.tobytes())
            norms[row: row + len(v)] = np.linalg.norm(v, axis=1)
            tables.append(table.drop_columns(["vector"]).to_pandas())
            row += len(v)
    if over or row != n:
        tmp.unlink(missing_ok=True)
        raise FormatError(str(out), f"holds {'more than ' if over else ''}{row:,} rows in its shards but the "
                          f"manifest says {n:,}.",
                          hint="Delete the folder and run `embedlab batch embed` again.")
    table = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame({"key": []})
    dup = table["key"].duplicated(keep="first")
    renamed = int(dup.sum())
    if renamed:
        counts = table.groupby("key").cumcount() + 1
        table.loc[dup, "key"] = table.loc[dup, "key"] + "#" + counts[dup].astype(str)
    unit = bool(n == 0 or np.all(np.abs(norms - 1.0) <= UNIT_TOLERANCE))
    if not unit:
        _write_normed(out, tmp, norms, chunk_rows)
    table.to_parquet(out / ".table.parquet.tmp", index=False)
    os.replace(out / ".table.parquet.tmp", out / "table.parquet")
    np.save(out / ".norms.npy.tmp.npy", norms)
    os.replace(out / ".norms.npy.tmp.npy", out / "norms.npy")
    os.replace(tmp, out / "vectors.npy")
    desc = {"run_id": m.get("run_id"), "rows": n, "dim": dim, "unit": unit, "duplicates_renamed": renamed}
    write_json_atomic(out / "cache.json", desc)
    return desc


def _write_normed(out: Path, vectors_path: Path, norms: np.ndarray, chunk_rows: int) -> None:
    src = np.load(vectors_path, mmap_mode="r")
    tmp = out / f".normed.{uuid.uuid4().hex[:8]}.npy"
    dst = np.lib.format.open_memmap(tmp, mode="w+", dtype=np.float32, shape=src.shape)
    safe = np.where(norms > 0, norms, 1.0).astype(np.float32)
    for a in range(0, len(src), chunk_rows):
        dst[a: a + chunk_rows] = src[a: a + chunk_rows] / safe[a: a + chunk_rows, None]
    dst.flush()
    del dst
    os.replace(tmp, out / "normed.npy")


def open_space(out: str | Path, name: str | None = None):
    """The batch output in ``out`` as an :class:`~embedlab.space.EmbeddingSpace`, vectors memory-mapped.

    Builds the consolidated cache first if the run finished after the cache was made (or never had one).
    """
    import pandas as pd

    out = Path(out).expanduser()
    m = read_manifest(out)
    if not _cache_is_fresh(out, m):
        consolidate(out)
    cache = json.loads((out / "cache.json").read_text(encoding="utf-8"))
    table = pd.read_parquet(out / "table.parquet")
    keys = table.pop("key").astype(str).tolist()
    vectors = np.load(out / "vectors.npy", mmap_mode="r")
    info = {"source": f"embedlab batch embed ({m.get('kind')}, encoder {m.get('encoder')})",
            "batch_dir": str(out), "input": m.get("input", {}).get("path", ""), "shards": m.get("shards"),
            "encoder": m.get("encoder"), "vectors": "memory-mapped from vectors.npy",
            "duplicates_renamed": cache.get("duplicates_renamed", 0)}
    space = EmbeddingSpace(keys, vectors, table if len(table.columns) else None,
                           name=name or m.get("name") or out.name, info=info)
    # cached views straight from disk (functools.cached_property reads the instance dict first), so
    # neither ``normed`` nor ``norms`` materialises an (n, d) copy of a matrix larger than memory
    unit = cache.get("unit")
    space.__dict__["normed"] = space.vectors if unit else np.load(out / "normed.npy", mmap_mode="r")
    norms = np.load(out / "norms.npy", mmap_mode="r")
    space.__dict__["norms"] = norms
    space.__dict__["fingerprint"] = f"batch-{m.get('run_id')}"
    return space

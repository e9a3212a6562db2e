"""``embedlab batch``: embed large inputs on Dask (``embed``), build a compressed neighbour index beside the
output (``index``), and project every point for a million-point map (``project``)."""

from __future__ import annotations

import argparse
import time

from embedlab.cli._output import ProgressPrinter, add_json_flag, emit, progress

_EVERY = 2.0  # seconds: a batch run over a cluster says it is alive at least this often


def cmd_embed(args: argparse.Namespace) -> int:
    """Embed INPUT into the output folder --out on a local or remote Dask cluster."""
    from embedlab.batch import embed, links

    if args.scheduler:
        progress(f"connecting to the Dask scheduler at {args.scheduler} ...")
    else:
        progress(f"starting a local Dask cluster of {args.workers} worker process(es) ...")
    res = embed(args.input, kind=args.kind, out=args.out, workers=args.workers, scheduler=args.scheduler,
                encoder=args.encoder, shard_size=args.shard_size, device=args.device, name=args.name,
                progress=ProgressPrinter(every=_EVERY))
    name = links.link(args.name, res.out) if args.name else None
    d = res.to_dict() | {"name": name}
    text = (f"{res.rows:,} rows x {res.dim} d in {res.shards:,} shards at {res.out} "
            f"({res.written_shards:,} shards written now, {res.skipped_shards:,} already done)")
    if res.rows_written:
        text += (f"\n{res.rows_written:,} rows embedded in {res.seconds:.1f} s "
                 f"({res.rows_per_s:,.0f} rows/s) on {res.workers} worker(s)")
    if res.refused:
        text += f"\n{len(res.refused):,} inputs refused, e.g. {res.refused[0][0]}: {res.refused[0][1]}"
    text += f"\nOpen it as a space: embedlab info {name or res.out}"
    emit(d, args.json, text)
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    """Build (or load) a compressed FAISS index of a space, save it beside it, report its figures."""
    import numpy as np

    from embedlab.ann import CompressedIndex, IndexParams, exact_topk, recall
    from embedlab.ann.compressed import index_path
    from embedlab.registry import load

    space = load(args.space)
    params = IndexParams(args.method, nlist=args.nlist, m=args.m, nprobe=args.nprobe, refine=args.refine)
    params.check(space.dim, len(space))
    path = index_path(space, params)
    built = not path.is_file()
    if built:
        idx = CompressedIndex.build(space, params,
                                    progress=None if args.json else ProgressPrinter(every=_EVERY))
        idx.save(path)
    else:
        idx = CompressedIndex.load(path, space)
        idx.params.nprobe, idx.params.refine = args.nprobe, args.refine
        if hasattr(idx.index, "nprobe"):
            idx.index.nprobe = args.nprobe
    rng = np.random.default_rng(0)
    rows = np.sort(rng.choice(len(space), min(args.queries, len(space)), replace=False))
    q = np.asarray(space.normed[rows])
    truth = exact_topk(space, q, 10)
    t0 = time.perf_counter()
    for row in q:
        idx.search(row, 10)
    ms = 1000 * (time.perf_counter() - t0) / len(q)
    rec = recall(idx, q, 10, truth=truth)
    d = {"space": space.name, "n": len(space), "method": args.method, "path": str(path), "built": built,
         "build_seconds": round(idx.build_seconds, 3), "bytes_per_vector": round(idx.bytes_per_vector, 2),
         "query_ms": round(ms, 4), "recall_at_10": round(rec, 4), "params": idx.params.__dict__}
    text = (f"{'Built' if built else 'Loaded'} {args.method} index of {space.name} ({len(space):,} vectors): "
            f"{path}\n{d['bytes_per_vector']:.1f} bytes a vector; build {idx.build_seconds:.1f} s; "
            f"{ms:.3f} ms a query; recall@10 vs exact {rec:.3f} over {len(q)} queries")
    emit(d, args.json, text)
    return 0


def cmd_project(args: argparse.Namespace) -> int:
    """Fit PCA/UMAP on a sample of a batch output, transform every row on the cluster."""
    from embedlab.batch import open_space
    from embedlab.batch.maps import project_space

    space = open_space(args.dir)
    res = project_space(space, args.dir, args.method, sample=args.sample, chunk=args.chunk,
                        workers=args.workers, scheduler=args.scheduler,
                        progress=ProgressPrinter(every=_EVERY))
    text = (f"{args.method} of {res.rows:,} points (fitted on {res.sample:,}) in {res.path}: fit "
            f"{res.fit_seconds:.1f} s, transform {res.transform_seconds:.1f} s on {res.workers} worker(s)"
            + ("; the Map page shows it for 'all points'" if res.cached_for_map_page else ""))
    emit(res.to_dict(), args.json, text)
    return 0


def register(sub) -> None:
    """Register ``embedlab batch embed|index|project``."""
    p = sub.add_parser("batch", help="embed big inputs on a Dask cluster; index and map the result")
    bsub = p.add_subparsers(dest="batch_command", metavar="ACTION")
    bsub.required = True

    e = bsub.add_parser("embed", help="embed a text file, CSV/Parquet or images into an output folder")
    e.add_argument("input", help="text file (one text a line), CSV/Parquet with 'text' (and 'id'), or a "
                                 "folder / zip / glob pattern of images")
    e.add_argument("--kind", choices=["text", "images"], required=True)
    e.add_argument("--out", required=True, help="output folder (re-running resumes it)")
    where = e.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, default=2, help="local worker processes (default 2)")
    where.add_argument("--scheduler", help="address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786")
    e.add_argument("--encoder", help="encoder name (default minilm-l6 / efficientnet-lite0)")
    e.add_argument("--shard-size", type=int, help="rows per shard (default 2000 texts / 64 images)")
    e.add_argument("--device", default="auto",
                   help="encoder device on the workers: cpu, cuda or auto (default: CUDA if a GPU is seen)")
    e.add_argument("--name", help="also list the output under this name (app space picker, `embedlab info`)")
    add_json_flag(e)
    e.set_defaults(func=cmd_embed)

    i = bsub.add_parser("index", help="compressed neighbour index (FAISS) saved beside a space, with figures")
    i.add_argument("space", help="batch output folder, or any space name / path")
    i.add_argument("--method", choices=["flat", "fp16", "sq8", "ivfpq"], default="sq8",
                   help="flat float32 (exact), float16, int8 scalar quantisation, or IVF-PQ (default sq8)")
    i.add_argument("--nlist", type=int, help="IVF cells (default about 4 sqrt(n))")
    i.add_argument("--m", type=int, default=48, help="PQ sub-vectors = bytes a vector (default 48)")
    i.add_argument("--nprobe", type=int, default=32, help="IVF cells searched a query (default 32)")
    i.add_argument("--refine", type=int, default=0, help="re-rank this many candidates exactly (default off)")
    i.add_argument("--queries", type=int, default=200, help="queries used to measure recall (default 200)")
    add_json_flag(i)
    i.set_defaults(func=cmd_index)

    m = bsub.add_parser("project", help="2-D map of every point: fit on a sample, transform all on Dask")
    m.add_argument("dir", help="batch output folder")
    m.add_argument("--method", choices=["pca", "umap"], default="pca")
    m.add_argument("--sample", type=int, default=20_000, help="points the projection is fitted on")
    m.add_argument("--chunk", type=int, default=50_000, help="rows a task transforms (default 50000)")
    where = m.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, default=2, help="local worker processes (default 2)")
    where.add_argument("--scheduler", help="address of a running Dask scheduler")
    add_json_flag(m)
    m.set_defaults(func=cmd_project)

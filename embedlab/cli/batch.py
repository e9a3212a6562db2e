"""``embedlab batch``: embed large inputs on Dask (``embed``), build a compressed neighbour index beside the
output (``index``), and project every point for a million-point map (``project``)."""

from __future__ import annotations

import argparse
import time

from embedlab.cli._output import add_json_flag, emit, progress


class _Rate:
    """Progress lines on stderr, at most one every ``every`` seconds (and the last)."""

    def __init__(self, every: float = 2.0) -> None:
        self.every, self.last = every, 0.0

    def __call__(self, done: float, total: float, message: str = "") -> None:
        now = time.perf_counter()
        if now - self.last >= self.every or (total and done >= total):
            self.last = now
            progress(f"  {message}")


def cmd_embed(args: argparse.Namespace) -> int:
    """Embed INPUT into the output folder --out on a local or remote Dask cluster."""
    from embedlab.batch import embed, links

    if args.scheduler:
        progress(f"connecting to the Dask scheduler at {args.scheduler} ...")
    else:
        progress(f"starting a local Dask cluster of {args.workers} worker process(es) ...")
    res = embed(args.input, kind=args.kind, out=args.out, workers=args.workers, scheduler=args.scheduler,
                encoder=args.encoder, shard_size=args.shard_size, device=args.device, name=args.name,
                progress=_Rate())
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
    e.add_argument("--device", help="encoder device on the workers: cpu, cuda or auto (default cpu)")
    e.add_argument("--name", help="also list the output under this name (app space picker, `embedlab info`)")
    add_json_flag(e)
    e.set_defaults(func=cmd_embed)

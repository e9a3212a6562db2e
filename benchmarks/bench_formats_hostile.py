"""Hostile vector files: wall time and peak memory of reading each, every read in a fresh process.

Run: ``python benchmarks/bench_formats_hostile.py [--cases wide,npz,parquet,metadata] [--mem-cap-gb 12]``.
Builds (in a temporary folder, streaming, never holding the inflated data) the files of issue 9 items
2 and 3: a 10 MB GloVe-style file whose single row holds 1.25M values; an ``.npz`` of zeros that inflates to
3.2 GB; a Parquet file of 20M identical rows; a ``metadata.tsv`` of 5M lines beside 3 vectors (and, for
reference, a normal 3-row file: the cost of starting Python and importing the readers). Each is read
with :func:`embedlab.formats.read` in a child process; the table prints its wall time, its peak resident
memory (``ru_maxrss`` of that child alone, via ``os.wait4``) and how it ended (loaded / the message).
``--mem-cap-gb`` caps the child's address space so an unbounded reader fails instead of exhausting the
machine (a failure then prints as ``killed``/``MemoryError``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np

CHILD = """
import resource, sys
cap = float(sys.argv[3])
if cap > 0:
    resource.setrlimit(resource.RLIMIT_AS, (int(cap * 2**30), int(cap * 2**30)))
from embedlab.formats import read
kw = {"metadata": sys.argv[2]} if sys.argv[2] else {}
try:
    s = read(sys.argv[1], **kw)
    print(f"loaded {len(s):,} x {s.dim:,}")
except Exception as exc:
    print(f"{type(exc).__name__}: {str(exc).splitlines()[0][:150]}")
"""


def build_tiny(folder: Path) -> tuple[Path, str]:
    """A normal 3-row GloVe file: the cost of starting Python and importing the readers, for reference."""
    p = folder / "tiny.txt"
    p.write_text("a 0.1 0.2\nb 0.3 0.4\nc 0.5 0.6\n", encoding="utf-8")
    return p, ""


def build_wide(folder: Path) -> tuple[Path, str]:
    """A GloVe-style file whose single row holds 1.25M values (10 MB)."""
    p = folder / "wide.txt"
    with open(p, "w", encoding="ascii") as fh:
        fh.write("word " + " ".join(["0.12345"] * 1_250_000) + "\n")
    return p, ""


def build_npz(folder: Path, rows: int = 8_000_000, dim: int = 100) -> tuple[Path, str]:
    """An .npz whose float32 zeros (``rows`` x ``dim``, 3.2 GB) deflate to a few MB; written in chunks."""
    p = folder / "bomb.npz"
    header = {"descr": "<f4", "fortran_order": False, "shape": (rows, dim)}
    block = bytes(4 * dim * 100_000)
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf, \
            zf.open("vectors.npy", "w", force_zip64=True) as fh:
        np.lib.format.write_array_header_1_0(fh, header)
        for _ in range(rows // 100_000):
            fh.write(block)
    return p, ""


def build_parquet(folder: Path, rows: int = 20_000_000, dim: int = 10) -> tuple[Path, str]:
    """A Parquet table of ``rows`` identical rows (key 'w', a zero vector); dictionary/RLE make it tiny."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    p = folder / "bomb.parquet"
    step = 1_000_000
    vec = pa.FixedSizeListArray.from_arrays(pa.array(np.zeros(step * dim, dtype=np.float32)), dim)
    table = pa.table({"key": pa.array(["w"] * step), "vector": vec})
    with pq.ParquetWriter(p, table.schema, compression="zstd") as w:
        for _ in range(rows // step):
            w.write_table(table)
    return p, ""


def build_metadata(folder: Path, lines: int = 5_000_000) -> tuple[Path, str]:
    """Three Projector vectors beside a metadata.tsv of ``lines`` lines."""
    p = folder / "vectors.tsv"
    p.write_text("0.1\t0.2\n0.3\t0.4\n0.5\t0.6\n", encoding="utf-8")
    m = folder / "metadata.tsv"
    with open(m, "w", encoding="utf-8") as fh:
        for start in range(0, lines, 100_000):
            fh.write("".join(f"word{i}\n" for i in range(start, min(lines, start + 100_000))))
    return p, str(m)


BUILDERS = {"tiny": build_tiny, "wide": build_wide, "npz": build_npz, "parquet": build_parquet,
            "metadata": build_metadata}


def measure(path: Path, metadata: str, cap_gb: float) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) and the outcome of reading ``path`` in a fresh child process."""
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(path), metadata, str(cap_gb)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    out, err = proc.stdout.read().strip(), proc.stderr.read().strip()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = (err.splitlines() or ["?"])[-1][:120]
        out = f"exit {proc.returncode} ({tail})"
    return wall, usage.ru_maxrss / 1024, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", default=",".join(BUILDERS))
    ap.add_argument("--mem-cap-gb", type=float, default=12.0,
                    help="address-space cap of each child (0: none)")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for case in args.cases.split(","):
            folder = Path(tmp) / case
            folder.mkdir()
            path, meta = BUILDERS[case](folder)
            size = sum(f.stat().st_size for f in folder.iterdir()) / 1e6
            wall, rss, out = measure(path, meta, args.mem_cap_gb)
            rows.append((case, size, wall, rss, out))
            for f in folder.iterdir():
                f.unlink()
    print(f"\n{'case':<10}{'files MB':>9}{'wall s':>8}{'peak RSS MB':>12}  outcome")
    for case, size, wall, rss, out in rows:
        print(f"{case:<10}{size:>9.2f}{wall:>8.2f}{rss:>12.0f}  {out}")


if __name__ == "__main__":
    main()

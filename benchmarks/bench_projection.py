"""Projection benchmark: PCA / UMAP / t-SNE wall time at 10k and 100k glove-50d words, first map, reopen.

Usage::

    python benchmarks/bench_projection.py           # 10k and 100k (UMAP and t-SNE 100k take minutes)
    python benchmarks/bench_projection.py --quick   # 2k and 10k, t-SNE at 2k only
    python benchmarks/bench_projection.py --methods tsne,tsne-sklearn --sizes 10000   # t-SNE before/after

``tsne`` is embedlab's :class:`~embedlab.projection.TSNEProjection` (openTSNE); ``tsne-sklearn`` is
scikit-learn's Barnes-Hut ``TSNE`` as embedlab ran it before (PCA init, ``learning_rate="auto"``, all cores),
on the same unit-normalised vectors, for a side-by-side comparison in one run.

"first map" = select the top-N words + PCA (no cache) + build the Plotly figure + serialise it to JSON
(what Streamlit sends). "reopen" = the same from the disk cache (a fresh selection object, so the space
fingerprint is recomputed). Caches go to a temporary EMBEDLAB_HOME. Timings are wall-clock on whatever
machine runs it; note its load when quoting them.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from _table import print_table  # the script folder is on sys.path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("EMBEDLAB_HOME", tempfile.mkdtemp(prefix="embedlab-bench-"))

from embedlab.plots.maps import scatter_map  # noqa: E402
from embedlab.projection import make_projection, project, trustworthiness  # noqa: E402
from embedlab.selection import select_points  # noqa: E402

SKLEARN_TSNE_MAX = 20_000  # scikit-learn's Barnes-Hut t-SNE needs ~10+ min for 100k points on 2 cores
ROWS: list[tuple[str, str, str]] = []


def row(what: str, value: str, note: str = "") -> None:
    ROWS.append((what, value, note))
    print(f"  {what:<40} {value:>10}  {note}", file=sys.stderr, flush=True)


def fit(space, method: str, label: str, **params) -> None:
    t = time.perf_counter()
    emb = make_projection(method, **params).fit_transform(space)
    dt = time.perf_counter() - t
    tw = trustworthiness(space, emb, max_points=2000)
    row(f"{label} {len(space):,} points", f"{dt:.2f} s", f"trustworthiness {tw:.3f} (2,000-point sample)")


def fit_sklearn_tsne(space) -> None:
    """The t-SNE embedlab ran before openTSNE became a dependency (the "before" of a side-by-side run)."""
    from sklearn.manifold import TSNE

    x = space.normed
    t = time.perf_counter()
    emb = TSNE(n_components=2, perplexity=30.0, init="pca", random_state=0, learning_rate="auto",
               n_jobs=1).fit_transform(x)
    dt = time.perf_counter() - t
    tw = trustworthiness(space, emb, max_points=2000)
    row(f"t-SNE scikit-learn {len(space):,} points", f"{dt:.2f} s",
        f"trustworthiness {tw:.3f} (2,000-point sample)")


def first_map_and_reopen(glove, n: int) -> None:
    def show():
        sel = select_points(glove, "top", n=n)
        coords = project(sel, "pca")
        fig, _ = scatter_map(coords, sel.keys, color=sel.meta_column("rank"), color_name="rank")
        fig.to_json()

    t = time.perf_counter()
    show()
    row(f"first map {n:,} points", f"{time.perf_counter() - t:.2f} s", "select + PCA + figure + JSON")
    t = time.perf_counter()
    show()
    row(f"reopen cached map {n:,} points", f"{time.perf_counter() - t:.2f} s",
        "select + fingerprint + cached coords + figure + JSON")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="2k and 10k points only")
    ap.add_argument("--methods", default="pca,umap,tsne",
                    help="comma-separated subset of pca,umap,tsne,tsne-sklearn")
    ap.add_argument("--sizes", help="comma-separated numbers of points (default 10000,100000)")
    args = ap.parse_args()
    methods = set(args.methods.split(","))
    sizes = (2_000, 10_000) if args.quick else (10_000, 100_000)
    if args.sizes:
        sizes = tuple(int(v) for v in args.sizes.split(","))
    print(f"embedlab projection benchmark ({'quick' if args.quick else 'full'}; {os.cpu_count()} CPUs)",
          file=sys.stderr)
    from embedlab.registry import load

    glove = load("glove-50d")
    t = time.perf_counter()
    import sklearn.decomposition  # noqa: F401 - imported lazily by the first PCA in a process

    row("import scikit-learn PCA (once per process)", f"{time.perf_counter() - t:.2f} s", "")
    if "pca" in methods:
        first_map_and_reopen(glove, sizes[-1])
    for n in sizes if "pca" in methods else ():
        fit(glove.head(n), "pca", "PCA")
    if "umap" in methods:
        t = time.perf_counter()
        make_projection("umap").fit_transform(glove.head(200))
        row("UMAP first fit in process (numba JIT)", f"{time.perf_counter() - t:.1f} s", "200 points")
    for n in sizes if "umap" in methods else ():
        fit(glove.head(n), "umap", "UMAP")
    for n in sizes:
        if args.quick and n > 2_000 and methods & {"tsne", "tsne-sklearn"}:
            row(f"t-SNE {n:,} points", "skipped", "--quick")
            continue
        if "tsne-sklearn" in methods:
            if n > SKLEARN_TSNE_MAX:
                row(f"t-SNE scikit-learn {n:,} points", "skipped",
                    f"Barnes-Hut takes 10+ minutes past {SKLEARN_TSNE_MAX:,} points on 2 cores")
            else:
                fit_sklearn_tsne(glove.head(n))
        if "tsne" in methods:
            fit(glove.head(n), "tsne", "t-SNE openTSNE (embedlab)")

    print_table(ROWS, value_width=10)


if __name__ == "__main__":
    main()

"""``embedlab images``: embed a folder of pictures, cluster them, search them by text."""

from __future__ import annotations

from pathlib import Path

from embedlab.cli._output import ProgressPrinter, add_json_flag, emit, progress, scored_table


def register(sub) -> None:
    """Register ``images embed|cluster|search``."""
    p = sub.add_parser("images", help="image embeddings: embed a folder, cluster, search by text")
    isub = p.add_subparsers(dest="images_command", metavar="ACTION", required=True)

    e = isub.add_parser("embed", help="embed a folder of images (sub-folders become the 'label' column)")
    e.add_argument("dir", help="a folder of images, or a bundled set: emoji, skimage-photos, mnist-digits")
    e.add_argument("--out", required=True, help="name to save the space under in the workspace")
    e.add_argument("--encoder", default="efficientnet-lite0", help="encoder spec (default: %(default)s)")
    e.add_argument("--batch-size", type=int, default=None, help="images per forward pass")
    add_json_flag(e)
    e.set_defaults(func=_embed)

    c = isub.add_parser("cluster", help="k-means (k by silhouette) or HDBSCAN; ARI/NMI against 'label'")
    c.add_argument("name", help="saved image space")
    c.add_argument("--k", type=int, default=None, help="number of clusters (default: best silhouette)")
    c.add_argument("--k-min", type=int, default=2)
    c.add_argument("--k-max", type=int, default=12)
    c.add_argument("--method", choices=("kmeans", "hdbscan"), default="kmeans")
    add_json_flag(c)
    c.set_defaults(func=_cluster)

    s = isub.add_parser("search", help="rank images by a text description (ConSE, no CLIP)")
    s.add_argument("name", help="saved image space")
    s.add_argument("text", help="e.g. 'a red fruit'")
    s.add_argument("--k", type=int, default=5, help="number of results (default: %(default)s)")
    s.add_argument("--t", type=int, default=5, help="ImageNet classes per image (default: %(default)s)")
    add_json_flag(s)
    s.set_defaults(func=_search)


def _embed(args) -> int:
    from embedlab import workspace
    from embedlab.images.datasets import IMAGE_SETS, load_image_set
    from embedlab.images.io import read_folder
    from embedlab.images.pipeline import embed_batch

    workspace.check_name(args.out)
    is_set = args.dir in IMAGE_SETS and not Path(args.dir).is_dir()
    batch = load_image_set(args.dir) if is_set else read_folder(args.dir)
    progress(f"embedding {len(batch.items):,} images from {args.dir} with {args.encoder}")
    space, refused = embed_batch(batch, args.out, args.encoder, args.batch_size, ProgressPrinter())
    folder = workspace.save(space, args.out)
    for name, why in refused:
        progress(f"  skipped {name}: {why}")
    summary = {"name": args.out, "n": len(space), "dim": space.dim, "path": str(folder),
               "labels": sorted(set(space.meta_column("label"))) if "label" in space.meta_columns else [],
               "refused": [{"file": n, "reason": w} for n, w in refused]}
    emit(summary, args.json, f"saved {len(space):,} images as '{args.out}' ({space.dim} d) in {folder}"
         + (f"; {len(refused)} files skipped" if refused else ""))
    return 0


def _cluster(args) -> int:
    from embedlab.images.cluster import cluster_space
    from embedlab.registry import load

    space = load(args.name)
    res = cluster_space(space, args.method, k=args.k, k_range=(args.k_min, args.k_max))
    out = res.as_dict()
    lines = [f"{res.method}: k = {res.k}"
             + (f", silhouette = {res.silhouette:.3f}" if res.silhouette is not None else "")]
    if res.ari is not None:
        lines.append(f"against 'label': ARI = {res.ari:.3f}, NMI = {res.nmi:.3f}")
    lines += [f"  cluster {c['cluster']:>3}  {c['size']:>5} images  {c['name']}" for c in out["clusters"]]
    emit(out, args.json, "\n".join(lines))
    return 0


def _search(args) -> int:
    from embedlab.images.conse import search
    from embedlab.registry import load

    rows = search(load(args.name), args.text, k=args.k, t=args.t)
    emit([{"key": k, "score": s} for k, s in rows], args.json, scored_table(rows, "image"))
    return 0

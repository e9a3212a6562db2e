"""``embedlab graph``: embed a graph's nodes (DeepWalk, node2vec, GraphSAGE), classify them, predict links."""

from __future__ import annotations

from embedlab.cli._output import ProgressPrinter, add_json_flag, emit, progress

GRAPH_HELP = ("edge list (CSV/TSV/whitespace, optional weight column), GraphML/GEXF file, or a bundled "
              "graph: karate, lesmis, wordnet-nouns")


def _add_method_args(p) -> None:
    p.add_argument("--method", choices=("deepwalk", "node2vec", "graphsage"), default="node2vec",
                   help="embedding method (default: %(default)s)")
    p.add_argument("--p", type=float, default=1.0, help="node2vec return parameter (default: %(default)s)")
    p.add_argument("--q", type=float, default=1.0, help="node2vec in-out parameter (default: %(default)s)")
    p.add_argument("--dim", type=int, default=64, help="embedding dimension (default: %(default)s)")
    p.add_argument("--walk-length", type=int, default=None, help="nodes per walk (default: 40)")
    p.add_argument("--num-walks", type=int, default=None, help="walks per node (default: 10)")
    p.add_argument("--window", type=int, default=None, help="skip-gram window (default: 5)")
    p.add_argument("--epochs", type=int, default=None, help="skip-gram epochs (default: automatic)")
    p.add_argument("--steps", type=int, default=None, help="GraphSAGE optimiser steps (default: automatic)")
    p.add_argument("--supervised", action="store_true", help="GraphSAGE: train on the node labels")
    p.add_argument("--labels", default=None, help="node,label file (CSV/TSV/whitespace)")
    p.add_argument("--directed", action="store_true", help="read the edge list as directed")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: %(default)s)")


def register(sub) -> None:
    """Register ``graph embed|classify|linkpred``."""
    p = sub.add_parser("graph", help="graph embeddings: embed nodes, classify them, predict links")
    gsub = p.add_subparsers(dest="graph_command", metavar="ACTION", required=True)

    e = gsub.add_parser("embed", help="embed the nodes of a graph and save them as a space")
    e.add_argument("edges", metavar="EDGES", help=GRAPH_HELP)
    _add_method_args(e)
    e.add_argument("--out", required=True, help="name to save the space under in the workspace")
    add_json_flag(e)
    e.set_defaults(func=_embed)

    c = gsub.add_parser("classify",
                        help="node classification: logistic regression, macro-F1 on a held-out split")
    c.add_argument("name", metavar="NAME", help="a saved node space (from 'graph embed')")
    c.add_argument("--labels", default=None,
                   help="node,label file (default: the space's 'label' column, e.g. karate factions)")
    c.add_argument("--test-size", type=float, default=0.3, help="held-out fraction (default: %(default)s)")
    c.add_argument("--seed", type=int, default=0, help="random seed of the split (default: %(default)s)")
    add_json_flag(c)
    c.set_defaults(func=_classify)

    lp = gsub.add_parser("linkpred", help="link prediction: hide edges, embed the rest, ROC AUC")
    lp.add_argument("edges", metavar="EDGES", help=GRAPH_HELP)
    _add_method_args(lp)
    lp.add_argument("--test-fraction", type=float, default=0.2, help="edges hidden (default: %(default)s)")
    add_json_flag(lp)
    lp.set_defaults(func=_linkpred)


def _load(args):
    from embedlab.graphs import load_graph

    graph = load_graph(args.edges, labels=args.labels, directed=args.directed)
    progress(f"{args.edges}: {graph.n_nodes:,} nodes, {graph.n_edges:,} edges"
             + (f", {len(graph.labels):,} labelled" if graph.labels else ""))
    for sentence in graph.report.sentences():
        progress(f"  {sentence}")
    return graph


def _method_kw(args) -> dict:
    if args.method == "graphsage":
        return {"steps": args.steps, "supervised": args.supervised or None}
    return {"walk_length": args.walk_length, "num_walks": args.num_walks, "window": args.window,
            "epochs": args.epochs}


def _estimator(args):
    """The method's estimator, its parameters checked before the graph is read."""
    from embedlab.graphs import make_estimator

    return make_estimator(args.method, dim=args.dim, p=args.p, q=args.q, seed=args.seed, **_method_kw(args))


def _embed(args) -> int:
    from embedlab import workspace

    workspace.check_name(args.out)
    estimator = _estimator(args)
    graph = _load(args)
    space = estimator.fit(graph, progress=ProgressPrinter(), name=args.out).embedding_
    for note in space.info["notes"]:
        progress(f"  {note}")
    folder = workspace.save(space, args.out)
    summary = {"name": args.out, "n": len(space), "dim": space.dim, "method": args.method,
               "n_edges": graph.n_edges, "labelled": len(graph.labels or {}), "path": str(folder),
               "isolated_nodes": space.info["isolated_nodes"], "report": graph.report.sentences(),
               "notes": space.info["notes"]}
    emit(summary, args.json, f"saved {len(space):,} nodes as '{args.out}' ({space.dim} d, {args.method}) "
         f"in {folder}")
    return 0


def _classify(args) -> int:
    from embedlab.graphs.evaluate import node_classification
    from embedlab.graphs.io import read_labels
    from embedlab.graphs.params import check
    from embedlab.registry import load

    check("test_size", args.test_size)
    check("seed", args.seed)
    space = load(args.name)
    labels = read_labels(args.labels, space) if args.labels else None
    res = node_classification(space, labels, test_size=args.test_size, seed=args.seed)
    res["name"] = args.name
    emit(res, args.json, f"node classification on {args.name}: macro-F1 {res['macro_f1']:.3f}, accuracy "
         f"{res['accuracy']:.3f} ({res['n_test']} held-out nodes, {res['n_classes']} classes; "
         "always guessing "
         f"the largest class: macro-F1 {res['baseline_macro_f1']:.3f})")
    return 0


def _linkpred(args) -> int:
    from embedlab.graphs import link_prediction_run
    from embedlab.graphs.params import check

    _estimator(args)
    check("test_fraction", args.test_fraction)
    graph = _load(args)
    res = link_prediction_run(graph, args.method, args.test_fraction, dim=args.dim, p=args.p, q=args.q,
                              seed=args.seed, progress=ProgressPrinter(), **_method_kw(args))
    res.pop("space", None)
    res["graph"] = args.edges
    for note in res["notes"]:
        progress(f"  {note}")
    emit(res, args.json, f"link prediction on {args.edges} with {args.method}: ROC AUC {res['auc']:.3f} "
         f"({res['n_test_edges']:,} hidden edges vs as many non-edges; 0.5 = guessing, 1 = perfect)")
    return 0

"""Applications: ``classify`` (learning curve), ``probe`` (linear probes), ``search`` (BM25 vs semantic),
``summarise`` (centroid + MMR)."""

from __future__ import annotations

import argparse
from pathlib import Path

from embedlab.cli._output import ProgressPrinter, add_json_flag, emit, progress
from embedlab.strings import split_list


def _fmt_curve(curve, source: str) -> str:
    table = curve.table()
    cols = list(table.columns)
    w = max(len("features"), *(len(i) for i in table.index))
    lines = [
        f"Accuracy by examples per class ({source}; mean of {curve.rows[0]['repeats']} seeded splits; "
        f"majority class {curve.chance:.3f})",
        f"{'features':<{w}}  " + "  ".join(f"{c:>6}" for c in cols),
    ]
    for name, row in table.iterrows():
        lines.append(f"{name:<{w}}  " + "  ".join(f"{row[c]:6.3f}" for c in cols))
    return "\n".join(lines + curve.notes)


def load_data(source: str, text_column: str, label_column: str):
    """A bundled labelled set by name (``pang-lee``) or a CSV path."""
    from embedlab.apps.data import LABELLED_SETS, load_labelled, read_labelled_path

    if source in LABELLED_SETS and not Path(source).exists():
        return load_labelled(source)
    return read_labelled_path(source, text_column, label_column)


def cmd_classify(args: argparse.Namespace) -> int:
    """Learning curve: accuracy against training examples per class, for each feature kind."""
    from embedlab.apps.classify import learning_curve, parse_per_class

    data = load_data(args.data, args.text_column, args.label_column)
    for note in data.notes:
        progress(note)
    curve = learning_curve(
        data.texts,
        data.labels,
        features=split_list(args.features),
        per_class=parse_per_class(args.per_class),
        repeats=args.repeats,
        seed=args.seed,
        progress=ProgressPrinter() if not args.json else None,
    )
    for note in curve.notes:
        progress(note)
    out = {
        "source": data.source,
        "classes": curve.counts,
        "majority": curve.chance,
        "curve": curve.rows,
        "notes": data.notes + curve.notes,
    }
    emit(out, args.json, _fmt_curve(curve, data.source))
    return 0


def cmd_probe(args: argparse.Namespace) -> int:
    """Linear probes (plural, continent, sentiment) with held-out accuracy vs a shuffled-label baseline."""
    from embedlab.apps.probes import PROBE_TASKS, run_probe
    from embedlab.errors import EmbedlabError
    from embedlab.registry import load

    space = load(args.space)
    tasks = list(PROBE_TASKS) if args.task == "all" else [args.task]
    rows = []
    skipped = []
    for t in tasks:
        try:
            probe = run_probe(space, t, seed=args.seed)
        except EmbedlabError as exc:
            if len(tasks) == 1:
                raise
            progress(f"{t}: skipped: {exc}")
            skipped.append({"task": t, "error": str(exc)})
            continue
        row = {"task": t, **probe.summary()}
        if args.words:
            row["applied"] = probe.predict(space, split_list(args.words)).to_dict("records")
        rows.append(row)
    lines = [
        f"Linear probes on {space.name} (held-out accuracy vs the same probe on shuffled labels)",
        f"{'task':<10} {'accuracy':>8} {'shuffled':>8} {'majority':>8} {'train':>6} {'test':>5}",
    ]
    lines += [
        f"{r['task']:<10} {r['accuracy']:8.3f} {r['baseline']:8.3f} {r['majority']:8.3f} "
        f"{r['n_train']:>6} {r['n_test']:>5}"
        for r in rows
    ]
    for r in rows:
        for a in r.get("applied", []):
            lines.append(
                f"  {r['task']}: {a['word']} → {a['predicted'] or a['note']}"
                + (f" ({a['confidence']:.2f})" if a["predicted"] else "")
                + (" [a training word]" if a["seen"] else "")
            )
    emit({"probes": rows, "skipped": skipped}, args.json, "\n".join(lines))
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    """BM25 keyword search next to semantic search over a bundled collection or a text file."""
    from embedlab.apps.data import COLLECTIONS, load_collection
    from embedlab.apps.search import compare_search

    if args.collection in COLLECTIONS and not Path(args.collection).exists():
        docs = load_collection(args.collection)
    else:
        from embedlab.sentences import read_upload
        from embedlab.uploads import check_size

        p = Path(args.collection)
        if not p.is_file():
            from embedlab.errors import InvalidParameterError

            raise InvalidParameterError(
                f"'{args.collection}' is neither a bundled collection ({', '.join(COLLECTIONS)}) nor a file."
            )
        check_size(p.name, p.stat().st_size, 5 * 2**20)
        docs = read_upload(p.name, p.read_bytes()).sentences
    df = compare_search(docs, args.query, k=args.k)
    lines = []
    for method in ("keyword", "semantic"):
        part = df[df["method"] == method]
        lines.append(f"{method} ({len(part)} hits; * = only this method finds it)")
        lines += [f"  {'*' if r.only_here else ' '} {r.score:7.3f}  {r.text}" for r in part.itertuples()]
    emit({"query": args.query, "hits": df.to_dict("records")}, args.json, "\n".join(lines))
    return 0


def cmd_summarise(args: argparse.Namespace) -> int:
    """Extractive summary (centroid + MMR) of a text file."""
    from embedlab.apps.summarise import summarise
    from embedlab.errors import InvalidParameterError
    from embedlab.uploads import check_size

    p = Path(args.file)
    if not p.is_file():
        raise InvalidParameterError(f"'{args.file}' is not a file; give a text file to summarise.")
    check_size(p.name, p.stat().st_size, 2 * 2**20)
    from embedlab.uploads import decode_text

    text, note = decode_text(p.name, p.read_bytes())  # UTF-8, UTF-16 or Windows-1252; binary files refused
    if note:
        progress(note)
    s = summarise(text, k=args.sentences, lam=args.lam, source=p.name)
    emit({"summary": s.text, "picked": s.picked, "sentences": s.sentences}, args.json, s.text)
    return 0


def register(sub) -> None:
    p = sub.add_parser("classify", help="learning curve: bag-of-words vs word vectors vs sentence vectors")
    p.add_argument("data", help="CSV with a header row, or a bundled set: pang-lee")
    p.add_argument("--text-column", default="text")
    p.add_argument("--label-column", default="label")
    p.add_argument(
        "--features",
        default="bow,glove-50d,minilm",
        help="comma-separated: bow, minilm, or space names (averaged word vectors)",
    )
    p.add_argument(
        "--per-class",
        default="5,10,30,100,all",
        help="training examples per class, comma-separated (the rest test); 'all' = 80%% of the "
        "smallest class",
    )
    p.add_argument("--repeats", type=int, default=5, help="seeded splits per point (seed, seed+1, ...)")
    p.add_argument("--seed", type=int, default=0)
    add_json_flag(p)
    p.set_defaults(func=cmd_classify)

    p = sub.add_parser(
        "probe", help="linear probes: plural, continent, sentiment vs shuffled-label baselines"
    )
    p.add_argument("space", nargs="?", default="glove-50d")
    p.add_argument("--task", default="all", choices=["all", "plural", "continent", "sentiment"])
    p.add_argument("--words", default="", help="comma-separated unseen words to apply the probe to")
    p.add_argument("--seed", type=int, default=0)
    add_json_flag(p)
    p.set_defaults(func=cmd_probe)

    p = sub.add_parser("search", help="BM25 keyword search vs semantic search, side by side")
    p.add_argument("query")
    p.add_argument("--collection", default="lee-news", help="lee-news, pang-lee, or a .txt/.csv file")
    p.add_argument("-k", type=int, default=5)
    add_json_flag(p)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser(
        "summarise", help="extractive summary: sentences near the centroid, MMR against repeats"
    )
    p.add_argument("file")
    p.add_argument("--sentences", type=int, default=3)
    p.add_argument("--lam", type=float, default=0.7, help="MMR weight of centrality vs novelty (0-1)")
    add_json_flag(p)
    p.set_defaults(func=cmd_summarise)

"""Core commands: neighbours, analogy, evaluate, export, info, spaces, delete.

SPACE is a bundled name (``glove-50d``), a saved space name, or a vectors file path. Each command calls one
library function and prints a table, or JSON with ``--json``.
"""

from __future__ import annotations

import argparse
import math

from embedlab.cli._output import ProgressPrinter, add_json_flag, emit, progress, scored_table
from embedlab.errors import InvalidParameterError, UnknownSpaceError
from embedlab.neighbours import ANALOGY_METHODS

EXPORT_FORMATS = {"projector-tsv": "projector-tsv", "word2vec": "word2vec-text",
                  "word2vec-binary": "word2vec-binary", "parquet": "parquet"}


def _space(name: str):
    from embedlab.registry import load

    return load(name)


def _scored(rows: list[tuple[str, float]]) -> list[dict]:
    return [{"key": k, "score": float(s)} for k, s in rows]


def cmd_neighbours(args: argparse.Namespace) -> int:
    """Nearest keys to a word or an expression (``king - man + woman``) by cosine similarity."""
    from embedlab.neighbours import query

    space = _space(args.space)
    index = None
    if args.approx:
        from embedlab.ann.hnsw import get_index, index_path

        if not index_path(space).is_file():  # say so: building one takes minutes on a big space
            progress(f"No saved index for {space.name} yet: building it once ({len(space):,} vectors; "
                     "`embedlab index` does the same ahead of time)…")
        index = get_index(space, build=True, progress=ProgressPrinter())
    res = query(space, args.word, k=args.k, method=args.method, index=index)
    kind = "approximate (hnswlib)" if args.approx else "cosine"
    if args.method != "3cosadd":
        kind += f", {args.method}"
    head = f"Nearest to '{res.expression}' in {space.name} ({len(space):,} keys, {kind}):"
    emit(_scored(res.results), args.json, f"{head}\n{scored_table(res.results)}")
    return 0


def cmd_analogy(args: argparse.Namespace) -> int:
    """A is to B as C is to ?"""
    from embedlab.neighbours import analogy

    space = _space(args.space)
    rows = analogy(space, args.a, args.b, args.c, topn=args.k, method=args.method)
    head = f"{args.a} : {args.b} :: {args.c} : ?   ({args.method}, {space.name}; inputs excluded)"
    emit(_scored(rows), args.json, f"{head}\n{scored_table(rows)}")
    return 0


def _pct(x: float) -> str:
    return "   n/a" if x is None or not math.isfinite(x) else f"{100 * x:5.1f}%"


def _num(x: float) -> str:
    return "n/a" if x is None or not math.isfinite(x) else f"{x:.3f}"


def evaluation_text(ev, failures: int = 0) -> str:
    """Human report of an :class:`~embedlab.evaluate.Evaluation`."""
    lines = [f"Evaluation of {ev.space} ({ev.vocab_size:,} keys, {ev.dim} d) in {ev.seconds:.1f} s"]
    if ev.analogy:
        w = max(len(c.category) for c in ev.analogy)

        def row(cat: str, group: str, correct: str, answered: str, skipped: str, acc: str) -> str:
            return f"  {cat:<{w}}  {group:<9}  {correct:>7}  {answered:>8}  {skipped:>7}  {acc}"

        lines += ["", f"Google analogies (3CosAdd, searching the first {ev.restrict_vocab:,} keys; "
                      "questions with a word outside them are skipped)",
                  row("category", "group", "correct", "answered", "skipped", "accuracy")]
        lines += [row(c.category, c.group, f"{c.correct:,}", f"{c.total:,}", f"{c.skipped:,}",
                      _pct(c.accuracy)) for c in ev.analogy]
        lines += [row(f"{g} (all)", "", "", "", "", _pct(ev.group_accuracy(g)))
                  for g in ("semantic", "syntactic")]
        correct, answered, asked = sum(c.correct for c in ev.analogy), ev.analogy_answered, ev.analogy_asked
        lines.append(f"  overall: {_pct(ev.analogy_overall).strip()} ({correct:,} / {answered:,} answered); "
                     f"coverage {_pct(ev.analogy_coverage).strip()} of {asked:,} questions "
                     f"({asked - answered:,} skipped as out of vocabulary)")
    sims = [m for m in (ev.wordsim353, ev.simlex999) if m is not None]
    if sims:
        lines += ["", "Word similarity (cosine vs human ratings)"]
        lines += [f"  {m.name:<12} Spearman {_num(m.spearman)}  Pearson {_num(m.pearson)}  "
                  f"pairs {m.pairs_used:,} / {m.pairs_total:,} (coverage {_pct(m.coverage).strip()}, "
                  f"{m.pairs_total - m.pairs_used:,} OOV)" for m in sims]
    if failures and ev.failures:
        shown = ev.failures[:failures]
        lines += ["", f"First {len(shown)} of {len(ev.failures):,} wrong answers (a : b :: c : expected)"]
        lines += [f"  [{f.category}] {f.a} : {f.b} :: {f.c} : {f.expected}, got {f.got}" for f in shown]
    return "\n".join(lines)


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Analogy accuracy per category, WordSim-353 and SimLex-999 Spearman, coverage."""
    from embedlab.evaluate import evaluate

    if args.failures < 0:
        raise InvalidParameterError(f"--failures must be 0 or more; got {args.failures}.")
    space = _space(args.space)
    progress(f"evaluating {space.name} ({len(space):,} keys)...")
    ev = evaluate(space, restrict_vocab=args.restrict, progress=ProgressPrinter(step=25))
    emit(ev.to_dict(max_failures=args.failures), args.json, evaluation_text(ev, args.failures))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write a space in another format."""
    from pathlib import Path

    from embedlab.errors import EmbedlabError
    from embedlab.formats import write

    out = Path(args.out).expanduser()
    if out.is_dir():
        example = out / ("vectors.tsv" if args.format == "projector-tsv" else "vectors.txt")
        raise InvalidParameterError(f"--out {args.out} is a folder; give a file path such as {example}.")
    space = _space(args.space)
    try:
        paths = [str(p) for p in write(space, out, EXPORT_FORMATS[args.format])]
    except OSError as exc:
        raise EmbedlabError(f"Could not write {args.out}: {exc.strerror or exc}. "
                            "Check that the folder exists and is writable.") from None
    text = f"Wrote {space.name} ({len(space):,} x {space.dim}) as {args.format}:\n" + "\n".join(
        f"  {p}" for p in paths)
    emit({"space": space.name, "format": args.format, "files": paths}, args.json, text)
    return 0


def space_info(space, first: int = 10) -> dict:
    """Name, size, dimension, metadata columns, provenance and the first keys of a space."""
    return {"name": space.name, "size": len(space), "dim": space.dim, "language": space.language,
            "meta_columns": space.meta_columns, "info": dict(space.info),
            "first_keys": list(space.keys[:first])}


def cmd_info(args: argparse.Namespace) -> int:
    """Describe a space."""
    d = space_info(_space(args.space))
    lines = [f"{d['name']}: {d['size']:,} keys x {d['dim']} dimensions, language {d['language']}",
             f"metadata columns: {', '.join(d['meta_columns']) or 'none'}"]
    lines += [f"{k}: {v}" for k, v in d["info"].items()]
    lines.append(f"first keys: {', '.join(repr(k) for k in d['first_keys'])}")
    emit(d, args.json, "\n".join(lines))
    return 0


def list_spaces() -> list[dict]:
    """Bundled spaces (with whether their package is installed) and saved workspace spaces."""
    from embedlab.registry import list_spaces as entries

    return [{"name": e.name, "kind": e.kind, "title": e.title, "available": e.available,
             "language": e.language} for e in entries()]


def cmd_spaces(args: argparse.Namespace) -> int:
    """List bundled and saved spaces."""
    rows = list_spaces()
    w = max(len(r["name"]) for r in rows)
    text = "\n".join(f"{r['name']:<{w}}  {r['kind']:<7}  {r['title']}"
                     + ("" if r["available"] else "  (package not installed)") for r in rows)
    emit(rows, args.json, text)
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    """Delete a saved space."""
    from embedlab import workspace
    from embedlab.registry import BUNDLED

    if args.name in BUNDLED and not workspace.exists(args.name):  # (an old save under a bundled name may go)
        raise InvalidParameterError(f"'{args.name}' is a bundled space and cannot be deleted; "
                                    "only saved spaces (see `embedlab spaces`) can.")
    if not workspace.exists(args.name):
        raise UnknownSpaceError(f"No saved space named '{args.name}' to delete. "
                                f"Saved: {', '.join(workspace.list_names()) or 'none'}.")
    workspace.delete(args.name)
    emit({"deleted": args.name}, args.json, f"Deleted saved space '{args.name}'.")
    return 0


def _positive(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got '{text}'") from None
    if v < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {v}")
    return v


def register(sub) -> None:
    """Register the core sub-commands."""
    p = sub.add_parser("neighbours", help="nearest keys to a word or an expression (cosine)")
    p.add_argument("space", help="bundled name, saved name, or vectors file")
    p.add_argument("word", metavar="WORD_OR_EXPRESSION",
                   help="a key of the space (case-insensitive fallback), or an expression in quotes such as "
                   "'king - man + woman'")
    p.add_argument("--k", type=_positive, default=10, help="number of neighbours (default 10)")
    p.add_argument("--method", choices=list(ANALOGY_METHODS), default="3cosadd",
                   help="how an expression is scored (default 3cosadd)")
    p.add_argument("--approx", action="store_true",
                   help="use the saved approximate index (built on first use; see `embedlab index`)")
    add_json_flag(p)
    p.set_defaults(func=cmd_neighbours)

    p = sub.add_parser("analogy", help="A is to B as C is to ? (man king woman -> queen)")
    p.add_argument("space")
    for name in ("a", "b", "c"):
        p.add_argument(name, metavar=name.upper())
    p.add_argument("--method", choices=list(ANALOGY_METHODS), default="3cosadd")
    p.add_argument("--k", type=_positive, default=5, help="number of answers (default 5)")
    add_json_flag(p)
    p.set_defaults(func=cmd_analogy)

    p = sub.add_parser("evaluate", help="Google analogies, WordSim-353 and SimLex-999")
    p.add_argument("space")
    p.add_argument("--restrict", type=_positive, default=30000,
                   help="search only the first N keys for analogies (default 30000)")
    p.add_argument("--failures", type=int, default=0, help="list the first N wrong analogy answers")
    add_json_flag(p)
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("export", help="write a space as Projector TSV, word2vec or Parquet")
    p.add_argument("space")
    p.add_argument("--format", required=True, choices=list(EXPORT_FORMATS))
    p.add_argument("--out", required=True, help="output file (Projector TSV also writes a metadata file)")
    add_json_flag(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("info", help="size, dimension, metadata and provenance of a space")
    p.add_argument("space")
    add_json_flag(p)
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("spaces", help="list bundled and saved spaces")
    add_json_flag(p)
    p.set_defaults(func=cmd_spaces)

    p = sub.add_parser("delete", help="delete a saved space")
    p.add_argument("name")
    add_json_flag(p)
    p.set_defaults(func=cmd_delete)

"""``embedlab compare``, ``embedlab map`` and ``embedlab slices``: align spaces, list what moved, map one
space into another, train one space per slice.

    embedlab compare slice-dictionary slice-encyclopedia-news --top 20 --min-count 20 --json
    embedlab map glove-50d my-skipgram --translate king --json
    embedlab map word2vec-gnews-bolukbasi fasttext-fr-300d --csls --refine 5 --translate king,cat
    embedlab slices --bundled --words state,party --prefix demo
"""

from __future__ import annotations

from pathlib import Path

from embedlab.cli._output import ProgressPrinter, add_json_flag, emit
from embedlab.errors import InvalidParameterError
from embedlab.strings import split_list


def _space(name: str):
    from embedlab.registry import load

    return load(name)


def _words(text: str | None) -> list[str] | None:
    return split_list(text) or None


def register(sub) -> None:
    """Register ``compare``, ``map`` and ``slices``."""
    p = sub.add_parser("compare", help="align two spaces and list the words that moved most",
                       description="Rotate A onto B (orthogonal Procrustes on shared keys) and list the "
                       "keys whose vectors moved most, with their neighbours in both spaces.")
    p.add_argument("a", metavar="A", help="the space to align (bundled, saved or a file)")
    p.add_argument("b", metavar="B", help="the reference space")
    p.add_argument("--top", type=int, default=20, help="rows in the most-moved list (default 20)")
    p.add_argument("--min-count", type=int, default=None,
                   help="leave out words seen fewer times (needs a 'count' column, e.g. trained spaces)")
    p.add_argument("--max-rank", type=int, default=None,
                   help="leave out words ranked below this (needs a 'rank' column, e.g. glove-50d)")
    p.add_argument("--measure", choices=["cosine", "knn"], default="cosine",
                   help="rank by cosine distance after alignment or by 1 - k-NN overlap")
    p.add_argument("--k", type=int, default=10, help="neighbourhood size of the k-NN overlap (default 10)")
    p.add_argument("--anchors", default=None, help="comma-separated words to fit the rotation on")
    p.add_argument("--save-aligned", default=None, metavar="NAME", help="save A aligned to B under NAME")
    add_json_flag(p)
    p.set_defaults(func=cmd_compare)

    m = sub.add_parser("map", help="learn a map from space A to space B from word pairs; translate words",
                       description="Learn an orthogonal map A→B from a seed dictionary ('a<TAB>b' or 'a b' "
                       "lines, # comments), on normalised, centred vectors (the larger side reduced by PCA "
                       "when the dimensions differ), and report precision@1/@5 on held-out words: the share "
                       "whose best (or five best) translations hold a dictionary translation. Default "
                       "dictionary: between two languages (e.g. English A, French B) FreeDict's, read from "
                       "the Debian package dict-freedict-eng-fra (identical strings and numerals when it is "
                       "not installed); otherwise the words both spaces share.")
    m.add_argument("a", metavar="A")
    m.add_argument("b", metavar="B")
    m.add_argument("--pairs", default=None, metavar="TRAIN.tsv", help="seed dictionary: a text file of "
                   "'source<TAB>target' lines (default: see above)")
    m.add_argument("--eval", default=None, metavar="EVAL.tsv", help="held-out pairs: train on the dictionary "
                   "minus every source word of EVAL, score on EVAL alone (default: hold out --test-size of "
                   "the dictionary's source words)")
    m.add_argument("--csls", action="store_true", help="retrieve translations by CSLS (Conneau et al. 2018; "
                   "k = 10) instead of the plain nearest neighbour")
    m.add_argument("--refine", type=int, default=0, metavar="N", help="refinement rounds: refit on the seed "
                   "pairs plus the mutual nearest neighbours among the 15,000 most frequent words "
                   "(default 0)")
    m.add_argument("--no-dictionary", action="store_true", help="seed from identical strings and numerals "
                   "only (Artetxe et al. 2017); use with --refine")
    m.add_argument("--max-pairs", type=int, default=None, help="use at most this many seed pairs (default: "
                   "all)")
    m.add_argument("--test-size", type=float, default=0.2, help="share of source words held out without "
                   "--eval (default 0.2)")
    m.add_argument("--least-squares", action="store_true", help="unconstrained map (Mikolov 2013) instead "
                   "of orthogonal (Smith 2017)")
    m.add_argument("--translate", default=None, help="comma-separated words to translate")
    m.add_argument("--seed", type=int, default=0)
    m.add_argument("--save", default=None, metavar="NAME", help="save A mapped into B's space under NAME")
    add_json_flag(m)
    m.set_defaults(func=cmd_map)

    s = sub.add_parser("slices", help="train one space per slice of text, aligned in sequence",
                       description="One word2vec space per slice (a CSV/TSV with a period and a text column, "
                       "several text files, or --bundled), each rotated onto the previous; saved as "
                       "PREFIX-<slice>; prints each chosen word's trajectory.")
    s.add_argument("paths", nargs="*", help="one table (period,text) or several text files")
    s.add_argument("--bundled", action="store_true", help="the bundled dictionary vs encyclopedia+news demo")
    s.add_argument("--every", type=int, default=1, help="keep every N-th line of the demo")
    s.add_argument("--words", default="state,party,court", help="comma-separated words to trace")
    s.add_argument("--prefix", default="slice", help="saved spaces are named PREFIX-<slice>")
    s.add_argument("--dim", type=int, default=100)
    s.add_argument("--epochs", type=int, default=5)
    s.add_argument("--min-count", type=int, default=5)
    s.add_argument("--workers", type=int, default=2)
    s.add_argument("--seed", type=int, default=1)
    add_json_flag(s)
    s.set_defaults(func=cmd_slices)


def _save(space, name: str) -> str:
    from embedlab import workspace

    return str(workspace.save(space.renamed(name), name))


def cmd_compare(args) -> int:
    from embedlab.compare import most_moved

    a, b = _space(args.a), _space(args.b)
    rep = most_moved(a, b, top=args.top, min_count=args.min_count, max_rank=args.max_rank,
                     measure=args.measure, k=args.k, anchors=_words(args.anchors), progress=ProgressPrinter())
    out = rep.to_dict()
    if args.save_aligned:
        out["saved"] = _save(rep.alignment.space, args.save_aligned)
    lines = [f"{a.name} → {b.name}: {out['shared']:,} shared keys, mean cosine after alignment "
             f"{out['mean_cosine']:.3f} ({out['candidates']:,} pass the frequency filter)"]
    if out["note"]:
        lines.append(out["note"])
    lines.append(f"{'#':>3}  {'key':<16} {'distance':>8}  {'knn':>5}  neighbours in A → neighbours in B")
    for i, r in enumerate(out["moved"], 1):
        lines.append(f"{i:>3}  {r['key']:<16} {r['distance']:8.3f}  {r['knn_overlap']:5.2f}  "
                     f"{', '.join(r['neighbours_a'][:4])} → {', '.join(r['neighbours_b'][:4])}")
    emit(out, args.json, "\n".join(lines))
    return 0


def cmd_map(args) -> int:
    from embedlab.compare import read_pairs
    from embedlab.compare.bilingual import translation_report

    a, b = _space(args.a), _space(args.b)
    pairs = read_pairs(args.pairs) if args.pairs else None
    held = read_pairs(args.eval) if args.eval else None
    tr, rep = translation_report(a, b, pairs, held, csls=args.csls, refine=args.refine,
                                 orthogonal=not args.least_squares, test_size=args.test_size, seed=args.seed,
                                 max_pairs=args.max_pairs, no_dictionary=args.no_dictionary,
                                 pairs_name=args.pairs or "the given pairs", progress=ProgressPrinter())
    out = {**rep, "train_pairs": rep["n_train"], "test_words": rep["n_eval"], "precision_at_1": rep["p_at_1"],
           "precision_at_5": rep["p_at_5"], "eval": args.eval, "translations": {}}
    for w in _words(args.translate) or []:
        out["translations"][w] = [{"key": k, "score": s} for k, s in tr.translate(w, 5, csls=args.csls)]
    if args.save:
        out["saved"] = _save(tr.transform(), args.save)
    emit(out, args.json, "\n".join(_map_text(out)))
    return 0


def _map_text(out: dict) -> list[str]:
    rounds = (f", refined {out['refine']} round(s) to {out['rounds'][-1]['pairs']:,} pairs" if out["refine"]
              else "")
    text = [f"{'orthogonal' if out['orthogonal'] else 'least-squares'} map {out['source']} → {out['target']} "
            f"({out['dim']} d) from {out['n_train']:,} seed pairs ({out['seed_dictionary']}){rounds}; "
            f"{'CSLS' if out['retrieval'] == 'csls' else 'nearest-neighbour'} retrieval",
            f"held out {out['n_eval']:,} words{' (' + out['eval'] + ')' if out['eval'] else ''}: "
            f"precision@1 {out['p_at_1']:.3f}, precision@5 {out['p_at_5']:.3f}"]
    text += [f"note: {n}" for n in out["notes"]]
    text += [f"  {w} → " + ", ".join(f"{r['key']} {r['score']:.2f}" for r in rows)
             for w, rows in out["translations"].items()]
    return text


def _slice_corpora(args, options):
    from embedlab.compare import bundled_slices, slices_from_files, slices_from_table

    if args.bundled:
        return bundled_slices(options, max(1, args.every))
    if len(args.paths) == 1 and args.paths[0].lower().endswith((".csv", ".tsv")):
        p = Path(args.paths[0])
        if not p.is_file():
            raise InvalidParameterError(f"'{p}' does not exist; give a CSV/TSV with a period and a text "
                                        "column.")
        return slices_from_table(p.name, p.read_bytes(), options)
    if len(args.paths) < 2:
        raise InvalidParameterError("Give --bundled, one CSV/TSV table with a period column, or at least two "
                                    "text files (one per slice).")
    return slices_from_files([(p, Path(p).read_bytes()) for p in args.paths], options)


def cmd_slices(args) -> int:
    from embedlab import workspace
    from embedlab.compare import train_slices, trajectory
    from embedlab.train.corpus import TokenOptions
    from embedlab.train.live import make_params

    corpora = _slice_corpora(args, TokenOptions(min_count=args.min_count))
    params = make_params("skipgram", dim=args.dim, epochs=args.epochs, min_count=args.min_count,
                         workers=args.workers, seed=args.seed)
    spaces = train_slices(corpora, params, ProgressPrinter(), prefix=args.prefix)
    saved = [str(workspace.save(s)) for s in spaces]
    out = {"slices": list(corpora), "spaces": [s.name for s in spaces], "saved": saved,
           "alignment": [s.info.get("alignment") for s in spaces], "trajectories": {}}
    text = [f"saved {', '.join(s.name for s in spaces)}"]
    for w in _words(args.words) or []:
        if any(w in s for s in spaces):
            df = trajectory(spaces, w)
            out["trajectories"][w] = df.to_dict(orient="records")
            text += [f"\n{w}", df.to_string(index=False, float_format="%.3f")]
    emit(out, args.json, "\n".join(text))
    return 0

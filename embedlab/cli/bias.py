"""Bias commands: ``embedlab weat`` and ``embedlab bias direct|debias``."""

from __future__ import annotations

import argparse

from embedlab.cli._output import ProgressPrinter, add_json_flag, emit, progress
from embedlab.errors import InvalidParameterError


def register(sub) -> None:
    """Register ``weat`` and ``bias``."""
    p = sub.add_parser("weat", help="Word Embedding Association Test (Caliskan et al. 2017)",
                       description="Run a bundled WEAT (--test NAME, see --list) or your own four word lists "
                       "(--targets X Y --attributes A B, text files with one word per line).")
    p.add_argument("space", nargs="?", help="bundled name, saved space or vectors file")
    p.add_argument("--list", action="store_true", help="list the bundled tests and exit")
    p.add_argument("--test", help="bundled test id (weat1..weat10), number or title; 'all' runs all ten")
    p.add_argument("--targets", nargs=2, metavar=("FILE_X", "FILE_Y"))
    p.add_argument("--attributes", nargs=2, metavar=("FILE_A", "FILE_B"))
    p.add_argument("--permutations", type=int, default=10_000, help="random partitions when not exact")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--unequal", choices=["truncate", "keep"], default="truncate",
                   help="unequal target lists: drop words at random (seeded) like the paper, or keep both")
    p.add_argument("--all-words", action="store_true", help="keep the words the paper excluded")
    add_json_flag(p)
    p.set_defaults(func=_weat)

    b = sub.add_parser("bias", help="gender direction, DirectBias and hard debiasing (Bolukbasi et al. 2016)")
    bs = b.add_subparsers(dest="bias_command", metavar="ACTION", required=True)
    d = bs.add_parser("direct", help="DirectBias_c of the gender-neutral professions")
    d.add_argument("space")
    d.add_argument("--c", type=float, default=1.0, help="strictness c (default 1)")
    d.add_argument("--words", help="file of gender-neutral words (default: Bolukbasi's professions)")
    add_json_flag(d)
    d.set_defaults(func=_direct)
    h = bs.add_parser("debias", help="hard-debias a space and save it to the workspace")
    h.add_argument("space")
    h.add_argument("--out", required=True, help="workspace name for the debiased space")
    add_json_flag(h)
    h.set_defaults(func=_debias)


def _weat(args: argparse.Namespace) -> int:
    from embedlab.bias import wordlists
    from embedlab.bias.weat import run_test, weat, weat_table

    if args.list:
        tests = wordlists.weat_tests()
        emit([{"id": t.id, "title": t.title, "paper_d": (t.paper or {}).get("d")} for t in tests], args.json,
             "\n".join(f"{t.id:<7} {t.title}" for t in tests))
        return 0
    if not args.space:
        raise InvalidParameterError("Give a SPACE (e.g. glove-50d), or --list to see the bundled tests.")
    if bool(args.test) == bool(args.targets or args.attributes):
        raise InvalidParameterError("Give either --test NAME or both --targets FILE_X FILE_Y and "
                                    "--attributes FILE_A FILE_B.")
    from embedlab.registry import load

    space = load(args.space)
    kw = {"n_permutations": args.permutations, "seed": args.seed, "unequal": args.unequal}
    if args.test and args.test.lower() == "all":
        table = weat_table(space, progress=ProgressPrinter(),
                           follow_paper=not args.all_words, **kw)
        records = table.astype(object).where(table.notna(), None).to_dict(orient="records")  # NaN -> null
        emit(records, args.json, table.drop(columns=["title", "note"]).to_string(index=False))
        return 0
    if args.test:
        result = run_test(space, args.test, follow_paper=not args.all_words, **kw)
    else:
        if not args.attributes or not args.targets:
            raise InvalidParameterError("--targets needs --attributes too (four files in all).")
        lists = [wordlists.read_words_file(f) for f in (*args.targets, *args.attributes)]
        names = [str(f) for f in (*args.targets, *args.attributes)]
        result = weat(space, *lists, names=names, **kw)
    emit(result.to_dict(), args.json, _weat_text(result))
    return 0


def _weat_text(r) -> str:
    how = f"exact over all {r.n_permutations:,} partitions" if r.exact else \
        f"{r.n_permutations:,} random partitions, seed {r.seed}"
    lines = [f"{r.names[0]} vs {r.names[1]}  /  {r.names[2]} vs {r.names[3]}",
             f"effect size d = {r.effect_size:+.3f}   one-sided p = {r.p_value:.3g}  ({how})",
             "sizes: " + ", ".join(f"{k}={len(v)}" for k, v in r.used.items())]
    miss = {k: v for k, v in r.missing.items() if v}
    if miss:
        lines.append("missing: " + "; ".join(f"{k}: {', '.join(v)}" for k, v in miss.items()))
    lines += [f"note: {w}" for w in r.warnings]
    return "\n".join(lines)


def _direct(args: argparse.Namespace) -> int:
    from embedlab.bias.debias import direct_bias
    from embedlab.bias.directions import gender_direction
    from embedlab.bias.wordlists import read_words_file
    from embedlab.registry import load

    space = load(args.space)
    g = gender_direction(space)
    words = read_words_file(args.words) if args.words else None
    r = direct_bias(space, g, words, c=args.c)
    out = {"direct_bias": r.value, "c": r.c, "n_words": len(r.frame), "missing": r.missing,
           "direction": g.label, "pc1_share": g.pc1_share}
    emit(out, args.json, f"DirectBias_{r.c:g} = {r.value:.4f} over {len(r.frame)} gender-neutral words "
         f"(direction {g.label}, PC1 explains {g.pc1_share:.0%}); {len(r.missing)} words not in {space.name}")
    return 0


def _debias(args: argparse.Namespace) -> int:
    from embedlab import workspace
    from embedlab.bias.debias import debias_gender
    from embedlab.registry import load

    workspace.check_name(args.out)
    space = load(args.space)
    progress(f"hard-debiasing {space.name} ({len(space):,} words)…")
    d = debias_gender(space, name=args.out)
    r = d.result
    path = workspace.save(r.space, args.out)
    out = {"saved": args.out, "path": str(path), "neutralised": r.n_neutralised,
           "equalised": len(r.equalised), "direct_bias_before": d.before.value,
           "direct_bias_after": d.after.value}
    emit(out, args.json, f"saved {args.out} ({path}): {r.n_neutralised:,} words neutralised, "
         f"{len(r.equalised)} pairs equalised; DirectBias {out['direct_bias_before']:.4f} -> "
         f"{out['direct_bias_after']:.4f}")
    return 0

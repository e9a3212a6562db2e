"""Word translation English ↔ French, measured as ``embedlab map ... --eval EVAL.tsv`` measures it.

Usage::

    python benchmarks/bench_translation.py                     # word2vec-gnews-bolukbasi ↔ fasttext-fr-300d
    python benchmarks/bench_translation.py --source glove-50d  # GloVe (the French side reduced to 50 d)
    python benchmarks/bench_translation.py --quick             # one direction, no refinement

For each direction it writes a held-out file: ``--n-eval`` (500) source words drawn (seeded) from the
``--frequent`` (2,000) most frequent source words that have a FreeDict translation in the target space
(frequent = the source space's row order, which is frequency order for these spaces), with every
translation FreeDict gives them (both FreeDict directions, matched to keys). The file goes to the
workspace cache (``cache/translation-eval``), never into the repository: it is FreeDict data (GPL-2+),
read from the Debian packages ``dict-freedict-eng-fra`` and ``dict-freedict-fra-eng``, which must be
installed. Every row is trained on FreeDict minus the held-out source words and scored on them alone, as
the command in its last column does; the table gives precision@1/@5 for nearest-neighbour and CSLS
retrieval, with and without refinement, and with no dictionary (identical strings and numerals as the
seed). Timings are not measured (this machine is shared).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import numpy as np
from _table import print_grid  # the script folder is on sys.path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("EMBEDLAB_HOME", tempfile.mkdtemp(prefix="embedlab-bench-"))

from embedlab import workspace  # noqa: E402
from embedlab.compare.bilingual import translation_report  # noqa: E402
from embedlab.compare.dictionaries import debian_package, freedict_pairs  # noqa: E402
from embedlab.compare.mapping import read_pairs  # noqa: E402
from embedlab.compare.translation import WordTranslator  # noqa: E402
from embedlab.registry import load  # noqa: E402


def eval_file(source, target, n_eval: int, frequent: int, seed: int) -> Path | None:
    """The held-out ``source<TAB>target`` file of one direction (see the module docstring); ``None``
    (and a message) when FreeDict is not installed."""
    pairs = freedict_pairs(source.language, target.language)
    if pairs is None:
        print(f"FreeDict {source.language}-{target.language} is not installed, so nothing is measured "
              f"(apt-get install {debian_package(source.language, target.language)} "
              f"{debian_package(target.language, source.language)})")
        return None
    tr = WordTranslator().prepare(source, target)
    matched = tr.match(pairs).pairs
    words = sorted({x for x, _ in matched}, key=tr.source_.index)[:frequent]
    chosen = set(np.random.default_rng(seed).choice(words, min(n_eval, len(words)), replace=False).tolist())
    out = workspace.cache_dir("translation-eval") / (f"{source.name}-{target.name}-{n_eval}of{frequent}-"
                                                     f"seed{seed}.tsv")
    out.write_text("".join(f"{x}\t{y}\n" for x, y in matched if x in chosen), encoding="utf-8")
    return out


def rows_for(source, target, held: Path, refine: int, quick: bool) -> list[list]:
    """Table rows of one direction: seed × refinement × retrieval."""
    pairs = read_pairs(held)
    rows = []
    settings = [("FreeDict", False, 0)] + ([] if quick else [("FreeDict", False, refine),
                                                            ("none", True, 0), ("none", True, refine)])
    for seed_kind, none, rounds in settings:
        tr, rep = translation_report(source, target, None, pairs, csls=False, refine=rounds,
                                     no_dictionary=none)
        csls = tr.precision(pairs, csls=True)
        for retrieval, p in (("nearest", rep), ("CSLS", csls)):
            command = (f"embedlab map {source.name} {target.name} --eval {held.name}"
                       + (" --csls" if retrieval == "CSLS" else "")
                       + (f" --refine {rounds}" if rounds else "") + (" --no-dictionary" if none else ""))
            rows.append([f"{source.language} → {target.language}", seed_kind, rounds, retrieval,
                         f"{p['p_at_1']:.3f}", f"{p['p_at_5']:.3f}", p["n_eval"], rep["n_train"], command])
        print(f"  done: {source.name} → {target.name}, seed {seed_kind}, refine {rounds} "
              f"({rep['rounds'][-1]['pairs']:,} pairs in the last fit)", file=sys.stderr)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", default="word2vec-gnews-bolukbasi", help="the English space")
    ap.add_argument("--target", default="fasttext-fr-300d", help="the French space")
    ap.add_argument("--n-eval", type=int, default=500)
    ap.add_argument("--frequent", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--refine", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="English → French, FreeDict seed, no refinement")
    args = ap.parse_args()
    en, fr = load(args.source), load(args.target)
    rows = []
    for a, b in ((en, fr),) if args.quick else ((en, fr), (fr, en)):
        held = eval_file(a, b, args.n_eval, args.frequent, args.seed)
        if held is None:
            return
        print(f"held-out file: {held}", file=sys.stderr)
        rows += rows_for(a, b, held, args.refine, args.quick)
    print_grid(["direction", "seed", "refine", "retrieval", "P@1", "P@5", "n_eval", "n_train", "command"],
               rows)


if __name__ == "__main__":
    main()

"""The closing note's table of issue 23: bag-of-vectors, the four small encoders and MiniLM side by side.

    python benchmarks/bench_small_encoders.py [--repeats 5] [--json FILE]

One row per encoder (:func:`embedlab.textnets.compare.compare_encoders`): cosine of "dog bites man" and
"man bites dog", mean cosine over 10 role-swapped pairs, the paraphrase − unrelated cosine gap on 16
paraphrase pairs, accuracy with 10 examples per class and with all examples on the bundled pang-lee set
(logistic regression, mean of seeded splits), mean ARI per layer on the 13 bundled sense sets (contextual
encoders), encode speed on this machine, training time and size. A second table gives ELMo's ARI per word
and layer.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _table import print_grid  # noqa: E402


def _num(x, fmt: str = ".3f") -> str:
    return "n/a" if x is None else format(x, fmt)


def _ari(row) -> str:
    if not row.sense_ari:
        return "—"
    return " · ".join(f"{k} {v:.2f}" for k, v in row.sense_ari.items())


def main() -> None:
    from embedlab.textnets.compare import compare_encoders

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5, help="seeded splits per point of the learning curve")
    ap.add_argument("--json", default=None, help="also write every number to this JSON file")
    args = ap.parse_args()
    result = compare_encoders(repeats=args.repeats)
    headers = ["encoder", "dog/man cos", "role swaps cos", "paraphrase − unrelated", "acc @10/class",
               "acc all", "ARI by layer (sense sets, mean)", "sentences/s", "training", "size"]
    rows = [[r.label, _num(r.word_order), _num(r.role_swaps),
             f"{r.paraphrase:.3f} − {r.unrelated:.3f} = {r.gap:.3f}",
             _num(r.accuracy_10), _num(r.accuracy_all),
             _ari(r), _num(r.sentences_per_s, ",.0f"),
             "—" if r.training_minutes is None else f"{r.training_minutes:.0f} min",
             "—" if r.size_mb is None else f"{r.size_mb:.1f} MB"] for r in result.rows]
    print(f"\nData: {result.data}; accuracy: mean of {args.repeats} seeded splits.")
    print_grid(headers, rows)
    for name, words in result.senses.items():
        layers = next(r.sense_ari for r in result.rows if r.encoder == name)
        print(f"\nARI per bundled sense set, {name}:")
        print_grid(["word", *layers], [[w, *(f"{x:.2f}" for x in v)] for w, v in words.items()])
    for note in result.notes:
        print(note)
    if args.json:
        dump = {"rows": [r.as_dict() for r in result.rows], "curve": result.curve, "senses": result.senses}
        Path(args.json).write_text(json.dumps(dump, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()

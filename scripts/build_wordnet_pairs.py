"""Build the sentence-pair data InferSent-small trains on: WordNet 3.0 gloss pairs (run once, offline).

No natural-language-inference corpus (SNLI, MultiNLI) ships offline, so this is the most honest stand-in
we can build from data we have: pairs of WordNet definitions ("glosses") labelled by how their synsets
relate.

* ``hypernym``: a synset's gloss and its hypernym's gloss (``@``/``@i`` pointers: "a male sovereign;
  ruler of a kingdom" → "a nation's ruler or head of state usually by hereditary right"). The second is
  the more general concept: the nearest thing to *entailment* WordNet has.
* ``antonym``: a synset's gloss and an antonym's gloss (``!`` pointers, and an adjective satellite's gloss
  and the antonym of its head adjective, WordNet's indirect antonyms): the nearest thing to
  *contradiction*.
* ``unrelated``: a synset's gloss and the gloss of a random synset of the same part of speech from another
  lexicographer file: the nearest thing to *neutral*.

Each label is capped at the same number of pairs (:data:`PER_LABEL`), drawn with a fixed seed. Glosses
are the definitions only (examples in quotes dropped), as written. Output:
``sample_data/encoders/pairs/wordnet-pairs.tsv.gz``, lines ``label<TAB>first gloss<TAB>second gloss``.

    apt-get install wordnet-base      # once, provides /usr/share/wordnet
    python scripts/build_wordnet_pairs.py
"""

from __future__ import annotations

import argparse
import gzip
import io
import random
from pathlib import Path

from wordnet_files import WORDNET, synset_records  # the scripts folder is on sys.path

POS_FILES = {"n": "noun", "v": "verb", "a": "adj", "s": "adj", "r": "adv"}
PER_LABEL = 12_000
SEED = 0


def read_synsets(folder: Path = WORDNET) -> dict[tuple[str, int], dict]:
    """``(pos file, offset) -> {gloss, lexfile, type, pointers: [(symbol, pos file, offset)]}``."""
    out = {}
    for name, f, gloss in synset_records(folder):
        n_words = int(f[3], 16)
        i = 4 + 2 * n_words
        n_ptr = int(f[i])
        ptrs = [(f[i + 1 + 4 * k], POS_FILES[f[i + 3 + 4 * k]], int(f[i + 2 + 4 * k])) for k in range(n_ptr)]
        definition = gloss.split('"')[0].strip().rstrip(";").strip()
        if len(definition.split()) >= 3:
            out[(name, int(f[0]))] = {"gloss": definition, "lexfile": int(f[1]), "type": f[2],
                                      "pointers": ptrs}
    return out


def relation_pairs(syn: dict) -> tuple[list, list]:
    """``(hypernym pairs, antonym pairs)`` as (key, key) tuples."""
    hyper, anto = [], []
    for key, s in syn.items():
        for sym, pos, off in s["pointers"]:
            other = (pos, off)
            if other not in syn or other == key:
                continue
            if sym in ("@", "@i"):
                hyper.append((key, other))
            elif sym == "!":
                anto.append((key, other))
            elif sym == "&" and s["type"] == "s":  # satellite -> head adjective: the head's antonyms
                anto += [(key, (p2, o2)) for s2, p2, o2 in syn[other]["pointers"]
                         if s2 == "!" and (p2, o2) in syn]
    return sorted(set(hyper)), sorted(set(anto))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    root = Path(__file__).resolve().parents[1]
    out = root / "sample_data" / "encoders" / "pairs" / "wordnet-pairs.tsv.gz"
    ap.add_argument("--out", default=str(out))
    ap.add_argument("--per-label", type=int, default=PER_LABEL)
    args = ap.parse_args()
    rng = random.Random(SEED)
    syn = read_synsets()
    hyper, anto = relation_pairs(syn)
    keys = sorted(syn)
    by_pos: dict[str, list] = {}
    for k in keys:
        by_pos.setdefault(k[0], []).append(k)
    n = min(args.per_label, len(hyper), len(anto))
    rows = [("hypernym", a, b) for a, b in rng.sample(hyper, n)]
    rows += [("antonym", *((a, b) if rng.random() < 0.5 else (b, a))) for a, b in rng.sample(anto, n)]
    while sum(r[0] == "unrelated" for r in rows) < n:
        a = rng.choice(keys)
        b = rng.choice(by_pos[a[0]])
        if syn[a]["lexfile"] != syn[b]["lexfile"]:
            rows.append(("unrelated", a, b))
    rng.shuffle(rows)
    with gzip.GzipFile(args.out, "wb", compresslevel=9, mtime=0) as raw, \
            io.TextIOWrapper(raw, encoding="utf-8") as out:
        for label, a, b in rows:
            out.write(f"{label}\t{syn[a]['gloss']}\t{syn[b]['gloss']}\n")
    print(f"wrote {args.out}: {len(rows):,} pairs ({n:,} per label; {len(hyper):,} hypernym and "
          f"{len(anto):,} antonym pairs available)")


if __name__ == "__main__":
    main()

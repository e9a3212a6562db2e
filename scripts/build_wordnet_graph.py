"""Build the bundled WordNet noun graph in ``sample_data/graphs/`` (run once, offline).

Source: WordNet 3.0 noun synsets from Debian's ``wordnet-base`` package (``/usr/share/wordnet/data.noun``;
WordNet 3.0 licence, Princeton University), the same package the bundled corpus draws on.

Nodes are words: each of the ``--vocab`` most frequent words of the bundled GloVe vectors (``glove-50d``)
that is a WordNet noun names its most frequent noun sense (``index.noun`` lists senses by frequency); a
synset already named by a more frequent word keeps that name. Edges:

* hypernymy (``@`` and instance ``@i``): each node to its nearest *kept* ancestor(s), climbing through
  synsets that were dropped, so the hierarchy stays connected;
* part/member/substance meronymy (``%p``, ``%m``, ``%s``) between kept synsets (these close cycles, which
  link prediction needs).

Label: the synset's lexicographer file without the ``noun.`` prefix (``animal``, ``artifact``, ``plant``...,
25 classes). Only the largest connected component is kept. Output::

    sample_data/graphs/wordnet-nouns.edges.tsv.gz    source<TAB>target, one edge per line (header line)
    sample_data/graphs/wordnet-nouns.labels.tsv.gz   node<TAB>label (header line)

Usage::

    apt-get install wordnet-base      # once, provides /usr/share/wordnet
    python scripts/build_wordnet_graph.py [--vocab 40000]
"""

from __future__ import annotations

import argparse
import gzip
from collections import Counter
from pathlib import Path

WORDNET = Path("/usr/share/wordnet/data.noun")
OUT = Path(__file__).resolve().parents[1] / "sample_data" / "graphs"
# lexicographer file numbers 03..28 are the noun files (WordNet's lexnames(5WN))
NOUN_FILES = ["Tops", "act", "animal", "artifact", "attribute", "body", "cognition", "communication", "event",
              "feeling", "food", "group", "location", "motive", "object", "person", "phenomenon", "plant",
              "possession", "process", "quantity", "relation", "shape", "state", "substance", "time"]
PART_POINTERS = {"%p", "%m", "%s"}
UP_POINTERS = {"@", "@i"}


def parse_synsets(path: Path):
    """``{offset: (lexfile, [lemmas], [(pointer, target offset)])}`` for every noun synset."""
    synsets = {}
    for line in path.read_text(encoding="latin-1").splitlines():
        if line.startswith("  "):
            continue
        f = line.split(" | ")[0].split()
        offset, lexfile, n_words = f[0], int(f[1]), int(f[3], 16)
        lemmas = [f[4 + 2 * i] for i in range(n_words)]
        k = 4 + 2 * n_words
        n_ptr = int(f[k])
        ptrs = []
        for j in range(n_ptr):
            sym, target, pos = f[k + 1 + 4 * j], f[k + 2 + 4 * j], f[k + 3 + 4 * j]
            if pos == "n":
                ptrs.append((sym, target))
        synsets[offset] = (NOUN_FILES[lexfile - 3], lemmas, ptrs)
    return synsets


def first_senses(path: Path) -> dict[str, str]:
    """``{lemma: offset of its most frequent noun sense}`` from WordNet's ``index.noun``."""
    out = {}
    for line in path.read_text(encoding="latin-1").splitlines():
        if line.startswith("  "):
            continue
        f = line.split()
        n_senses, n_ptr = int(f[2]), int(f[3])
        offsets = f[6 + n_ptr:6 + n_ptr + n_senses]
        if offsets:
            out[f[0]] = offsets[0]
    return out


def name_nodes(vocab: list[str], senses: dict[str, str]) -> dict[str, str]:
    """``{offset: word}``: GloVe words, most frequent first, each naming its most frequent noun sense
    (a synset already named by a more frequent word keeps that name)."""
    names: dict[str, str] = {}
    for w in vocab:
        offset = senses.get(w)
        if offset is not None and len(w) > 2 and w.isalpha() and w.islower() and offset not in names:
            names[offset] = w
    return names


def kept_ancestors(offset: str, synsets, names, memo) -> set[str]:
    if offset in memo:
        return memo[offset]
    memo[offset] = set()  # guard against cycles
    out: set[str] = set()
    for sym, target in synsets[offset][2]:
        if sym in UP_POINTERS:
            out |= {target} if target in names else kept_ancestors(target, synsets, names, memo)
    memo[offset] = out
    return out


def build(vocab_size: int):
    import networkx as nx

    from embedlab.registry import load

    glove = load("glove-50d")
    synsets = parse_synsets(WORDNET)
    names = name_nodes(list(glove.keys[:vocab_size]), first_senses(WORDNET.with_name("index.noun")))
    memo: dict[str, set[str]] = {}
    g = nx.Graph()
    for offset, word in names.items():
        for anc in kept_ancestors(offset, synsets, names, memo):
            g.add_edge(word, names[anc])
        for sym, target in synsets[offset][2]:
            if sym in PART_POINTERS and target in names:
                g.add_edge(word, names[target])
    g.remove_edges_from(nx.selfloop_edges(g))
    giant = max(nx.connected_components(g), key=len)
    g = g.subgraph(giant).copy()
    label = {names[o]: synsets[o][0] for o in names if names[o] in g}
    return g, label


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--vocab", type=int, default=40_000, help="GloVe's most frequent words to allow")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    g, label = build(args.vocab)
    args.out.mkdir(parents=True, exist_ok=True)
    with gzip.open(args.out / "wordnet-nouns.edges.tsv.gz", "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("source\ttarget\n")
        for a, b in sorted(g.edges()):
            fh.write(f"{a}\t{b}\n")
    with gzip.open(args.out / "wordnet-nouns.labels.tsv.gz", "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("node\tlabel\n")
        for node in sorted(g.nodes):
            fh.write(f"{node}\t{label[node]}\n")
    counts = Counter(label.values())
    print(f"{g.number_of_nodes():,} nodes, {g.number_of_edges():,} edges, {len(counts)} labels: "
          + ", ".join(f"{k} {v}" for k, v in counts.most_common()))


if __name__ == "__main__":
    main()

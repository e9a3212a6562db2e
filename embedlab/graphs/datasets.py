"""Bundled graphs, available offline (sources and licences in ``sample_data/graphs/README.md``).

* ``karate`` — Zachary's karate club (34 members, labels: the two factions after the split).
* ``lesmis`` — Les Misérables character co-appearances (77 characters, weighted; labels: Louvain communities).
* ``wordnet-nouns`` — 12.9k WordNet nouns known to GloVe, hypernym and part-of edges (labels: WordNet's
  26 noun categories; node features: the words' GloVe vectors).
"""

from __future__ import annotations

import gzip
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from embedlab.errors import UnknownKeyError
from embedlab.graphs.graph import Graph
from embedlab.graphs.io import from_networkx, parse_labels, read_graph, read_labels
from embedlab.registry import load
from embedlab.resources import data_path

GRAPHS_DIR = data_path("graphs")
BUNDLED_GRAPHS = {
    "karate": "Zachary's karate club (34 members; colours: the two factions after the split)",
    "lesmis": "Les Misérables co-appearances (77 characters; colours: Louvain communities)",
    "wordnet-nouns": "WordNet nouns (12.9k words, hypernym and part-of edges; colours: noun category)",
}
NX_LICENCE = "networkx example data (BSD-3-Clause)"


def _karate() -> Graph:
    import networkx as nx

    g = from_networkx(nx.karate_club_graph(), "karate", label_attrs=("club",))
    return _with_info(g, "Zachary (1977), J. Anthropological Research 33:452-473", NX_LICENCE)


def _lesmis() -> Graph:
    import networkx as nx

    nxg = nx.les_miserables_graph()
    communities = sorted(nx.community.louvain_communities(nxg, weight="weight", seed=0), key=len,
                         reverse=True)
    labels = {str(n): f"community {i + 1}" for i, c in enumerate(communities) for n in c}
    g = from_networkx(nxg, "lesmis", label_attrs=()).with_labels(labels)
    return _with_info(g, "Knuth (1993), The Stanford GraphBase", NX_LICENCE)


def _wordnet() -> Graph:
    g = read_graph(GRAPHS_DIR / "wordnet-nouns.edges.tsv.gz", name="wordnet-nouns")
    labels = parse_labels(_gunzipped(GRAPHS_DIR / "wordnet-nouns.labels.tsv.gz"), g, "wordnet-nouns.labels")
    g = g.with_labels(labels)
    return _with_info(g, "WordNet 3.0 (Princeton University), via scripts/build_wordnet_graph.py",
                      "WordNet 3.0 licence", features="glove-50d")


def _gunzipped(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes())


def _with_info(g: Graph, source: str, licence: str, features: str | None = None) -> Graph:
    feats = None
    if features:
        space = load(features)
        feats = np.stack([space.vector(k) for k in g.nodes]).astype(np.float32)
    return replace(g, info={"source": source, "licence": licence, "features": features}, features=feats)


@lru_cache(maxsize=4)
def load_bundled(name: str) -> Graph:
    """One of :data:`BUNDLED_GRAPHS` (cached: graphs are immutable)."""
    loaders = {"karate": _karate, "lesmis": _lesmis, "wordnet-nouns": _wordnet}
    if name not in loaders:
        raise UnknownKeyError(name, "the bundled graphs", len(loaders), list(loaders))
    return loaders[name]()


def load_graph(source: str | Path, labels=None, directed: bool = False, **kw) -> Graph:
    """A bundled graph by name, else a file (edge list, GraphML, GEXF), plus an optional label file."""
    if str(source) in BUNDLED_GRAPHS and not Path(source).is_file():
        g = load_bundled(str(source))
        return g if labels is None else g.with_labels(read_labels(labels, g))
    return read_graph(source, directed=directed, labels=labels, **kw)

"""Graphs (issue 22, items 2, 8, 9, 10, 13): node2vec with extreme p or q, Ctrl-C and Stop, walk, GraphSAGE
and evaluation parameters, label files, isolated nodes, control characters in node ids.

Cases that need a saved space, a signal or the page run a small driver script written by ``setup``.
"""

from __future__ import annotations

from hostile import Case, cli


def _said(*words: str):
    return lambda out, err: all(w in out + err for w in words)


def _embed(name: str, *args: str, check=None) -> Case:
    return cli(name, "graph", "embed", "karate", *args, "--out", "x", check=check)


def _write(name: str, text: str):
    return lambda w: (w / name).write_text(text)


CASES = [
    # item 8: walk parameters
    _embed("graph embed --walk-length 1e8", "--walk-length", "100000000", check=_said("walk length must")),
    _embed("graph embed --window 1e9", "--window", "1000000000", check=_said("window must")),
    _embed("graph embed --epochs -5", "--epochs", "-5", check=_said("epochs must")),
    _embed("graph embed --num-walks 1e8", "--num-walks", "100000000", check=_said("walks per node must")),
    _embed("graph embed --seed -1", "--seed", "-1", check=_said("seed must")),
]

CASES += [
    # item 10: GraphSAGE
    _embed("graph embed graphsage --dim 0", "--method", "graphsage", "--dim", "0", check=_said("dim must")),
    _embed("graph embed graphsage --steps -5", "--method", "graphsage", "--steps", "-5",
           check=_said("steps must")),
    _embed("graph embed graphsage --dim 100000", "--method", "graphsage", "--dim", "100000",
           check=_said("dim must")),
]

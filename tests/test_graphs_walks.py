"""node2vec walks with extreme p and q end and stay exact; long walk and skip-gram work stops between blocks
(Ctrl-C in the CLI, a raising progress callback such as a page's Stop)."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading

import networkx as nx
import numpy as np
import pytest
from conftest import ROOT

from embedlab.graphs import Graph, Node2Vec, random_walks
from embedlab.graphs.io import from_networkx


def test_extreme_p_and_q_walks_end_and_follow_the_bias():
    """On a path a - b - c a walk b -> a must come back to b (its only neighbour), however huge p is;
    from b it then never returns to a when c is there (p = 1e300), and always does when q = 1e300."""
    g = Graph.from_edges(["a", "b"], ["b", "c"])
    a, b, c = (g.index(k) for k in "abc")
    never_back = random_walks(g, walk_length=4, num_walks=200, p=1e300, q=1.0, seed=0)
    from_b = never_back[never_back[:, 0] == b]
    assert {tuple(w) for w in from_b.tolist()} == {(b, a, b, c), (b, c, b, a)}
    always_back = random_walks(g, walk_length=5, num_walks=200, p=1.0, q=1e300, seed=0)
    assert (always_back[:, 2:] == always_back[:, :-2]).all()  # every step returns to where it came from


@pytest.mark.parametrize("p, q", [(0.5, 4.0), (1e300, 1e-300), (1e-12, 1e12), (1e-300, 1.0)])
def test_exact_step_matches_the_node2vec_formula(p, q):
    """The exact draw a step falls back to (after the rejection trials) has P(x | t -> v) proportional to
    w(v, x) * alpha(t, x), for ordinary and extreme p and q."""
    from embedlab.graphs.walks import _exact_step

    g = Graph.from_edges(["t", "t", "v", "v", "v", "a"], ["v", "a", "a", "b", "c", "b"],
                         weights=[1, 1, 1, 2, 3, 1])
    t, v = g.index("t"), g.index("v")
    weights = g.weights.astype(np.float64)
    state = np.array([12345], dtype=np.uint64)
    draws = np.array([_exact_step(t, v, g.indptr, g.indices, weights, True, 1 / p, 1 / q, state)
                      for _ in range(20_000)])
    mass = {"t": 1 / p, "a": 1.0, "b": 2 / q, "c": 3 / q}  # w(v, x) * alpha(t, x)
    top = max(mass.values())
    z = sum(m / top for m in mass.values())
    for node, m in mass.items():
        assert np.mean(draws == g.index(node)) == pytest.approx(m / top / z, abs=0.015), node


class Stop(Exception):
    """What Streamlit's Stop raises inside a progress call."""


def test_fit_reports_between_blocks_and_stops_when_the_callback_raises(monkeypatch):
    """With small blocks, one pass of walks and of skip-gram reports several times (each report is a point
    where Ctrl-C or a page's Stop takes effect), and an exception from the callback ends the fit there."""
    import embedlab.graphs.skipgram as skipgram
    import embedlab.graphs.walks as walks

    monkeypatch.setattr(walks, "BLOCK_STEPS", 200)
    monkeypatch.setattr(skipgram, "BLOCK_TOKENS", 200)
    g = from_networkx(nx.connected_caveman_graph(10, 10), "caves")
    calls: list[float] = []
    Node2Vec(dim=8, walk_length=20, num_walks=2, epochs=1).fit(g, progress=lambda d, t, m: calls.append(d))
    within_first_pass = [d for d in calls if d < 1]
    assert len(within_first_pass) >= 10  # 100 walks of 20 nodes in blocks of 10 walks: walks, then training

    def stop_at_third(done, total, message):
        calls.append(done)
        if len(calls) == 3:
            raise Stop

    calls.clear()
    with pytest.raises(Stop):
        Node2Vec(dim=8, walk_length=20, num_walks=2, epochs=1).fit(g, progress=stop_at_third)
    assert len(calls) == 3 and calls[-1] < 1


def _lines(stream, out: queue.Queue) -> None:
    for line in stream:
        out.put(line)
    out.put(None)


def test_ctrl_c_stops_a_node2vec_run_with_a_huge_p(tmp_path):
    """`embedlab graph embed karate --p 1e300` with many walks: Ctrl-C during training exits 130."""
    env = {**os.environ, "EMBEDLAB_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "embedlab", "graph", "embed", "karate", "--p", "1e300",
                             "--num-walks", "100000", "--out", "never"], stderr=subprocess.PIPE, text=True,
                            env=env, cwd=tmp_path)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_lines, args=(proc.stderr, lines), daemon=True).start()
    try:
        line = ""
        while "%" not in line:  # a progress line: training has started
            line = lines.get(timeout=120)
            assert line is not None, "the command ended before training"
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=120) == 130
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    said = []
    while (line := lines.get(timeout=10)) is not None:
        said.append(line)
    assert "embedlab: interrupted" in "".join(said)

"""Graphs (issue 22, items 2, 8, 9, 10, 13): node2vec with extreme p or q, Ctrl-C and Stop, walk, GraphSAGE
and evaluation parameters, label files, isolated nodes, control characters in node ids.

Cases that need a saved space, a signal or the page run a small driver script written by ``setup``.
"""

from __future__ import annotations

from pathlib import Path

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

# item 2
# A ring of 100,000 nodes with one chord each: one pass of walks is 4 million tokens, many seconds of
# skip-gram, so a stop that waits for the end of a pass is seen.
RING_NODES = 100_000

# Starts the CLI, waits until it has read the graph, presses Ctrl-C (SIGINT) 2 s later and says how long
# the command took to stop; exit 1 if it was still running 15 s later (then it is killed).
INTERRUPT = '''
import signal, subprocess, sys, time
cmd = [sys.executable, "-m", "embedlab", "graph", "embed", *sys.argv[1:], "--out", "x"]
p = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
line = p.stderr.readline()
while line and " edges" not in line:
    line = p.stderr.readline()
time.sleep(2.0)
t = time.perf_counter()
p.send_signal(signal.SIGINT)
try:
    rest = p.communicate(timeout=15)[1]
    said = (rest.strip().splitlines() or [""])[-1]
    print(f"stopped {time.perf_counter() - t:.1f} s after Ctrl-C (exit {p.returncode}): {said}")
    sys.exit(0 if p.returncode == 130 else 1)
except subprocess.TimeoutExpired:
    p.kill()
    print("still running 15 s after Ctrl-C; killed")
    sys.exit(1)
'''

# What the Graphs page does with an upload (read_graph, embed_graph with a progress callback); the
# callback raises, as Streamlit's Stop does inside st.progress, once Stop was "pressed" 2 s in.
PAGE_STOP = '''
import sys, time
from pathlib import Path
from embedlab.graphs.io import read_graph
from embedlab.graphs.api import embed_graph

class Stop(Exception):
    pass

graph = read_graph(Path("ring.txt").read_bytes(), name="ring.txt")
t0 = time.perf_counter()
def progress(done, total, message):
    if time.perf_counter() - t0 > 2.0:
        raise Stop
try:
    embed_graph(graph, "node2vec", dim=32, p=1.0, q=0.5, seed=0, progress=progress)
    print("finished without stopping")
except Stop:
    print(f"stopped {time.perf_counter() - t0 - 2.0:.1f} s after Stop")
'''

def _ring(work: Path) -> None:
    n = RING_NODES
    edges = [f"{i} {(i + 1) % n}\n{i} {(i * 7919 + 13) % n}\n" for i in range(n)]
    (work / "ring.txt").write_text("".join(edges))
    (work / "interrupt.py").write_text(INTERRUPT)
    (work / "page_stop.py").write_text(PAGE_STOP)


def _interrupt(work: Path) -> None:
    (work / "interrupt.py").write_text(INTERRUPT)


CASES += [
    # item 2: node2vec with an extreme p or q ends (exact sampler), and Ctrl-C / Stop are honoured
    _embed("graph embed --p 1e300", "--p", "1e300", check=_said("saved 34 nodes")),
    _embed("graph embed --p 1e12", "--p", "1e12", check=_said("saved 34 nodes")),
    cli("graph linkpred --p 1e300", "graph", "linkpred", "karate", "--p", "1e300", "--dim", "16",
        check=_said("ROC AUC")),
    Case("graph embed --p 1e300 + Ctrl-C", ["{python}", "{work}/interrupt.py", "karate", "--p", "1e300",
                                            "--num-walks", "100000"], _interrupt, _said("exit 130")),
    Case("graph embed Ctrl-C in a long pass", ["{python}", "{work}/interrupt.py", "ring.txt"], _ring,
         _said("exit 130")),
    Case("graphs page Stop in a long pass", ["{python}", "{work}/page_stop.py"], _ring,
         _said("stopped")),
]

# item 9
# A saved space (embedded quietly first), then the classify command under test.
CLASSIFY = '''
import contextlib, io, sys
from embedlab.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    main(["graph", "embed", "karate", "--dim", "8", "--out", "k"])
sys.exit(main(["graph", "classify", "k", *sys.argv[1:]]))
'''

def _classify(work: Path) -> None:
    (work / "classify.py").write_text(CLASSIFY)


CASES += [
    # item 9: classify
    Case("graph classify --labels nope.csv", ["{python}", "{work}/classify.py", "--labels", "nope.csv"],
         _classify, _said("nope.csv", "does not exist")),
    Case("graph classify --test-size 0.99", ["{python}", "{work}/classify.py", "--test-size", "0.99"],
         _classify, _said("test size 0.99", "at most")),
]

# item 13
# The Graphs page with an uploaded GraphML graph (read by the reader its form calls) that has isolated
# nodes; prints the page's warnings.
PAGE_ISOLATED = '''
from pathlib import Path
import embedlab
from streamlit import logger
from streamlit.testing.v1 import AppTest
from embedlab.graphs.io import read_graph
from ui.state import AppState

logger.set_log_level("error")  # no "missing ScriptRunContext" chatter
root = Path(embedlab.__file__).resolve().parents[1]
page = root / "app_pages" / "graphs.py"
page = page if page.is_file() else root / "pages" / "graphs.py"
graph = read_graph(Path("g.graphml").read_bytes(), name="g.graphml")
at = AppTest.from_file(str(page), default_timeout=60)
state = AppState()
at.session_state["_embedlab_state"] = state
at.run()
state.pages["GraphsPage"].uploads["g.graphml"] = graph
at.radio(key="graphs_source").set_value("upload").run()
said = [w.value for w in at.warning] + [e.value for e in at.error] + [str(x.value) for x in at.exception]
print(" | ".join(said) or "no warning on the page about the nodes without edges")
'''

GRAPHML = """<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <graph edgedefault="undirected">
    <node id="a"/><node id="b"/><node id="c"/><node id="lonely1"/><node id="lonely2"/>
    <edge source="a" target="b"/><edge source="b" target="c"/><edge source="c" target="a"/>
  </graph>
</graphml>
"""


def _isolated(work: Path) -> None:
    (work / "g.graphml").write_text(GRAPHML)
    (work / "page_isolated.py").write_text(PAGE_ISOLATED)


CASES += [
    # item 13: isolated nodes are counted (CLI JSON, page); control characters in node ids are refused
    Case("graph embed isolated nodes --json", ["{python}", "-m", "embedlab", "graph", "embed", "g.graphml",
                                               "--out", "g", "--json"], _isolated,
         _said('"isolated_nodes": 2', "2 of the 5 nodes have no edges")),
    Case("graphs page isolated nodes", ["{python}", "{work}/page_isolated.py"], _isolated,
         _said("2 of the 5 nodes have no edges")),
    cli("graph embed NUL in node ids", "graph", "embed", "nul.txt", "--out", "x",
        setup=_write("nul.txt", "a\x00b c\nc d\nd a\x00b\n"), check=_said("NUL", "line 1")),
]

"""Graphs: a network drawn beside the map of its node embedding (DeepWalk, node2vec, GraphSAGE), with linked
selection, node classification and link prediction; the result is an ordinary embedding space."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from embedlab.graphs.api import METHODS
from embedlab.graphs.datasets import BUNDLED_GRAPHS
from embedlab.graphs.layout import MAX_DRAWN
from ui import downloads, presenter
from ui.common import add_session_space, space_picker, user_errors
from ui.literal import md_literal
from ui.progress import progress_bar
from ui.server_store import compute_once
from ui.share import bind
from ui.state import page_state, set_widget, widget_value

SOURCES = {"bundled": "Bundled graph", "upload": "Upload an edge list"}
PQ_VALUES = [0.25, 0.5, 1.0, 2.0, 4.0]
DIMS = [8, 16, 32, 64, 128]
AUTO_EMBED_NODES = 2000  # graphs this small are embedded with the defaults as soon as they are opened


@dataclass
class GraphsPage:
    """The graph being explored, its latest embedding and evaluation results."""

    uploads: dict[str, Any] = field(default_factory=dict)  # name -> Graph
    graph_name: str = "karate"
    space: Any = None  # EmbeddingSpace of the graph named in space_graph
    space_graph: str | None = None
    settings: dict = field(default_factory=dict)
    selected: str | None = None
    last_click: str | None = None
    save_for: str | None = None  # fingerprint of the space the save box was filled for
    classification: dict | None = None
    linkpred: dict | None = None


# ------------------------------------------------------------------ cached work
@st.cache_resource(show_spinner="Loading the graph…", max_entries=8)
def bundled_graph(name: str):
    from embedlab.graphs.datasets import load_bundled

    return load_bundled(name)


@st.cache_data(show_spinner="Laying out the network…", max_entries=16)
def network_layout(_graph, fingerprint: str, max_nodes: int):
    """Drawn rows, their force-layout positions and the edges among them (cached per graph fingerprint)."""
    from embedlab.graphs.layout import draw_sample, force_layout, induced_edges

    rows = draw_sample(_graph, max_nodes)
    return rows, force_layout(_graph, rows), induced_edges(_graph, rows)


@st.cache_data(show_spinner="Finding communities…", max_entries=16)
def node_colours(_graph, fingerprint: str):
    from embedlab.graphs.layout import colour_labels

    return colour_labels(_graph)


@st.cache_data(show_spinner=False, max_entries=16)
def named_groups(_space, fingerprint: str, kind: str, labels: np.ndarray) -> np.ndarray:
    """Each node's colour group with its name: ``"community 3: 33, 0, 32"`` (the group's best-connected
    nodes, :func:`embedlab.regions.name_groups`)."""
    from embedlab.regions import name_groups

    names = name_groups(_space, labels, kind="graph")
    return np.asarray([f"{g}: {names[g]}" if names.get(g) else g for g in labels], dtype=object).astype(str)


def cached_embedding(_graph, fingerprint: str, settings: tuple, _progress=None):
    """The node space for one graph and one set of settings, trained once per server (``ui.server_store``: a
    cache hit must not replay the first session's progress bar)."""
    from embedlab.graphs.api import embed_graph

    def train():
        s = dict(settings)
        return embed_graph(_graph, s.pop("method"), progress=_progress, **s)

    return compute_once("graph-embeddings", (fingerprint, settings), train)


@st.cache_data(show_spinner="Projecting the embedding…", max_entries=16)
def embedding_coords(_space, fingerprint: str, rows_key: str, method: str, rows: tuple[int, ...]):
    from embedlab.projection import project

    return project(_space.subset(list(rows)), method, 2)


# ------------------------------------------------------------------ widgets
def choose_graph(state: GraphsPage):
    """Bundled graph or an upload; returns the :class:`Graph` to explore (or None)."""
    source = st.radio("Graph", list(SOURCES), format_func=SOURCES.get, horizontal=True, key="graphs_source")
    if source == "bundled":
        names = list(BUNDLED_GRAPHS)
        bind("graph", "graphs_bundled", default=names[0], options=names, short=True)
        name = st.selectbox("Bundled graph", names, format_func=BUNDLED_GRAPHS.get, key="graphs_bundled")
        state.graph_name = name
        with user_errors():
            return bundled_graph(name)
        return None
    upload_form(state)
    if not state.uploads:
        st.info("Upload an edge list to explore it, or pick a bundled graph.")
        return None
    name = st.selectbox("Uploaded graph", list(state.uploads), key="graphs_uploaded")
    state.graph_name = f"upload:{name}"
    return state.uploads[name]


def upload_form(state: GraphsPage) -> None:
    from embedlab.graphs.io import MAX_EDGES

    with st.form("graphs_upload", clear_on_submit=False):
        edges = st.file_uploader(
            f"Edge list: one 'source target [weight]' per line (CSV, TSV or spaces; header optional; at most "
            f"{MAX_EDGES:,} edges), or GraphML/GEXF",
            type=["csv", "tsv", "txt", "edges", "gz", "graphml", "gexf"],
            key="graphs_edges")
        labels = st.file_uploader("Node labels (optional): 'node,label' per line", type=["csv", "tsv", "txt"],
                                  key="graphs_labels")
        directed = st.checkbox("Directed edges", value=False, key="graphs_directed")
        if st.form_submit_button("Read graph") and edges is not None:
            with user_errors():
                read_upload(state, edges.name, edges.getvalue(), labels.getvalue() if labels else None,
                            directed)


def read_upload(state: GraphsPage, name: str, data: bytes, labels: bytes | None, directed: bool) -> None:
    from embedlab.catalog import unique_name
    from embedlab.graphs.io import read_graph

    graph = read_graph(data, name=name, directed=directed, labels=labels)
    key = unique_name(name, state.uploads)
    state.uploads[key] = graph
    set_widget("graphs_uploaded", key)


def show_summary(graph) -> None:
    kind = "directed" if graph.directed else "undirected"
    weighted = ", weighted" if graph.weighted else ""
    labelled = f", {len(graph.labels):,} labelled nodes" if graph.labels else ""
    st.caption(md_literal(f"{graph.n_nodes:,} nodes, {graph.n_edges:,} edges ({kind}{weighted}){labelled}. "
                          + " ".join(graph.report.sentences())))


def settings_form(graph) -> tuple[dict, bool]:
    """Method and its parameters; returns ``(settings, train clicked)``."""
    c = st.columns([2, 1, 1, 1])
    bind("method", "graphs_method", default="node2vec", options=METHODS, short=True)
    method = c[0].radio("Method", list(METHODS), format_func=METHODS.get, key="graphs_method")
    bind("dim", "graphs_dim", default=32, parse=int, options=DIMS, short=True)
    dim = c[1].select_slider("Dimension", DIMS, key="graphs_dim")
    walks = method != "graphsage"
    bind("p", "graphs_p", default=1.0, parse=float, options=PQ_VALUES, short=True)
    p = c[2].select_slider("p (return)", PQ_VALUES, key="graphs_p", disabled=method != "node2vec",
                           help="Low p: walks often step back — they stay local.")
    bind("q", "graphs_q", default=0.5, parse=float, options=PQ_VALUES, short=True)
    q = c[3].select_slider("q (in-out)", PQ_VALUES, key="graphs_q", disabled=method != "node2vec",
                           help="Low q: walks move outward (communities); high q: walks stay around a node "
                           "(structural roles).")
    with presenter.extras("Walks and seed"):
        e = st.columns(3)
        seed = e[0].number_input("Seed", 0, 10_000, 0, key="graphs_seed")
        length = e[1].slider("Walk length", 5, 80, 40, step=5, key="graphs_walk_length", disabled=not walks)
        num = e[2].slider("Walks per node", 1, 20, 10, key="graphs_num_walks", disabled=not walks)
    settings: dict = {"method": method, "dim": int(dim), "seed": int(seed)}
    if method == "node2vec":
        settings.update(p=float(p), q=float(q))
    if walks:
        settings.update(walk_length=int(length), num_walks=int(num))
    clicked = st.button("Embed the nodes", type="primary", key="graphs_train")
    return settings, clicked


def train(state: GraphsPage, graph, settings: dict) -> None:
    bar, report = progress_bar(f"Embedding {graph.n_nodes:,} nodes with {settings['method']}…")
    with user_errors():
        state.space = cached_embedding(graph, graph.fingerprint, tuple(sorted(settings.items())), report)
        state.space_graph = state.graph_name
        state.settings = settings
        state.classification = state.linkpred = None
    bar.empty()


# ------------------------------------------------------------------ views
def clicked_node(event) -> str | None:
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    for p in points:
        key = p.get("customdata")
        if key is not None:
            return str(key[0] if isinstance(key, list) else key)
    return None


def show_views(state: GraphsPage, graph, space) -> None:
    from embedlab.neighbours import most_similar
    from embedlab.plots.graphs import embedding_figure, label_colours, network_figure

    rows, xy, edges = network_layout(graph, graph.fingerprint, MAX_DRAWN)
    labels, colour_kind = node_colours(graph, graph.fingerprint)
    labels = named_groups(space, space.fingerprint, colour_kind, labels)
    keys = np.asarray(graph.nodes, dtype=object)[rows]
    drawn_labels = labels[rows]
    colours = label_colours(drawn_labels)
    proj = st.radio("Embedding map", ["tsne", "pca"], horizontal=True, key="graphs_projection",
                    format_func={"tsne": "t-SNE (neighbourhoods)", "pca": "PCA (fast, global)"}.get)
    exy = embedding_coords(space, space.fingerprint, f"{graph.fingerprint}:{len(rows)}", proj,
                           tuple(int(r) for r in rows))
    selected = widget_value("graphs_node")
    selected = state.selected = selected if selected in space else None
    graph_nbrs = graph.neighbours(selected) if selected else []
    emb_nbrs = [k for k, _ in most_similar(space, selected, topn=10)] if selected else []
    what = "label" if colour_kind == "label" else "Louvain community"
    if len(rows) < graph.n_nodes:
        st.warning(f"{graph.n_nodes:,} nodes are too many to draw: showing a connected sample of "
                   f"{len(rows):,} "
                   "(breadth-first from random nodes) in both views; the embedding covers every node.")
    st.caption(f"Both views are coloured by {what}. Click a node (in either view) to highlight it in both: "
               "its graph neighbours are ringed on the left, its nearest neighbours in the embedding on the "
               "right.")
    left, right = st.columns(2)
    with left:
        fig = network_figure(xy, keys, drawn_labels, edges, colours, selected, graph_nbrs,
                             title=f"Network: {graph.name}")
        ev_left = downloads.chart(fig, f"{graph.name}-network", key="graphs_network", on_select="rerun",
                                  selection_mode="points")
    with right:
        fig = embedding_figure(exy, keys, drawn_labels, colours, selected, emb_nbrs,
                               title=f"Embedding: {space.info.get('method', '')}, {space.dim} d")
        ev_right = downloads.chart(fig, f"{graph.name}-embedding", key="graphs_embedding", on_select="rerun",
                                   selection_mode="points")
    clicked = clicked_node(ev_left) or clicked_node(ev_right)
    if clicked and clicked != state.last_click:  # a new click (a chart keeps its selection between reruns)
        state.last_click = state.selected = clicked
        set_widget("graphs_node", clicked)
        st.rerun()


def show_node(state: GraphsPage, graph, space) -> None:
    from embedlab.neighbours import most_similar

    options = list(graph.nodes)
    if widget_value("graphs_node") not in space:
        set_widget("graphs_node", None)
    state.selected = st.selectbox("Node", options, index=None, key="graphs_node", placeholder="click a node "
                                  "or pick one here")
    if state.selected is None:
        return
    left, right = st.columns(2)
    with left:
        st.markdown("**Nearest in the embedding** (cosine similarity)")
        nb = most_similar(space, state.selected, topn=10)
        downloads.dataframe(pd.DataFrame(nb, columns=["node", "similarity"]), f"nearest-{state.selected}",
                            key="graphs_nearest", hide_index=True)
    with right:
        st.markdown("**Neighbours in the graph** (strongest edge first)")
        nbrs = graph.neighbours(state.selected)
        downloads.dataframe(pd.DataFrame({"node": nbrs[:50]}), f"graph-neighbours-{state.selected}",
                            key="graphs_nbrs", hide_index=True)
        if len(nbrs) > 50:
            st.caption(f"{len(nbrs):,} neighbours; the first 50 are listed.")


def show_evaluation(state: GraphsPage, graph, space, settings: dict) -> None:
    nc, lp = st.columns(2)
    with nc:
        st.markdown("**Node classification**")
        if not graph.labels and "label" not in space.meta_columns:
            st.caption("This graph has no node labels; upload a label file to classify nodes.")
        elif st.button("Classify nodes", key="graphs_classify"):
            from embedlab.graphs.evaluate import node_classification

            with user_errors():
                state.classification = node_classification(space, graph.labels, seed=settings["seed"])
        if state.classification:
            r = state.classification
            st.metric("macro-F1", f"{r['macro_f1']:.3f}", help="held-out nodes")
            st.caption(f"A logistic regression trained on {r['n_train']} labelled nodes' vectors predicts "
                       f"the labels of {r['n_test']} held-out nodes ({r['n_classes']} classes). Macro-F1 "
                       "averages "
                       f"the F1 of every class: 1 is perfect; always guessing the largest class scores "
                       f"{r['baseline_macro_f1']:.2f}. Accuracy: {r['accuracy']:.3f}.")
            downloads.json_data(r, f"{graph.name}-node-classification", key="graphs_classify_dl")
    with lp:
        st.markdown("**Link prediction**")
        frac = st.slider("Edges to hide", 0.1, 0.5, 0.2, step=0.05, key="graphs_test_fraction")
        if st.button("Hide edges, retrain and score", key="graphs_linkpred"):
            run_linkpred(state, graph, settings, frac)
        if state.linkpred:
            r = state.linkpred
            st.metric("ROC AUC", f"{r['auc']:.3f}")
            st.caption(f"{r['n_test_edges']:,} edges were hidden before training on the other "
                       f"{r['n_train_edges']:,}. AUC is the chance that a hidden edge scores higher than a "
                       "random "
                       "pair of unconnected nodes (element-wise product of the two vectors, logistic "
                       "regression): 0.5 is guessing, 1 is perfect.")
            downloads.json_data(r, f"{graph.name}-link-prediction", key="graphs_linkpred_dl")


def run_linkpred(state: GraphsPage, graph, settings: dict, frac: float) -> None:
    from embedlab.graphs.api import link_prediction_run

    s = dict(settings)
    bar, report = progress_bar("Hiding edges and retraining…")
    with user_errors():
        res = link_prediction_run(graph, s.pop("method"), test_fraction=frac, progress=report, **s)
        res.pop("space", None)
        state.linkpred = res
    bar.empty()


def show_save(space) -> None:
    from embedlab import workspace

    c1, c2, c3 = st.columns([2, 1, 1])
    if page_state(GraphsPage).save_for != space.fingerprint:  # a new embedding: propose its own name
        page_state(GraphsPage).save_for = space.fingerprint
        set_widget("graphs_save_name", space.name)
    name = c1.text_input("Save as space", key="graphs_save_name")
    if c2.button("Save", key="graphs_save"):
        with user_errors():
            saved = space.renamed(workspace.check_name(name))
            workspace.save(saved)
            add_session_space(saved, select=False)
            st.success("Saved. Open it in Map, Neighbours or export it (pick it in the sidebar).")
    table = space.to_frame()
    table.insert(len(table.columns), "vector", [" ".join(f"{x:.5f}" for x in v) for v in space.vectors])
    c3.download_button("Download CSV", lambda: downloads.csv_bytes(table),
                       file_name=f"{downloads.safe_name(space.name)}.csv", mime="text/csv",
                       key="graphs_download", on_click="ignore")
    with c3:
        downloads.space(space, key="graphs_space_dl")


def main() -> None:
    st.title("🕸️ Graphs")
    st.caption("Watch a network become a map: random walks (DeepWalk, node2vec) or neighbourhood "
               "aggregation (GraphSAGE) turn each node into a vector; nodes that share neighbours end up "
               "close.")
    space_picker()
    state = page_state(GraphsPage)
    graph = choose_graph(state)
    if graph is None:
        return
    show_summary(graph)
    settings, clicked = settings_form(graph)
    fresh = state.space is None or state.space_graph != state.graph_name
    if clicked or (fresh and graph.n_nodes <= AUTO_EMBED_NODES):
        train(state, graph, settings)
    if state.space is None or state.space_graph != state.graph_name:
        st.info("Press 'Embed the nodes' to train (this graph is large: it may take a minute).")
        return
    if state.settings != settings:
        st.caption("The settings changed since this embedding was trained: press 'Embed the nodes' to "
                   "retrain.")
    for note in state.space.info.get("notes", []):  # e.g. how many nodes have no edges, and what that means
        st.warning(md_literal(note))
    with user_errors():
        show_views(state, graph, state.space)
        show_node(state, graph, state.space)
    st.divider()
    show_evaluation(state, graph, state.space, state.settings)
    st.divider()
    show_save(state.space)


main()

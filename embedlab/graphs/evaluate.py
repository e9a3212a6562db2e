"""Evaluating node embeddings: node classification (macro-F1) and link prediction (ROC AUC).

Node classification: a logistic regression on the node vectors, trained on a seeded stratified split
(``test_size`` held out), scored by macro-F1 (mean F1 over classes, so small classes count as much as big
ones) and accuracy, next to the majority-class baseline.

Link prediction: a seeded ``test_fraction`` of the edges is hidden (never one that would leave a node
without edges, so every node still gets walked), the embedding is trained on the rest, and the hidden
edges are ranked against as many sampled non-edges. Edge features are the Hadamard (element-wise) product
of the two node vectors; a logistic regression fit on training edges vs other non-edges scores them.
ROC AUC is the chance that a random hidden edge outscores a random non-edge (0.5 = guessing, 1 = perfect).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from embedlab.errors import EmptyInputError, InvalidParameterError
from embedlab.graphs.graph import Graph
from embedlab.graphs.params import check
from embedlab.progress import Progress, report, scaled


def _labels_for(space, labels: dict[str, str] | None) -> tuple[np.ndarray, np.ndarray]:
    """Rows of ``space`` that have a label, and those labels."""
    if labels is None:
        if "label" not in space.meta_columns:
            raise EmptyInputError(
                f"{space.name} has no 'label' column and no labels were given; pass a node,label file.")
        col = space.meta_column("label").astype(str)
        labels = {k: v for k, v in zip(space.keys, col, strict=True) if v not in ("", "nan", "None")}
    rows, ys = [], []
    for key, lab in labels.items():
        if key in space:
            rows.append(space.index(key))
            ys.append(str(lab))
    if not rows:
        raise EmptyInputError(f"None of the {len(labels):,} labelled nodes is a key of {space.name}.")
    return np.asarray(rows), np.asarray(ys)


def node_classification(space, labels: dict[str, str] | None = None, test_size: float = 0.3,
                        seed: int = 0) -> dict:
    """Macro-F1 and accuracy of a logistic regression predicting node labels from node vectors.

    Parameters
    ----------
    space : EmbeddingSpace
        Keys are node ids.
    labels : dict, optional
        ``{node: label}``; default: the space's ``label`` column.
    test_size : float
        Fraction of labelled nodes held out (stratified when every class has two or more nodes).
    seed : int

    Returns
    -------
    dict
        ``macro_f1``, ``accuracy``, ``baseline_macro_f1`` (always predicting the largest class),
        ``n_train``, ``n_test``, ``n_classes``, ``classes``, ``test_size``, ``seed``.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import train_test_split

    test_size, seed = check("test_size", test_size), check("seed", seed)
    rows, y = _labels_for(space, labels)
    classes, counts = np.unique(y, return_counts=True)
    if len(classes) < 2:
        found = ", ".join(f"'{c}'" for c in classes.tolist()) or "none"  # plain strings, not np.str_('a')
        raise InvalidParameterError(f"Node classification needs at least two labels; the labelled nodes have "
                                    f"only {found}. Label some nodes with another class.")
    n_test = _split_sizes(len(y), len(classes), test_size)
    x = space.normed[rows]
    stratify = y if counts.min() >= 2 and min(n_test, len(y) - n_test) >= len(classes) else None
    xtr, xte, ytr, yte = train_test_split(x, y, test_size=test_size, random_state=seed, stratify=stratify)
    if len(np.unique(ytr)) < 2:
        raise InvalidParameterError("The training split holds a single label; label more nodes.")
    clf = LogisticRegression(max_iter=2000, C=10.0).fit(xtr, ytr)
    pred = clf.predict(xte)
    major = classes[np.argmax(counts)]
    return {"macro_f1": float(f1_score(yte, pred, average="macro")),
            "accuracy": float(accuracy_score(yte, pred)),
            "baseline_macro_f1": float(f1_score(yte, np.full(len(yte), major), average="macro")),
            "n_train": int(len(ytr)), "n_test": int(len(yte)), "n_classes": int(len(classes)),
            "classes": [str(c) for c in classes], "test_size": test_size, "seed": seed}


def _split_sizes(n: int, n_classes: int, test_size: float) -> int:
    """Held-out count of a split of ``n`` labelled nodes (scikit-learn rounds it up); refuses a split that
    leaves fewer training nodes than classes, naming the largest test size that works."""
    n_test = math.ceil(test_size * n)
    if n - n_test >= n_classes:
        return n_test
    largest = math.floor(100 * (n - n_classes) / n) / 100
    raise InvalidParameterError(
        f"test size {test_size:g} holds out {n_test} of the {n:,} labelled nodes and leaves {n - n_test} to "
        f"train on; the {n_classes} classes need at least {n_classes}. Use a test size of at most "
        f"{largest:g}" + (" or label more nodes." if largest > 0 else "; label more nodes."))


def split_edges(graph: Graph, test_fraction: float = 0.2, seed: int = 0) -> tuple[Graph, np.ndarray]:
    """Hide ``test_fraction`` of the edges; returns ``(training graph, hidden edges (k, 2))``.

    A random spanning forest is always kept, so no node loses all its edges and no component splits.
    """
    test_fraction, seed = check("test_fraction", test_fraction), check("seed", seed)
    m = graph.n_edges
    if round(test_fraction * m) < 1:
        raise InvalidParameterError(
            f"test fraction {test_fraction:g} of {graph.name}'s {m:,} edges hides no edge; use at least "
            f"{math.ceil(1000 / m) / 1000:g} (one edge).")
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import minimum_spanning_tree

    edges = graph.edge_array()
    m = len(edges)
    rng = np.random.default_rng(seed)
    w = rng.random(m) + 1e-9  # random weights: the minimum spanning forest is a random spanning forest
    mat = coo_matrix((w, (edges[:, 0], edges[:, 1])), shape=(graph.n_nodes,) * 2).tocsr()
    forest = minimum_spanning_tree(mat).tocoo()
    keep = {(min(a, b), max(a, b)) for a, b in zip(forest.row.tolist(), forest.col.tolist(), strict=True)}
    canon = np.sort(edges, axis=1)
    in_forest = np.fromiter(((int(a), int(b)) in keep for a, b in canon), dtype=bool, count=m)
    candidates = np.flatnonzero(~in_forest)
    k = min(int(round(test_fraction * m)), len(candidates))
    if k < 1:
        raise EmptyInputError(
            f"{graph.name} has no edge that can be hidden without disconnecting a node (it is a tree or "
            "forest); link prediction needs a graph with cycles.")
    hidden = rng.choice(candidates, size=k, replace=False)
    mask = np.ones(m, dtype=bool)
    mask[hidden] = False
    return graph.keep_edges(np.flatnonzero(mask), name=f"{graph.name}-train"), edges[hidden]


def sample_non_edges(graph: Graph, k: int, rng: np.random.Generator,
                     exclude: set | None = None) -> np.ndarray:
    """``k`` distinct node pairs that are not edges of ``graph`` (nor in ``exclude``)."""
    n = graph.n_nodes
    existing = set(map(tuple, np.sort(graph.edge_array(), axis=1).tolist()))
    taken = set(exclude or ())
    out: list[tuple[int, int]] = []
    max_pairs = n * (n - 1) // 2 - len(existing) - len(taken)
    if k > max_pairs:
        raise InvalidParameterError(f"{graph.name} is too dense to sample {k:,} non-edges.")
    while len(out) < k:
        a = rng.integers(0, n, size=2 * (k - len(out)) + 16)
        b = rng.integers(0, n, size=len(a))
        for u, v in zip(a.tolist(), b.tolist(), strict=True):
            pair = (min(u, v), max(u, v))
            if u != v and pair not in existing and pair not in taken:
                taken.add(pair)
                out.append(pair)
                if len(out) == k:
                    break
    return np.asarray(out, dtype=np.int64).reshape(-1, 2)


def hadamard(vectors: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """Edge features: element-wise product of the two end points' (unit) vectors."""
    return vectors[pairs[:, 0]] * vectors[pairs[:, 1]]


def link_prediction(graph: Graph, embed: Callable[[Graph, Progress | None], object],
                    test_fraction: float = 0.2, seed: int = 0, progress: Progress | None = None) -> dict:
    """Hide edges, embed the rest with ``embed(train_graph, progress) -> EmbeddingSpace``, score the hidden.

    Returns
    -------
    dict
        ``auc`` (logistic regression on Hadamard features), ``auc_cosine`` (plain cosine of the two
        vectors), ``n_test_edges``, ``n_train_edges``, ``test_fraction``, ``seed``, ``isolated_nodes``
        (nodes without edges) and ``notes`` (what the embedding made of them), ``space``.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    train_graph, hidden = split_edges(graph, test_fraction, seed)
    rng = np.random.default_rng(seed + 1)
    report(progress, 0.02, 1.0, f"hid {len(hidden):,} of {graph.n_edges:,} edges; embedding the rest")
    space = embed(train_graph, scaled(progress, 0.05, 0.9))
    rows = space.indices(graph.nodes)
    vec = space.normed[rows]
    hidden_set = set(map(tuple, np.sort(hidden, axis=1).tolist()))
    test_neg = sample_non_edges(graph, len(hidden), rng)
    train_pos = train_graph.edge_array()
    if len(train_pos) > 50_000:
        train_pos = train_pos[rng.choice(len(train_pos), 50_000, replace=False)]
    taken = hidden_set | set(map(tuple, test_neg.tolist()))
    train_neg = sample_non_edges(graph, len(train_pos), rng, exclude=taken)
    x_train = np.concatenate([hadamard(vec, train_pos), hadamard(vec, train_neg)])
    y_train = np.r_[np.ones(len(train_pos)), np.zeros(len(train_neg))]
    clf = LogisticRegression(max_iter=2000).fit(x_train, y_train)
    x_test = np.concatenate([hadamard(vec, hidden), hadamard(vec, test_neg)])
    y_test = np.r_[np.ones(len(hidden)), np.zeros(len(test_neg))]
    auc = roc_auc_score(y_test, clf.decision_function(x_test))
    auc_cos = roc_auc_score(y_test, x_test.sum(axis=1))
    report(progress, 1.0, 1.0, "scored")
    return {"auc": float(auc), "auc_cosine": float(auc_cos), "n_test_edges": int(len(hidden)),
            "n_train_edges": int(train_graph.n_edges), "test_fraction": test_fraction, "seed": seed,
            "isolated_nodes": int(len(graph.isolated)), "notes": list(space.info.get("notes", [])),
            "space": space}

"""Trained spaces in the workspace: listing, deleting, and the side-by-side comparison tables."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from embedlab import workspace
from embedlab.evaluate import compare, evaluate
from embedlab.space import EmbeddingSpace

MAX_FAILURES = 2000  # failures kept per evaluation in info.json (the total is stored alongside)


def list_trained() -> pd.DataFrame:
    """Saved spaces that were trained here: name, method, corpus, size, time and headline scores."""
    rows = []
    for name in workspace.list_names():
        info = workspace.read_info(name)
        if info.get("kind") != "trained":
            continue
        ev = info.get("evaluation") or {}
        ws = ev.get("wordsim353") or {}
        rows.append({"name": name, "method": info.get("method"), "vocab": info.get("n"),
                     "dim": info.get("dim"),
                     "epochs": info.get("epochs_done"), "seconds": info.get("training_seconds"),
                     "analogy": ev.get("analogy_overall"), "wordsim353": ws.get("spearman"),
                     "corpus": (info.get("corpus") or {}).get("description", ""),
                     "trained_at": info.get("trained_at", "")})
    cols = ["name", "method", "vocab", "dim", "epochs", "seconds", "analogy", "wordsim353", "corpus",
            "trained_at"]
    return pd.DataFrame(rows, columns=cols)


def delete_trained(name: str) -> None:
    """Delete a saved space (see :func:`embedlab.workspace.delete`)."""
    workspace.delete(name)


def evaluation_dict(space: EmbeddingSpace) -> dict:
    """The stored evaluation of a trained space, or a fresh one (``Evaluation.to_dict``)."""
    stored = space.info.get("evaluation")
    if stored:
        return stored

    return evaluate(space).to_dict(max_failures=MAX_FAILURES)


def comparison(spaces: Mapping[str, EmbeddingSpace]) -> pd.DataFrame:
    """:func:`embedlab.evaluate.compare` plus method and training time from each space's info."""
    df = compare(dict(spaces))
    df.insert(1, "method", [spaces[n].info.get("method", "pretrained") for n in df["space"]])
    df.insert(2, "training_s", [spaces[n].info.get("training_seconds") for n in df["space"]])
    return df


def per_category(evaluations: Mapping[str, dict]) -> pd.DataFrame:
    """Analogy accuracy per category (rows) for each space (columns), from ``Evaluation.to_dict()``s."""
    table: dict[str, dict[str, float]] = {}
    for name, ev in evaluations.items():
        for c in ev.get("analogy", []):
            table.setdefault(c["category"], {})[name] = c["accuracy"]
    return pd.DataFrame.from_dict(table, orient="index").rename_axis("category").reset_index()


def failures(evaluation: dict, category: str | None = None) -> pd.DataFrame:
    """Wrong analogy answers as a table: ``a : b :: c : expected``, and what the space ``got``."""
    rows = [f for f in evaluation.get("failures", []) if category in (None, f["category"])]
    return pd.DataFrame(rows, columns=["category", "a", "b", "c", "expected", "got"])

"""Text classification from few examples: the learning curve of bag-of-words vs embeddings.

For each requested number N of training examples per class, the first N examples of each class (after a
seeded shuffle) train a logistic regression and every other example tests it; this is repeated with
``repeats`` seeds (``seed``, ``seed + 1``, ...) and the mean, spread and range of the accuracy are kept.
``"all"`` means as many per class as leave a fifth of the smallest class for testing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from embedlab.apps.data import check_labels
from embedlab.apps.features import BOW, bow_features, check_feature_names, dense_features, feature_label
from embedlab.errors import EmptyInputError, InvalidParameterError
from embedlab.linalg import normalize_rows
from embedlab.progress import Progress, report, scaled
from embedlab.space import EmbeddingSpace
from embedlab.strings import split_list

ALL = "all"
DEFAULT_PER_CLASS: tuple = (5, 10, 30, 100, ALL)
DEFAULT_FEATURES = ("bow", "glove-50d", "minilm")
TEST_FRACTION_FOR_ALL = 0.2


def parse_per_class(text: str | Sequence) -> list:
    """``"10,30,all"`` or ``[10, 30, "all"]`` → ``[10, 30, "all"]`` (positive integers or ``all``)."""
    items = split_list(text) if isinstance(text, str) else list(text)
    out: list = []
    for item in items:
        s = str(item).strip().lower()
        if not s:
            continue
        if s == ALL:
            out.append(ALL)
            continue
        try:
            n = int(s)
        except ValueError:
            raise InvalidParameterError(
                f"Examples per class must be whole numbers or 'all'; got '{item}'."
            ) from None
        if n < 1:
            raise InvalidParameterError(f"Examples per class must be at least 1; got {n}.")
        out.append(n)
    if not out:
        raise InvalidParameterError("Give at least one number of examples per class (e.g. 10,30,all).")
    return out


def plan_points(counts: Mapping[str, int], per_class: Sequence) -> tuple[list[int], list[str]]:
    """The per-class sizes that fit (each class keeps at least one test example) and notes on the others."""
    smallest_cls = min(counts, key=counts.get)
    smallest = counts[smallest_cls]
    points, notes = [], []
    for p in per_class:
        n = max(1, int(smallest * (1 - TEST_FRACTION_FOR_ALL))) if p == ALL else int(p)
        if n >= smallest:
            notes.append(
                f"{n} examples per class: class '{smallest_cls}' has only {smallest}, which would leave "
                f"nothing to test on; skipped (ask for at most {smallest - 1})."
            )
        elif n not in points:
            points.append(n)
    if not points:
        raise InvalidParameterError(
            f"Class '{smallest_cls}' has only {smallest} example(s): too few for "
            f"{', '.join(str(p) for p in per_class)} per class plus a test example. "
            f"Ask for at most {max(smallest - 1, 0)} per class, or add examples."
        )
    return sorted(points), notes


def split_indices(labels: Sequence[str], per_class: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The first ``per_class`` examples of each class (seeded shuffle) train; the rest test."""
    rng = np.random.default_rng(seed)
    y = np.asarray(labels)
    train, test = [], []
    for c in sorted(set(labels)):
        idx = rng.permutation(np.flatnonzero(y == c))
        train.append(idx[:per_class])
        test.append(idx[per_class:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(test))


def _classifier(seed: int):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=10.0, max_iter=2000, random_state=seed)


def fit_predict(
    x,
    labels: np.ndarray,
    train: np.ndarray,
    test: np.ndarray,
    seed: int = 0,
    texts: Sequence[str] | None = None,
):
    """Train on ``train`` rows, predict ``test`` rows: ``(predicted labels, confidence, fitted model)``.

    ``x`` is a dense feature matrix, or None for bag-of-words (then ``texts`` are needed).
    """
    if x is None:
        tx = np.asarray(texts, dtype=object)
        x_train, x_test, _ = bow_features(list(tx[train]), list(tx[test]))
    else:
        xn = normalize_rows(x)
        x_train, x_test = xn[train], xn[test]
    model = _classifier(seed).fit(x_train, labels[train])
    proba = model.predict_proba(x_test)
    return model.classes_[proba.argmax(axis=1)], proba.max(axis=1), model


@dataclass
class LearningCurve:
    """Accuracy per (features, examples per class): ``rows`` are dicts (the CLI's ``curve``)."""

    rows: list[dict]
    classes: list[str]
    counts: dict[str, int]
    notes: list[str] = field(default_factory=list)

    @property
    def chance(self) -> float:
        """Accuracy of always guessing the largest class on the full set."""
        return max(self.counts.values()) / sum(self.counts.values())

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame(self.rows)

    def table(self):
        """Mean accuracy as a table: one row per features, one column per examples per class."""
        df = self.to_frame()
        return df.pivot(index="features", columns="per_class", values="accuracy").reindex(
            list(dict.fromkeys(df["features"]))
        )


def _check_data(texts: Sequence[str], labels: Sequence[str]) -> dict[str, int]:
    if len(texts) != len(labels):
        raise InvalidParameterError(
            f"{len(texts):,} texts but {len(labels):,} labels; give one label per text."
        )
    if not texts:
        raise EmptyInputError("No texts to classify.")
    if any(not str(t).strip() for t in texts):
        raise EmptyInputError("Some texts are empty; drop the empty rows or fill them in.")
    check_labels(list(labels), "the labels")

    return dict(sorted(Counter(labels).items()))


def learning_curve(
    texts: Sequence[str],
    labels: Sequence[str],
    features: Sequence[str] = DEFAULT_FEATURES,
    per_class: Sequence = DEFAULT_PER_CLASS,
    repeats: int = 5,
    seed: int = 0,
    spaces: Mapping[str, EmbeddingSpace] | None = None,
    progress: Progress | None = None,
) -> LearningCurve:
    """Accuracy against examples per class for each feature kind, over ``repeats`` seeded splits.

    Returns
    -------
    LearningCurve
        ``rows``: ``{"features", "label", "per_class", "accuracy", "accuracy_std", "accuracy_min",
        "accuracy_max", "repeats", "n_train", "n_test"}``; ``notes`` say what was skipped and why.
    """
    if int(repeats) < 1:
        raise InvalidParameterError(f"repeats must be at least 1; got {repeats}.")
    counts = _check_data(texts, labels)
    features = check_feature_names(features, spaces)
    points, notes = plan_points(counts, parse_per_class(per_class))
    y = np.asarray(labels, dtype=object)
    rows = []
    for fi, name in enumerate(features):
        step = scaled(progress, fi / len(features), 1 / len(features))
        x = None
        if name != BOW:
            x, empty = dense_features(texts, name, spaces, progress=scaled(step, 0, 0.5))
            if empty:
                notes.append(
                    f"{feature_label(name)}: {empty:,} text(s) have no word in {name} (zero vectors)."
                )
        for pi, n in enumerate(points):
            accs = []
            for r in range(int(repeats)):
                train, test = split_indices(y, n, seed + r)
                pred, _, _ = fit_predict(x, y, train, test, seed + r, texts)
                accs.append(float(np.mean(pred == y[test])))
            rows.append(
                {
                    "features": name,
                    "label": feature_label(name),
                    "per_class": n,
                    "accuracy": float(np.mean(accs)),
                    "accuracy_std": float(np.std(accs)),
                    "accuracy_min": float(np.min(accs)),
                    "accuracy_max": float(np.max(accs)),
                    "repeats": int(repeats),
                    "n_train": int(len(train)),
                    "n_test": int(len(test)),
                }
            )
            report(step, 0.5 + 0.5 * (pi + 1) / len(points), 1.0, f"{feature_label(name)}: {n} per class")
    return LearningCurve(rows, sorted(counts), counts, notes)


@dataclass
class Evaluation:
    """One split in detail: accuracy, confusion matrix (rows = true, columns = predicted), mistakes."""

    features: str
    per_class: int
    accuracy: float
    classes: list[str]
    confusion: np.ndarray
    mistakes: object  # DataFrame: text, true, predicted, confidence
    n_train: int
    n_test: int


def evaluate(
    texts: Sequence[str],
    labels: Sequence[str],
    features: str = "minilm",
    per_class: int = 10,
    seed: int = 0,
    spaces: Mapping[str, EmbeddingSpace] | None = None,
) -> Evaluation:
    """Train on ``per_class`` seeded examples of each class, test on the rest, and keep the details."""
    import pandas as pd
    from sklearn.metrics import confusion_matrix

    counts = _check_data(texts, labels)
    name = check_feature_names([features], spaces)[0]
    (n,), _ = plan_points(counts, [per_class])
    y = np.asarray(labels, dtype=object)
    x = None if name == BOW else dense_features(texts, name, spaces)[0]
    train, test = split_indices(y, n, seed)
    pred, conf, _ = fit_predict(x, y, train, test, seed, texts)
    classes = sorted(counts)
    cm = confusion_matrix(y[test].astype(str), pred.astype(str), labels=classes)
    wrong = np.flatnonzero(pred != y[test])
    mistakes = pd.DataFrame(
        {
            "text": [texts[test[i]] for i in wrong],
            "true": [y[test[i]] for i in wrong],
            "predicted": [pred[i] for i in wrong],
            "confidence": [float(conf[i]) for i in wrong],
        }
    ).sort_values("confidence", ascending=False, ignore_index=True)
    return Evaluation(name, n, float(np.mean(pred == y[test])), classes, cm, mistakes, len(train), len(test))

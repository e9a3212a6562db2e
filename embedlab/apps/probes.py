"""Linear probes: can a property of a word be read off its vector by a linear classifier?

A probe is trained on some words and scored on held-out words; the same model trained on *shuffled*
labels is the baseline (what a linear model gets from these vectors with no real signal: chance plus
overfitting). A probe well above its baseline means the space encodes the property linearly. For two
classes the learned weight vector is a *direction* in the space; projecting unseen words on it scores them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from embedlab.apps import wordlists
from embedlab.errors import EmptyInputError, InvalidParameterError
from embedlab.space import EmbeddingSpace


@dataclass(frozen=True)
class ProbeTask:
    """A built-in probe: title, what is predicted, and the function giving ``(words, labels, groups)``."""

    name: str
    title: str
    source: str


PROBE_TASKS = {
    t.name: t
    for t in (
        ProbeTask(
            "plural", "Plural vs singular", "135 noun pairs written for embedlab (cat/cats, mouse/mice)"
        ),
        ProbeTask("continent", "Country → continent", "157 one-word country names written for embedlab"),
        ProbeTask(
            "sentiment",
            "Sentiment of a word (positive / negative)",
            "VADER lexicon (Hutto & Gilbert 2014, MIT; words with |valence| ≥ 1, up to 400 per class)",
        ),
    )
}


def lookup(space: EmbeddingSpace, word: str) -> str | None:
    """The key of ``word`` in ``space`` (exact, else case-folded), or None; no spelling suggestions."""
    if word in space:
        return word
    folded = space._folded.get(word.casefold())  # noqa: SLF001 - fast case-insensitive lookup
    return folded[0] if folded else None


def task_data(task: str, seed: int = 0) -> tuple[list[str], list[str], list[int]]:
    """Words, labels and groups (words of one group are never split between train and test)."""
    if task == "plural":
        words, labels, groups = [], [], []
        for g, (s, p) in enumerate(wordlists.NOUNS.items()):
            words += [s, p]
            labels += ["singular", "plural"]
            groups += [g, g]
        return words, labels, groups
    if task == "continent":
        items = list(wordlists.COUNTRY_CONTINENT.items())
        return [w for w, _ in items], [c for _, c in items], list(range(len(items)))
    if task == "sentiment":
        lex = wordlists.vader_lexicon()
        rng = np.random.default_rng(seed)
        words, labels = [], []
        for lab in ("pos", "neg"):
            ws = sorted(w for w, v in lex.items() if v == lab)
            keep = sorted(rng.choice(len(ws), size=min(400, len(ws)), replace=False))
            words += [ws[i] for i in keep]
            labels += [lab] * len(keep)
        return words, labels, list(range(len(words)))
    raise InvalidParameterError(f"Unknown probe '{task}'; choose one of {', '.join(PROBE_TASKS)}.")


class LinearProbe:
    """Logistic-regression probe with a held-out split and a shuffled-label baseline.

    Parameters
    ----------
    C : float
        Inverse regularisation strength of the logistic regression.
    test_size : float
        Fraction of groups held out for testing.
    n_shuffles : int
        Shuffled-label runs averaged into the baseline.
    random_state : int

    Attributes (after ``fit``)
    --------------------------
    accuracy_ : float
        Held-out accuracy.
    baseline_, baseline_std_ : float
        Mean (and spread) held-out accuracy of the same probe trained on shuffled labels.
    majority_ : float
        Held-out accuracy of always answering the most common training label.
    classes_ : ndarray
    direction_ : ndarray or None
        Unit weight vector (two classes only), pointing towards ``classes_[1]``.
    missing_ : list of str
        Words not in the space (left out).
    results_ : DataFrame
        Held-out words: ``word``, ``true``, ``predicted``, ``confidence``.
    """

    def __init__(self, C: float = 1.0, test_size: float = 0.3, n_shuffles: int = 10, random_state: int = 0):
        self.C = C
        self.test_size = test_size
        self.n_shuffles = n_shuffles
        self.random_state = random_state

    def _model(self, seed: int):
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(C=self.C, max_iter=3000, random_state=seed)

    def _split(self, labels: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        from sklearn.model_selection import GroupShuffleSplit

        if not 0.05 <= self.test_size <= 0.8:
            raise InvalidParameterError(f"test_size must be between 0.05 and 0.8; got {self.test_size}.")
        gss = GroupShuffleSplit(n_splits=1, test_size=self.test_size, random_state=self.random_state)
        train, test = next(gss.split(labels, labels, groups))
        return train, test

    def fit(
        self,
        space: EmbeddingSpace,
        words: Sequence[str],
        labels: Sequence[str],
        groups: Sequence[int] | None = None,
    ) -> LinearProbe:
        """Train on part of ``words`` (those in ``space``), score the rest, and the shuffled baseline."""
        import pandas as pd

        if len(words) != len(labels):
            raise InvalidParameterError(f"{len(words)} words but {len(labels)} labels.")
        groups = list(range(len(words))) if groups is None else list(groups)
        keys = [lookup(space, w) for w in words]
        self.missing_ = [w for w, k in zip(words, keys, strict=True) if k is None]
        keep = [i for i, k in enumerate(keys) if k is not None]
        if len(keep) < 10:
            raise EmptyInputError(
                f"Only {len(keep)} of the {len(words)} probe words are in {space.name}; "
                "a probe needs at least 10. Use a larger space (e.g. glove-50d)."
            )
        y = np.asarray([labels[i] for i in keep], dtype=object)
        if len(set(y)) < 2:
            raise InvalidParameterError(f"The probe words in {space.name} all have the label '{y[0]}'.")
        x = space.normed[[space.index(keys[i]) for i in keep]]
        train, test = self._split(y, np.asarray([groups[i] for i in keep]))
        model = self._model(self.random_state).fit(x[train], y[train])
        proba = model.predict_proba(x[test])
        pred = model.classes_[proba.argmax(axis=1)]
        self.accuracy_ = float(np.mean(pred == y[test]))
        rng = np.random.default_rng(self.random_state)
        base = [
            float(
                np.mean(self._model(s).fit(x[train], rng.permutation(y[train])).predict(x[test]) == y[test])
            )
            for s in range(int(self.n_shuffles))
        ]
        self.baseline_, self.baseline_std_ = float(np.mean(base)), float(np.std(base))
        values, counts = np.unique(y[train], return_counts=True)
        self.majority_ = float(np.mean(y[test] == values[counts.argmax()]))
        self.classes_ = model.classes_
        self.model_ = model
        self.space_name_ = space.name
        self.n_train_, self.n_test_ = len(train), len(test)
        self.direction_ = None
        if len(self.classes_) == 2:
            w = model.coef_[0]
            self.direction_ = (w / (np.linalg.norm(w) or 1.0)).astype(np.float32)
        self.train_words_ = {keys[keep[i]] for i in train}
        self.results_ = pd.DataFrame(
            {
                "word": [keys[keep[i]] for i in test],
                "true": y[test],
                "predicted": pred,
                "confidence": proba.max(axis=1),
            }
        )
        return self

    def predict(self, space: EmbeddingSpace, words: Sequence[str]):
        """Apply the probe to (new) words: ``word``, ``predicted``, ``confidence``, ``score`` (projection on
        the direction for two classes, else NaN), ``seen`` (was it a training word?); missing words listed
        with ``predicted`` empty."""
        import pandas as pd

        if not hasattr(self, "model_"):
            raise InvalidParameterError("Fit the probe before applying it to new words.")
        words = [w.strip() for w in words if w and w.strip()]
        if not words:
            raise EmptyInputError("Type one or more words to score.")
        rows = []
        for w in words:
            k = lookup(space, w)
            if k is None:
                rows.append(
                    {
                        "word": w,
                        "predicted": "",
                        "confidence": np.nan,
                        "score": np.nan,
                        "seen": False,
                        "note": f"not in {space.name}",
                    }
                )
                continue
            v = space.normed[space.index(k)][None, :]
            p = self.model_.predict_proba(v)[0]
            score = float(v[0] @ self.direction_) if self.direction_ is not None else np.nan
            rows.append(
                {
                    "word": k,
                    "predicted": str(self.classes_[p.argmax()]),
                    "confidence": float(p.max()),
                    "score": score,
                    "seen": k in self.train_words_,
                    "note": "",
                }
            )
        return pd.DataFrame(rows)

    def summary(self) -> dict:
        """The numbers of a fitted probe as a dict (the CLI's JSON)."""
        return {
            "space": self.space_name_,
            "accuracy": self.accuracy_,
            "baseline": self.baseline_,
            "baseline_std": self.baseline_std_,
            "majority": self.majority_,
            "classes": [str(c) for c in self.classes_],
            "n_train": self.n_train_,
            "n_test": self.n_test_,
            "missing": len(self.missing_),
        }


def run_probe(space: EmbeddingSpace, task: str, seed: int = 0, test_size: float = 0.3) -> LinearProbe:
    """Fit the built-in probe ``task`` (see :data:`PROBE_TASKS`) on ``space``."""
    words, labels, groups = task_data(task, seed)
    return LinearProbe(test_size=test_size, random_state=seed).fit(space, words, labels, groups)

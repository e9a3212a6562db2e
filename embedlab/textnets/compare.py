"""Encoders side by side on the same inputs: word order, paraphrases, few-example classification, senses.

:func:`compare_encoders` is the one call behind the Sentence lab's comparison and
``benchmarks/bench_small_encoders.py``: for each encoder (bag-of-vectors, the four small encoders,
MiniLM) it measures

* **word order**: the cosine of "dog bites man" and "man bites dog", and the mean over
  :data:`ROLE_SWAPS` (same words, roles swapped: 1.0 means the encoder cannot tell them apart);
* **paraphrase gap**: mean cosine of :data:`PARAPHRASES` minus that of unrelated pairs made from the same
  sentences (each first sentence with another pair's second);
* **classification**: logistic-regression accuracy with 10 examples per class and with all examples on
  the bundled ``pang-lee`` set (:func:`embedlab.apps.classify.learning_curve`, seeded splits);
* **senses** (contextual encoders): the adjusted Rand index per layer on the bundled sense sets;
* **cost**: encode speed (sentences a second, this machine), training time, parameters and file size.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np

from embedlab.apps.classify import learning_curve
from embedlab.apps.data import load_labelled
from embedlab.encoders.base import get_encoder, spec_of
from embedlab.progress import Progress, report, scaled
from embedlab.senses import sense_table
from embedlab.sentences import WORD_ORDER_PAIR

BAG = "glove-50d-mean"
COMPARED = (BAG, "elmo-small", "skip-thought-small", "use-dan-small", "infersent-small", "minilm-l6")
LABELS = {BAG: "bag of vectors (GloVe-50d mean)", "elmo-small": "ELMo (small)",
          "skip-thought-small": "Skip-Thought (small)", "use-dan-small": "USE DAN (small)",
          "infersent-small": "InferSent (small)", "minilm-l6": "MiniLM-L6 (published)"}

#: Same words, roles swapped: an encoder blind to word order gives each pair cosine 1.
ROLE_SWAPS = (
    WORD_ORDER_PAIR,
    ("the cat chased the mouse", "the mouse chased the cat"),
    ("the teacher praised the student", "the student praised the teacher"),
    ("alice sent a letter to bob", "bob sent a letter to alice"),
    ("the company bought the bank", "the bank bought the company"),
    ("the police arrested the thief", "the thief arrested the police"),
    ("my brother is older than my sister", "my sister is older than my brother"),
    ("the car hit the truck", "the truck hit the car"),
    ("france defeated brazil in the final", "brazil defeated france in the final"),
    ("the doctor called the nurse", "the nurse called the doctor"),
)
#: Pairs that say the same thing in other words (written for embedlab; no shared content words where
#: English allows it).
PARAPHRASES = (
    ("the film was a huge success", "the movie did very well"),
    ("he quit his job yesterday", "yesterday he resigned from his position"),
    ("the weather is very cold today", "it is freezing outside this morning"),
    ("she bought a new car", "she purchased a brand new automobile"),
    ("the shop closes at six", "the store shuts at 6 pm"),
    ("i am very hungry", "i could eat a horse"),
    ("the children are sleeping", "the kids are asleep"),
    ("prices rose sharply last year", "last year costs went up steeply"),
    ("the meeting was cancelled", "the meeting has been called off"),
    ("he is a talented musician", "he plays music very well"),
    ("the road is closed for repairs", "the street is shut while it is being fixed"),
    ("the president gave a speech", "the head of state addressed the nation"),
    ("the patient recovered quickly", "the sick man got better fast"),
    ("they won the match easily", "they beat the other team without trouble"),
    ("the book is difficult to understand", "the text is hard to follow"),
    ("it rained all day", "the rain did not stop from morning to night"),
)
SPEED_TEXTS = 400  # sentences of the labelled set encoded to time each encoder


@dataclass
class EncoderRow:
    """One encoder's line of the comparison (see the module docstring)."""

    encoder: str
    label: str
    word_order: float  # cosine of "dog bites man" and "man bites dog"
    role_swaps: float  # mean cosine over ROLE_SWAPS
    paraphrase: float
    unrelated: float
    accuracy_10: float | None = None
    accuracy_all: float | None = None
    sense_ari: dict[str, float] | None = None  # layer name -> mean ARI over the sense words
    sentences_per_s: float | None = None
    training_minutes: float | None = None
    parameters: int | None = None
    size_mb: float | None = None
    about: str = ""

    @property
    def gap(self) -> float:
        return self.paraphrase - self.unrelated

    def as_dict(self) -> dict:
        return {**asdict(self), "gap": self.gap}


@dataclass
class Comparison:
    """The rows, the learning-curve rows behind the chart, and ELMo's (and MiniLM's) ARI per word, layer."""

    rows: list[EncoderRow]
    curve: list[dict] = field(default_factory=list)  # embedlab.apps.classify.LearningCurve.rows
    senses: dict[str, dict[str, list[float]]] = field(default_factory=dict)  # encoder -> word -> ARI by layer
    data: str = ""
    notes: list[str] = field(default_factory=list)

    def table(self):
        """One row per encoder (a pandas DataFrame) with the closing note's columns."""
        import pandas as pd

        return pd.DataFrame([r.as_dict() for r in self.rows])

    def chart_data(self):
        """Accuracy against examples per class, one line per encoder (``encoder, label, per_class,
        accuracy, accuracy_std``)."""
        import pandas as pd

        df = pd.DataFrame(self.curve)
        if df.empty:
            return df
        df = df.rename(columns={"features": "encoder"})
        df["label"] = df["encoder"].map(lambda e: LABELS.get(e, e))
        return df[["encoder", "label", "per_class", "accuracy", "accuracy_std"]]


def _cos(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    na = np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1)
    return (a * b).sum(axis=1) / np.where(na > 0, na, 1.0)


def pair_cosines(encoder: str, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
    """Cosine of each pair's two texts under ``encoder``."""
    enc = get_encoder(encoder)
    vecs = enc.encode([t for p in pairs for t in p])
    return _cos(vecs[0::2], vecs[1::2])


def unrelated_pairs(pairs: Sequence[tuple[str, str]] = PARAPHRASES, shift: int = 7) -> list[tuple[str, str]]:
    """Each pair's first text with the second text of the pair ``shift`` places on."""
    return [(a, pairs[(i + shift) % len(pairs)][1]) for i, (a, _) in enumerate(pairs)]


def encode_speed(encoder: str, texts: Sequence[str]) -> float:
    """Sentences encoded per second (after one warm-up batch), on this machine."""
    enc = get_encoder(encoder)
    enc.encode(list(texts[:16]))
    start = time.perf_counter()
    enc.encode(list(texts))
    return len(texts) / max(time.perf_counter() - start, 1e-9)


def cost(encoder: str) -> dict:
    """Training minutes, parameters, size (MB) and a short note, from the model card where there is one."""
    spec = spec_of(encoder)
    if spec is not None and spec.kind == "small-text":
        enc = get_encoder(encoder)
        card = getattr(enc, "card", {}) or {}
        size = sum(p.stat().st_size for p in enc.folder.iterdir() if p.is_file())
        return {"training_minutes": round(card.get("training_seconds", 0) / 60, 1),
                "parameters": card.get("parameters"), "size_mb": round(size / 1e6, 1),
                "about": f"trained here: {card.get('machine', '?')}"}
    if spec is not None and spec.kind == "sentence-transformer":
        enc = get_encoder(encoder)
        size = sum(p.stat().st_size for p in enc.path.rglob("*") if p.is_file())
        params = int(sum(p.numel() for p in enc._model.parameters()))  # noqa: SLF001 - our own encoder
        return {"parameters": params, "size_mb": round(size / 1e6, 1),
                "about": "published weights (1B+ sentence pairs), not trained here"}
    return {"about": "no training: the mean of GloVe-50d word vectors"}


def compare_encoders(encoders: Sequence[str] = COMPARED, data: str = "pang-lee",
                     per_class: Sequence = (10, "all"), repeats: int = 5,
                     sense_words: Sequence[str] | None = None,
                     progress: Progress | None = None) -> Comparison:
    """Every measure of the module docstring for each of ``encoders`` (see :class:`Comparison`)."""
    labelled = load_labelled(data)
    curve = learning_curve(labelled.texts, labelled.labels, features=list(encoders), per_class=per_class,
                           repeats=repeats, progress=scaled(progress, 0.0, 0.4))
    acc = {(r["features"], r["per_class"]): r["accuracy"] for r in curve.rows}
    points = sorted({r["per_class"] for r in curve.rows})
    rows, senses = [], {}
    for i, name in enumerate(encoders):
        step = scaled(progress, 0.4 + 0.6 * i / len(encoders), 0.6 / len(encoders))
        swaps = pair_cosines(name, ROLE_SWAPS)
        para = pair_cosines(name, PARAPHRASES)
        unrel = pair_cosines(name, unrelated_pairs())
        row = EncoderRow(name, LABELS.get(name, name), float(swaps[0]), float(swaps.mean()),
                         float(para.mean()), float(unrel.mean()), acc.get((name, points[0])),
                         acc.get((name, points[-1])))
        if _contextual(name):
            senses[name], row.sense_ari = _sense_ari(name, sense_words)
        report(step, 0.5, 1, f"{name}: timing")
        row.sentences_per_s = round(encode_speed(name, labelled.texts[:SPEED_TEXTS]), 1)
        for k, v in cost(name).items():
            setattr(row, k, v)
        rows.append(row)
        report(step, 1, 1, f"{name}: done")
    return Comparison(rows, curve.rows, senses, labelled.source, curve.notes)


def _contextual(encoder: str) -> bool:
    """Whether ``encoder`` gives per-layer word vectors in context (a transformer, ELMo)."""
    spec = spec_of(encoder)
    if spec is not None and spec.kind == "sentence-transformer":
        return True
    return len(getattr(get_encoder(encoder), "layer_names", None) or []) > 1


def _sense_ari(encoder: str, words: Sequence[str] | None) -> tuple[dict, dict[str, float]]:
    """ARI per bundled word and layer, and its mean per layer (layer names from the encoder)."""
    table = sense_table(list(words) if words else None, encoder=encoder)
    names = list(getattr(get_encoder(encoder), "layer_names", None) or [])
    if len(names) != table.shape[1]:
        names = [str(c).replace("layer ", "") for c in table.columns]
    per_word = {w: [round(float(x), 4) for x in table.loc[w]] for w in table.index}
    return per_word, {n: round(float(table.iloc[:, j].mean()), 4) for j, n in enumerate(names)}

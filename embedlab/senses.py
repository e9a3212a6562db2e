"""Sense sets (sentences using one ambiguous word, labelled by sense) and how well each layer separates them.

Bundled sets live in ``sample_data/senses/WORD.csv`` (columns ``sentence,sense``), written for embedlab.
Per layer we report the adjusted Rand index (ARI) of a k-means split (k = number of senses, at least 2)
against the senses, and the mean cosine between occurrences of the same sense (*within*) and of
different senses (*between*).
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from embedlab.contextual import ContextualVectors, contextual_vectors, locate
from embedlab.encoders.specs import DEFAULT_TEXT_ENCODER
from embedlab.errors import EmptyInputError, FormatError, InputTooLargeError, InvalidParameterError
from embedlab.linalg import normalize_rows
from embedlab.resources import data_path
from embedlab.uploads import csv_records, decode_text
from embedlab.words import words_of

SENSES_DIR = data_path("senses")
# hidden states of the bundled sets, precomputed by scripts/build_sense_cache.py (so the page opens without
# loading the transformer); looked up by a hash of encoder, word, "which" and the exact sentences
HIDDEN_STATES = SENSES_DIR / "hidden_states.npz"
MAX_SENSE_SENTENCES = 2_000
MAX_FILE_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class SenseSet:
    """Sentences that use ``word``; ``senses`` is one label per sentence, or ``None`` when unlabelled."""

    word: str
    sentences: list[str]
    senses: list[str] | None
    source: str

    @property
    def sense_names(self) -> list[str]:
        return sorted(set(self.senses)) if self.senses else []


@dataclass(frozen=True)
class LayerScore:
    """Sense separation at one layer (``ari`` is ``None`` for unlabelled sentences)."""

    layer: int
    ari: float | None
    within: float
    between: float

    def as_dict(self) -> dict:
        return asdict(self)


def bundled_words() -> list[str]:
    """Words with a bundled sense set, alphabetically."""
    return sorted(p.stem for p in SENSES_DIR.glob("*.csv"))


def load_bundled(word: str) -> SenseSet:
    """The bundled sense set of ``word``."""
    path = SENSES_DIR / f"{word.strip().lower()}.csv"
    if not path.exists():
        raise InvalidParameterError(
            f"No bundled sentences for '{word}'. Bundled words: {', '.join(bundled_words())}; "
            "or give your own sentences."
        )
    return read_sense_text(path.read_text(encoding="utf-8"), word.strip().lower(), str(path))


def read_sense_text(text: str, word: str, source: str = "typed") -> SenseSet:
    """Parse a CSV with ``sentence`` (and optional ``sense``) columns, or plain lines (one sentence each).

    Empty lines are dropped. A first line that is exactly ``sentence,sense`` (or ``sentence``) marks a CSV.
    """
    lines = text.splitlines()
    first = lines[0].strip().lower().replace(" ", "") if lines else ""
    if first in ("sentence,sense", "sentence"):
        rows = list(csv_records(text))
        sentences, senses = [], []
        for n, row in enumerate(rows, 2):
            s = (row.get("sentence") or "").strip()
            if not s:
                continue
            sentences.append(s)
            if "sense" in row:
                label = (row.get("sense") or "").strip()
                if not label:
                    raise FormatError(source, "the sense column is empty.", n,
                                      "Label every sentence, or drop the sense column.")
                senses.append(label)
        labels = senses if first == "sentence,sense" else None
    else:
        sentences, labels = [s.strip() for s in lines if s.strip()], None
    if not sentences:
        raise EmptyInputError(f"{source}: no sentences found. Give one sentence per line.")
    if len(sentences) > MAX_SENSE_SENTENCES:
        raise InputTooLargeError(
            f"{source}: {len(sentences):,} sentences; the limit is {MAX_SENSE_SENTENCES:,} for one word. "
            "Use a sample."
        )
    return SenseSet(word, sentences, labels, source)


def read_sense_file(path: str | Path, word: str) -> SenseSet:
    """Read a sense file from disk (CSV ``sentence,sense`` or a text file of sentences)."""
    p = Path(path)
    if not p.is_file():
        raise FormatError(str(p), "no such file.",
                          hint="Give a CSV with sentence,sense columns or a .txt file.")
    if p.stat().st_size > MAX_FILE_BYTES:
        raise InputTooLargeError(f"{p} is larger than {MAX_FILE_BYTES // 1024 // 1024} MB; use a sample.")
    return read_sense_text(decode_text(str(p), p.read_bytes()).text, word, str(p))


def _cosine_summary(unit: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    sims = unit @ unit.T
    same = labels[:, None] == labels[None, :]
    off = ~np.eye(len(labels), dtype=bool)
    within = sims[same & off]
    between = sims[~same]
    return (float(within.mean()) if within.size else float("nan"),
            float(between.mean()) if between.size else float("nan"))


def cluster_labels(vectors: np.ndarray, k: int = 2, random_state: int = 0) -> np.ndarray:
    """k-means labels of the unit-normalised vectors (fixed seed)."""
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_limits

    unit = normalize_rows(vectors)
    k = max(1, min(k, len(unit)))
    with threadpool_limits(1):  # tiny problem: extra threads only add contention
        return KMeans(n_clusters=k, n_init=10, random_state=random_state).fit_predict(unit)


def layer_scores(vectors: np.ndarray, senses: list[str] | None = None, random_state: int = 0
                 ) -> list[LayerScore]:
    """Sense separation per layer.

    Parameters
    ----------
    vectors : array, shape (n_occurrences, n_layers, dim)
    senses : list of str, optional
        One label per occurrence. Without labels, ``ari`` is ``None`` and within/between use the two
        k-means clusters instead of senses.
    """
    from sklearn.metrics import adjusted_rand_score

    if vectors.ndim != 3 or len(vectors) < 2:
        raise EmptyInputError("Need at least two occurrences of the word to compare senses.")
    labels = np.asarray(senses) if senses is not None else None
    k = max(2, len(set(senses))) if senses is not None else 2
    out = []
    for layer in range(vectors.shape[1]):
        v = vectors[:, layer]
        clusters = cluster_labels(v, k, random_state)
        ari = float(adjusted_rand_score(labels, clusters)) if labels is not None else None
        within, between = _cosine_summary(normalize_rows(v), labels if labels is not None else clusters)
        out.append(LayerScore(layer, ari, within, between))
    return out


def best_layer(scores: list[LayerScore]) -> int:
    """The layer whose clustering best recovers the senses (highest ARI; else largest within − between)."""
    key = (lambda s: s.ari) if scores and scores[0].ari is not None else (lambda s: s.within - s.between)
    return max(scores, key=key).layer


def sense_table(words: list[str] | None = None, encoder: str | None = None, progress=None):
    """ARI per bundled word (rows) and layer (columns), as a pandas DataFrame (for reports and benchmarks)."""
    import pandas as pd

    words = words or bundled_words()
    rows = {}
    for i, w in enumerate(words):
        ss = load_bundled(w)
        cv = precomputed_vectors(ss, "first", encoder or DEFAULT_TEXT_ENCODER)
        if cv is None:
            kw = {"encoder": encoder} if encoder else {}
            cv = contextual_vectors(ss.sentences, w, **kw)
        rows[w] = [s.ari for s in layer_scores(cv.vectors, ss.senses)]
        if progress is not None:
            progress(i + 1, len(words), f"Scored '{w}'")
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.columns = [f"layer {c}" for c in table.columns]
    return table


@dataclass
class Polysemy:
    """Everything the polysemy explorer shows for one word: vectors per layer, senses and layer scores."""

    vectors: ContextualVectors
    senses: list[str] | None  # one per occurrence
    scores: list[LayerScore]
    source: str
    static_weights: dict[str, float] | None = None  # see :func:`static_weights`


@dataclass
class LayerMap:
    """One layer drawn in 2-D: occurrences, the single all-senses centroid and pairwise cosines."""

    coords: np.ndarray  # (n, 2) float32
    centroid: np.ndarray  # (2,) float32: where one static vector for every sense sits
    similarity: np.ndarray  # (n, n) float32 cosine between occurrences
    explained: float  # share of variance the 2 PCA axes keep


def static_weights(sense_set: SenseSet, words, skip_top: int = 100) -> dict[str, float] | None:
    """How much a static word vector leans to each sense: cosine of ``words[word]`` with the averaged
    static vectors of each sense's context words, clipped at 0 and normalised to sum to 1.

    The ``skip_top`` most frequent words (frequency-ordered files such as GloVe: *the, of, and*...) and the
    word itself are left out of the contexts. ``None`` when the word is unknown or sentences are unlabelled.
    """
    word = sense_set.word.lower()
    index = words._index
    if not sense_set.senses or word not in index:
        return None
    target = words.vectors[index[word]]
    cos = {}
    for sense in sense_set.sense_names:
        rows = [index[w] for s, lab in zip(sense_set.sentences, sense_set.senses, strict=True) if lab == sense
                for w in words_of(s) if w != word and index.get(w, 0) >= skip_top]
        if rows:
            ctx = words.vectors[rows].mean(axis=0)
            cos[sense] = max(0.0, float(ctx @ target / (np.linalg.norm(ctx) * np.linalg.norm(target) or 1)))
    total = sum(cos.values())
    return {s: c / total for s, c in cos.items()} if total > 0 else None


def hidden_state_key(sense_set: SenseSet, which: str, encoder: str) -> str:
    """The lookup key of a sense set's precomputed hidden states (changes when any sentence changes)."""
    blob = json.dumps([encoder, which, sense_set.word, list(sense_set.sentences)], ensure_ascii=False)
    return "h" + hashlib.sha256(blob.encode("utf-8")).hexdigest()[:24]


@functools.lru_cache(maxsize=1)
def _hidden_states_file(path: str, mtime: float) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


def precomputed_vectors(sense_set: SenseSet, which: str = "first", encoder: str = DEFAULT_TEXT_ENCODER
                        ) -> ContextualVectors | None:
    """The bundled hidden states of exactly these sentences, or ``None`` (then compute them).

    Stored as float16 (a few MB for every bundled word and both ``which`` modes): within 1e-3 of a live
    pass, which changes no score the page shows.
    """
    if not HIDDEN_STATES.exists():
        return None
    table = _hidden_states_file(str(HIDDEN_STATES), HIDDEN_STATES.stat().st_mtime)
    key = hidden_state_key(sense_set, which, encoder)
    if key not in table:
        return None
    occ = locate(sense_set.sentences, sense_set.word, which)
    vecs = table[key].astype(np.float32)
    if len(occ) != len(vecs):
        return None
    return ContextualVectors(sense_set.word, vecs, occ, [int(n) for n in table[key + "_pieces"]], encoder,
                             info={"precomputed": True})


def analyse(sense_set: SenseSet, which: str = "first", encoder: str | None = None, batch_size: int = 32,
            progress=None, words=None) -> Polysemy:
    """Embed every occurrence of the word at every layer and score sense separation per layer.

    Bundled sense sets use their precomputed hidden states (no model load); other sentences run the
    transformer. ``words`` (a static space such as glove-50d) adds :func:`static_weights` for placing its
    vector.
    """
    cv = precomputed_vectors(sense_set, which, encoder or DEFAULT_TEXT_ENCODER)
    if cv is None:
        kw = {"encoder": encoder} if encoder else {}
        cv = contextual_vectors(sense_set.sentences, sense_set.word, which=which, batch_size=batch_size,
                                progress=progress, **kw)
    senses = ([sense_set.senses[o.sentence_index] for o in cv.occurrences]
              if sense_set.senses is not None else None)
    weights = static_weights(sense_set, words) if words is not None else None
    return Polysemy(cv, senses, layer_scores(cv.vectors, senses), sense_set.source, weights)


def layer_map(result: Polysemy, layer: int) -> LayerMap:
    """PCA of one layer's (unit-normalised) occurrence vectors, plus the static vector's stand-in.

    A static embedding gives the word one vector for all its senses, close to a weighted average of the
    sense vectors. Its stand-in here is that average: the sense centroids weighted by
    :attr:`Polysemy.static_weights` when known, else the plain centroid of all occurrences.
    """
    from embedlab.projection import PCAProjection

    unit = normalize_rows(result.vectors.layer(layer))
    centre = unit.mean(axis=0, keepdims=True)
    if result.static_weights and result.senses:
        labels = np.asarray(result.senses)
        centre = sum(w * unit[labels == s].mean(axis=0) for s, w in result.static_weights.items())[None, :]
    pca = PCAProjection(n_components=2, random_state=0).fit(unit)
    return LayerMap(pca.embedding_, pca.transform(centre)[0], (unit @ unit.T).astype(np.float32),
                    float(pca.explained_variance_ratio_.sum()))

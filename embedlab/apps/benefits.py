"""The benefits of dense embeddings, in numbers: size, similarity, lookup speed, transfer.

* One-hot vs dense for the same vocabulary: a one-hot vector has one dimension per word, so every pair of
  different words has cosine 0 — no notion of "similar"; a dense vector has ``dim`` numbers and graded
  cosines.
* Lookup speed: fetching a dense row by index vs multiplying a one-hot vector by the matrix.
* Transfer: averaged pretrained GloVe vectors vs vectors trained only on a small bundled corpus, as
  features for the same classification task.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np

from embedlab.apps.classify import learning_curve
from embedlab.apps.probes import lookup
from embedlab.errors import EmptyInputError, InvalidParameterError
from embedlab.progress import report, scaled
from embedlab.space import EmbeddingSpace
from embedlab.train.corpus import TokenOptions, default_text, prepare

MAX_WORDS = 30


def one_hot_vs_dense(space: EmbeddingSpace, words: Sequence[str], show: int = 8) -> dict:
    """Sizes of both representations of ``space``'s vocabulary and the cosines among ``words`` under each.

    The one comparison of one-hot and dense codings: the Use page shows the sizes and the cosine matrices,
    the Lessons page the first two words side by side (``word``, ``other`` and the ``one_hot_*`` /
    ``dense_*`` scalars).

    Returns
    -------
    dict
        ``vocab``, ``dense_dim``, ``one_hot_dim``, ``dense_bytes`` (float32 matrix),
        ``one_hot_bytes_dense`` (a float32 V x V matrix), ``one_hot_bytes_sparse`` (index + value per word),
        ``words`` (found), ``missing``, ``one_hot_cos`` and ``dense_cos`` (k x k arrays),
        ``max_off_diagonal_one_hot`` (always 0 for distinct words), ``mean_off_diagonal_dense``; and for the
        first two words found, ``word`` and ``other``: ``one_hot_position`` (the row of ``word``, where its
        one-hot vector holds its single 1), ``one_hot_cosine`` and ``dense_cosine`` (``word`` with
        ``other``), ``dense_head`` (the first ``show`` numbers of ``word``'s dense vector, rounded).
    """
    words = list(dict.fromkeys(w.strip() for w in words if w and w.strip()))
    if len(words) > MAX_WORDS:
        raise InvalidParameterError(f"{len(words)} words; compare at most {MAX_WORDS} at a time.")
    keys = [lookup(space, w) for w in words]
    found = list(dict.fromkeys(k for k in keys if k is not None))
    missing = [w for w, k in zip(words, keys, strict=True) if k is None]
    if len(found) < 2:
        raise EmptyInputError(
            f"Give at least two words that are in {space.name} "
            f"({'not found: ' + ', '.join(missing) if missing else 'fewer than two given'})."
        )
    rows = np.array([space.index(k) for k in found])
    v = len(space)
    one_hot = np.zeros((len(found), v), dtype=np.float32)
    one_hot[np.arange(len(found)), rows] = 1.0
    oh_cos = one_hot @ one_hot.T  # unit vectors already
    dense_cos = space.normed[rows] @ space.normed[rows].T
    off = ~np.eye(len(found), dtype=bool)
    return {
        "space": space.name,
        "vocab": v,
        "dense_dim": space.dim,
        "one_hot_dim": v,
        "dense_bytes": v * space.dim * 4,
        "one_hot_bytes_dense": v * v * 4,
        "one_hot_bytes_sparse": v * 12,
        "words": found,
        "missing": missing,
        "one_hot_cos": oh_cos,
        "dense_cos": dense_cos,
        "max_off_diagonal_one_hot": float(oh_cos[off].max()),
        "mean_off_diagonal_dense": float(dense_cos[off].mean()),
        "word": found[0],
        "other": found[1],
        "one_hot_position": int(rows[0]),
        "one_hot_cosine": float(oh_cos[0, 1]),
        "dense_cosine": float(dense_cos[0, 1]),
        "dense_head": [round(float(x), 3) for x in np.asarray(space.vectors[rows[0]])[:show]],
    }


def lookup_speed(
    space: EmbeddingSpace, n: int = 2000, seed: int = 0, one_hot_vocab: int = 20_000
) -> list[dict]:
    """Time per lookup of ``n`` random words: dense row by index, vs one-hot vector times the matrix.

    The one-hot product is timed on the first ``one_hot_vocab`` words (a V-wide product per word), so it
    stays quick; its cost grows with V while the row lookup does not.
    """
    if n < 1:
        raise InvalidParameterError(f"n must be at least 1; got {n}.")
    rng = np.random.default_rng(seed)
    sub = min(len(space), int(one_hot_vocab))
    idx = rng.integers(0, sub, size=int(n))
    keys = [space.keys[i] for i in idx]
    mat = np.ascontiguousarray(space.vectors[:sub])
    t0 = time.perf_counter()
    rows = [space.index(k) for k in keys]
    dense = mat[rows]
    t1 = time.perf_counter()
    batch = 256
    total = 0.0
    out = np.empty_like(dense)
    for s in range(0, len(idx), batch):
        part = idx[s : s + batch]
        oh = np.zeros((len(part), sub), dtype=np.float32)
        oh[np.arange(len(part)), part] = 1.0
        t = time.perf_counter()
        out[s : s + len(part)] = oh @ mat
        total += time.perf_counter() - t
    assert np.allclose(out, dense)
    return [
        {"method": "dense: key → row index → row", "vocab": sub, "us_per_lookup": 1e6 * (t1 - t0) / n},
        {"method": f"one-hot ({sub:,}-d) × matrix", "vocab": sub, "us_per_lookup": 1e6 * total / n},
    ]


def train_small_space(
    every: int = 20, vector_size: int = 50, epochs: int = 5, seed: int = 0, progress=None
) -> EmbeddingSpace:
    """word2vec (gensim, skip-gram) trained on every ``every``-th line of the bundled corpus (~115k words)."""
    import pandas as pd
    from gensim.models import Word2Vec

    corpus = prepare(default_text(every), TokenOptions())
    report(progress, 0, 1, f"training word2vec on {corpus.n_tokens:,} words of the bundled corpus")
    model = Word2Vec(
        corpus.sentences,
        vector_size=vector_size,
        window=5,
        min_count=3,
        sg=1,
        epochs=epochs,
        workers=1,
        seed=seed,
    )
    kv = model.wv
    report(progress, 1, 1, "trained")
    return EmbeddingSpace(
        list(kv.index_to_key),
        kv.vectors.copy(),
        pd.DataFrame({"count": [kv.get_vecattr(k, "count") for k in kv.index_to_key]}),
        name="small-corpus-w2v",
        info={
            "source": f"word2vec on every {every}th line of the bundled corpus ({corpus.n_tokens:,} tokens)"
        },
    )


def transfer(
    texts: Sequence[str],
    labels: Sequence[str],
    small: EmbeddingSpace | None = None,
    pretrained: str = "glove-50d",
    per_class: Sequence = (10, 30, "all"),
    repeats: int = 5,
    seed: int = 0,
    progress=None,
):
    """Learning curve of pretrained averaged vectors vs vectors from the small bundled corpus."""
    small = small or train_small_space(progress=scaled(progress, 0, 0.5))
    return learning_curve(
        texts,
        labels,
        features=[pretrained, small.name],
        per_class=per_class,
        repeats=repeats,
        seed=seed,
        spaces={small.name: small},
        progress=scaled(progress, 0.5, 0.5),
    )

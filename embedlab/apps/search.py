"""Keyword search (BM25) next to semantic search, and which hits only one of them finds.

BM25 (Robertson & Zaragoza 2009) scores a document by the query words it contains, weighted by how rare
they are (IDF) and saturated by term frequency (``k1``) with length normalisation (``b``). A document
without any query word scores 0 and is never a keyword hit: "car" cannot find "automobile". Semantic search
ranks by cosine between sentence vectors, so it can.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from embedlab.apps.features import sentence_vectors
from embedlab.encoders.base import get_encoder
from embedlab.encoders.specs import DEFAULT_TEXT_ENCODER
from embedlab.errors import EmptyInputError, InvalidParameterError
from embedlab.words import words_of


class BM25:
    """Okapi BM25 over a fixed list of documents (scikit-learn style: parameters here, work in ``fit``).

    Parameters
    ----------
    k1 : float
        Term-frequency saturation (1.2-2.0 is usual).
    b : float
        Length normalisation, 0 (none) to 1 (full).
    """

    def __init__(self, k1: float = 1.5, b: float = 0.75):
        self.k1 = k1
        self.b = b

    def fit(self, docs: Sequence[str]) -> BM25:
        """Index ``docs``: term frequencies, document lengths, IDF (the Lucene ``log(1 + ...)`` form)."""
        if not docs:
            raise EmptyInputError("No documents to search; give at least one text.")
        self.tf_ = [Counter(words_of(d)) for d in docs]
        self.lengths_ = np.array([sum(tf.values()) for tf in self.tf_], dtype=np.float64)
        self.avg_length_ = float(self.lengths_.mean()) or 1.0
        df = Counter(w for tf in self.tf_ for w in tf)
        n = len(docs)
        self.idf_ = {w: math.log(1 + (n - f + 0.5) / (f + 0.5)) for w, f in df.items()}
        return self

    def score(self, query: str) -> np.ndarray:
        """BM25 score of every document for ``query`` (0 where no query word occurs)."""
        words = words_of(query)
        if not words:
            raise EmptyInputError("The search query has no words; type one or more words.")
        norm = self.k1 * (1 - self.b + self.b * self.lengths_ / self.avg_length_)
        out = np.zeros(len(self.tf_))
        for w in set(words):
            idf = self.idf_.get(w)
            if idf is None:
                continue
            tf = np.array([t.get(w, 0) for t in self.tf_], dtype=np.float64)
            out += idf * tf * (self.k1 + 1) / (tf + norm)
        return out


def _top(scores: np.ndarray, k: int, positive_only: bool) -> list[int]:
    order = np.argsort(-scores, kind="stable")[:k]
    return [int(i) for i in order if not positive_only or scores[i] > 0]


def compare_search(
    docs: Sequence[str],
    query: str,
    k: int = 10,
    doc_vectors: np.ndarray | None = None,
    encoder: str | None = None,
    bm25: BM25 | None = None,
):
    """The top ``k`` hits of BM25 and of semantic search, side by side.

    Parameters
    ----------
    docs : list of str
    query : str
    k : int
        Hits per method (BM25 keeps only documents that contain a query word).
    doc_vectors : ndarray, optional
        Unit sentence vectors of ``docs`` (computed with ``encoder`` when missing).
    bm25 : BM25, optional
        An index already fitted on ``docs``.

    Returns
    -------
    DataFrame
        ``method`` (``keyword`` / ``semantic``), ``rank``, ``text``, ``score``, ``only_here`` (True when
        the other method's top ``k`` misses this document).
    """
    import pandas as pd

    if int(k) < 1:
        raise InvalidParameterError(f"k must be at least 1; got {k}.")
    if not query.strip():
        raise EmptyInputError("The search query is empty; type a few words.")
    bm25 = bm25 or BM25().fit(docs)
    kw = bm25.score(query)
    vecs = doc_vectors if doc_vectors is not None else sentence_vectors(docs, encoder)
    q = get_encoder(encoder or DEFAULT_TEXT_ENCODER).encode([query])[0]
    sem = vecs @ (q / (np.linalg.norm(q) or 1.0))
    hits = {"keyword": (_top(kw, int(k), True), kw), "semantic": (_top(sem, int(k), False), sem)}
    rows = []
    for method, (idx, scores) in hits.items():
        other = set(hits["semantic" if method == "keyword" else "keyword"][0])
        rows += [
            {
                "method": method,
                "rank": r + 1,
                "text": docs[i],
                "score": float(scores[i]),
                "only_here": i not in other,
            }
            for r, i in enumerate(idx)
        ]
    return pd.DataFrame(rows, columns=["method", "rank", "text", "score", "only_here"])

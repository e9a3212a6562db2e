"""Words of a text and their mean static vector: the one tokeniser of the averaged-vector baseline (Sentence
lab, word-average encoder, Lessons, Use embeddings) and of BM25.

It sits below :mod:`embedlab.sentences` and :mod:`embedlab.encoders.wordavg`, which both need it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from embedlab.space import EmbeddingSpace

_WORD = re.compile(r"\w+(?:'\w+)?")


def words_of(sentence: str) -> list[str]:
    """Lower-case word tokens (``don't`` stays one token)."""
    return _WORD.findall(sentence.lower())


def average_vectors(sentences: Sequence[str], words: EmbeddingSpace) -> tuple[np.ndarray, list[int]]:
    """Mean word vector of each sentence (unknown words skipped) and the rows with no known word (zeros)."""
    out = np.zeros((len(sentences), words.dim), dtype=np.float32)
    index = words._index  # exact lookup; GloVe keys are lower-case
    empty = []
    for i, s in enumerate(sentences):
        rows = [index[w] for w in words_of(s) if w in index]
        if rows:
            out[i] = words.vectors[sorted(rows)].mean(axis=0)  # sorted: same words, same bits
        else:
            empty.append(i)
    return out, empty

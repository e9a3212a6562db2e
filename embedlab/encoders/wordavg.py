"""Averaged static word vectors as a text encoder (kind ``"word-average"``): the fast baseline.

Spec options: ``space`` (a bundled or saved space name; default ``glove-50d``) and ``normalize`` (bool,
default True). Each text (its first :data:`~embedlab.encoders.base.MAX_TEXT_CHARS` characters: the work per
text is bounded) becomes the mean of its known words' vectors (the Sentence lab's baseline, so the same
numbers as :func:`embedlab.words.average_vectors`); word order is lost, and a text without a known word
gets the zero vector. It needs no torch and embeds tens of thousands of texts a second on one core:
the encoder to run a batch pipeline over millions of texts before spending hours of transformer time.

The encoder is given its word space: the kind's factory, which loads ``space`` by name through the
registry, is registered by :mod:`embedlab.sentences` (the registry sits above the encoders, since it
opens batch outputs, which encoders make).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from embedlab.encoders.base import MAX_TEXT_CHARS, EncoderSpec
from embedlab.linalg import normalize_rows
from embedlab.progress import Progress, report
from embedlab.space import EmbeddingSpace
from embedlab.words import average_vectors

DEFAULT_WORDS = "glove-50d"


class WordAverageEncoder:
    """``encode(texts) -> (n, dim)`` mean word vectors of the static space ``words``."""

    def __init__(self, spec: EncoderSpec, words: EmbeddingSpace):
        self.spec = spec
        self.name = spec.name
        self.words = words
        self.dim = self.words.dim
        self.normalize = bool(spec.options.get("normalize", True))

    def encode(self, inputs: Sequence[str], batch_size: int = 4096, progress: Progress | None = None
               ) -> np.ndarray:
        out = np.empty((len(inputs), self.dim), dtype=np.float32)
        for a in range(0, len(inputs), batch_size):
            b = min(len(inputs), a + batch_size)
            texts = [str(t)[:MAX_TEXT_CHARS] for t in inputs[a:b]]  # bounded work however long a text is
            out[a:b] = average_vectors(texts, self.words)[0]
            report(progress, b, len(inputs), f"embedded {b:,} of {len(inputs):,} texts")
        return normalize_rows(out) if self.normalize else out

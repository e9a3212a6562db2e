"""The word-average text encoder: the Sentence lab's baseline numbers, no torch, usable by batch embed."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

from embedlab.encoders import get_encoder
from embedlab.linalg import normalize_rows
from embedlab.registry import load
from embedlab.words import average_vectors


def test_vectors_are_the_normalised_word_averages_and_unknown_texts_are_zero():
    enc = get_encoder("glove-50d-mean")
    texts = ["The king and the queen", "river bank", "qqqzzz xxyyq"]
    got = enc.encode(texts, batch_size=2)
    want, empty = average_vectors(texts, load("glove-50d"))
    assert enc.dim == 50 and got.shape == (3, 50) and got.dtype == np.float32
    assert np.allclose(got, normalize_rows(want), atol=1e-6)
    assert empty == [2] and not got[2].any()


def test_it_does_not_import_torch():
    code = ("import sys; from embedlab.encoders import get_encoder; "
            "get_encoder('glove-50d-mean').encode(['a cat']); print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_very_long_text_is_averaged_over_its_first_characters_only():
    from embedlab.encoders.base import MAX_TEXT_CHARS

    enc = get_encoder("glove-50d-mean")
    head = "king " * (MAX_TEXT_CHARS // 5)
    got = enc.encode([head + "banana " * 300_000, "king"])  # ~2.6 MB: bananas past the bound
    assert np.allclose(got[0], got[1], atol=1e-3)  # float32 sums of 20,000 equal rows

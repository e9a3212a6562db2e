"""Text features for the applications: bag-of-words, averaged word vectors, sentence vectors.

A *feature name* is ``"bow"`` (TF-IDF bag of words, fitted on the training texts only), ``"minilm"`` (the
default sentence transformer), any text encoder's name (configured, such as ``skip-thought-small``, or
trained and saved by a user), or the name of a word space
(averaged word vectors: bundled, saved, or passed in ``spaces``). Sentence vectors are cached on disk per
(encoder, texts) so a second run over the same texts costs nothing.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Mapping, Sequence

import numpy as np

from embedlab.encoders.base import get_encoder, spec_of
from embedlab.encoders.specs import DEFAULT_TEXT_ENCODER
from embedlab.errors import InvalidParameterError, UnknownSpaceError
from embedlab.progress import Progress, report
from embedlab.registry import load
from embedlab.resources import data_path
from embedlab.space import EmbeddingSpace
from embedlab.words import average_vectors
from embedlab.workspace import cache_dir

BOW = "bow"
MINILM = "minilm"
#: encoder kinds whose vectors are features of a text (``word-average``: e.g. ``glove-50d-mean``)
TEXT_KINDS = ("sentence-transformer", "small-text", "word-average")


def feature_label(name: str) -> str:
    """A short human name of a feature: ``bow`` → ``bag-of-words``."""
    if name == BOW:
        return "bag-of-words"
    if name == MINILM:
        return "sentence vectors (MiniLM)"
    if encoder_name(name) is not None:
        return f"sentence vectors ({name})"
    return f"averaged word vectors ({name})"


def encoder_name(name: str) -> str | None:
    """The sentence encoder a feature name stands for, or None when it is not an encoder."""
    if name == MINILM:
        return DEFAULT_TEXT_ENCODER
    spec = spec_of(name)
    return name if spec is not None and spec.kind in TEXT_KINDS else None


def _cache_tag(encoder: str) -> str:
    """What changes when an encoder's weights do: a saved encoder's version, a small bundled one's file."""
    spec = spec_of(encoder)
    if spec is None or spec.kind != "small-text":
        return ""
    if "version" in spec.options:
        return str(spec.options["version"])
    weights = data_path("encoders", str(spec.options.get("bundled", encoder)), "weights.safetensors")
    st = weights.stat() if weights.is_file() else None
    return f"{st.st_size}-{st.st_mtime_ns}" if st else ""


def texts_key(texts: Sequence[str], salt: str = "") -> str:
    """A cheap content key of a list of texts (sha1 of the joined texts)."""
    h = hashlib.sha1(salt.encode("utf-8"))
    for t in texts:
        h.update(t.encode("utf-8", "replace"))
        h.update(b"\x00")
    return h.hexdigest()


def sentence_vectors(
    texts: Sequence[str], encoder: str | None = None, progress: Progress | None = None, use_cache: bool = True
) -> np.ndarray:
    """Sentence vectors of ``texts`` (one row each, float32, unit length), cached on disk."""
    encoder = encoder or DEFAULT_TEXT_ENCODER
    path = cache_dir("sentence-vectors") / f"{encoder}-{texts_key(texts, _cache_tag(encoder))}.npy"
    if use_cache and path.exists():
        try:
            out = np.load(path, allow_pickle=False)
            if out.shape[0] == len(texts):
                report(progress, len(texts), len(texts), "sentence vectors from the cache")
                return out
        except (OSError, ValueError):
            pass  # a damaged entry is recomputed
    vecs = get_encoder(encoder).encode(list(texts), progress=progress).astype(np.float32)
    if use_cache:
        tmp = path.with_name(f".{uuid.uuid4().hex[:8]}.npy")
        np.save(tmp, vecs)
        os.replace(tmp, path)
    return vecs


def resolve_space(name: str, spaces: Mapping[str, EmbeddingSpace] | None = None) -> EmbeddingSpace:
    """A word space by name: from ``spaces`` first, else bundled / saved / a path."""
    if spaces and name in spaces:
        return spaces[name]

    return load(name)


def dense_features(
    texts: Sequence[str],
    name: str,
    spaces: Mapping[str, EmbeddingSpace] | None = None,
    progress: Progress | None = None,
) -> tuple[np.ndarray, int]:
    """Dense features of every text and how many texts had no known word (their row is zeros).

    Raises
    ------
    InvalidParameterError
        ``name`` is ``bow`` (fitted per split, see :func:`bow_features`).
    """
    if name == BOW:
        raise InvalidParameterError(
            "Bag-of-words features are fitted on each training split; use bow_features(train, test)."
        )
    enc = encoder_name(name)
    if enc is not None:
        return sentence_vectors(texts, enc, progress), 0

    space = resolve_space(name, spaces)
    vecs, empty = average_vectors(list(texts), space)
    report(progress, len(texts), len(texts), f"averaged {space.name} word vectors")
    return vecs, len(empty)


def bow_features(train: Sequence[str], test: Sequence[str]):
    """TF-IDF bag-of-words fitted on ``train`` only: ``(X_train, X_test, vocabulary size)``.

    Words never seen in training get no column, which is why bag-of-words learns slowly from few examples.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(lowercase=True, token_pattern=r"(?u)\b\w+(?:'\w+)?\b", sublinear_tf=True)
    x_train = vec.fit_transform(train)
    return x_train, vec.transform(test), len(vec.vocabulary_)


def check_feature_names(
    names: Sequence[str], spaces: Mapping[str, EmbeddingSpace] | None = None
) -> list[str]:
    """Validate feature names early (a typo fails before any work), dropping duplicates."""
    out = list(dict.fromkeys(n.strip() for n in names if n and n.strip()))
    if not out:
        raise InvalidParameterError("No features given; use bow, minilm, an encoder such as "
                                    "skip-thought-small, or a space name such as glove-50d.")
    for n in out:
        if n == BOW or encoder_name(n) is not None or (spaces and n in spaces):
            continue
        try:
            resolve_space(n, spaces)
        except UnknownSpaceError as exc:
            raise InvalidParameterError(
                f"Unknown feature '{n}': use bow, minilm, a text encoder (elmo-small, skip-thought-small, "
                f"use-dan-small, infersent-small, or a saved one), or a space name. {exc}"
            ) from None
    return out

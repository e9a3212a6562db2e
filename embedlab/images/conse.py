"""Text → image search without CLIP: ConSE (Norouzi et al. 2014, "Zero-shot learning by convex
combination of semantic embeddings").

An image is placed in a sentence-embedding space as the probability-weighted average of the embeddings
of its top-T ImageNet classes (each embedded as "a photo of a {class}" by the MiniLM sentence encoder).
A text query is embedded by the same encoder; images are ranked by cosine similarity to it.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

import numpy as np

from embedlab.encoders import get_encoder
from embedlab.encoders.image import imagenet_class_names
from embedlab.errors import EmptyInputError, InvalidParameterError
from embedlab.images.pipeline import decode_topk
from embedlab.linalg import normalize_rows
from embedlab.neighbours import most_similar
from embedlab.space import EmbeddingSpace
from embedlab.workspace import cache_dir

TEXT_ENCODER = "minilm-l6"
PROMPT = "a photo of a {}"
DEFAULT_T = 5

EXPLANATION = (
    "**How text search works (ConSE, Norouzi et al. 2014).** The image network was never trained on "
    "text; it only outputs probabilities for 1,000 ImageNet classes. Each class name is turned into a "
    "sentence vector (\"a photo of a golden retriever\") by a small sentence encoder (MiniLM). An image "
    "then gets the average of the vectors of its T most probable classes, weighted by their "
    "probabilities, so a photo the network calls 60 % espresso and 30 % cup lands between those two "
    "phrases. Your query is embedded by the same sentence encoder, and images are ranked by cosine "
    "similarity to it. It works for anything close to ImageNet's classes (fruit, furniture, animals, "
    "vehicles) and fails for ideas the classes cannot express."
)


@lru_cache(maxsize=2)
def class_embeddings(text_encoder: str = TEXT_ENCODER) -> np.ndarray:
    """(1000, d) unit vectors of ``"a photo of a {class}"`` for every ImageNet class (cached on disk)."""
    names = imagenet_class_names()
    digest = hashlib.blake2b("\n".join((PROMPT, *names)).encode(), digest_size=6).hexdigest()
    path = cache_dir("conse") / f"{text_encoder}-{digest}.npy"
    if path.exists():
        try:
            arr = np.load(path, allow_pickle=False)
            if arr.shape[0] == len(names):
                return arr
        except (OSError, ValueError):
            pass
    vecs = np.asarray(get_encoder(text_encoder).encode([PROMPT.format(n) for n in names], batch_size=64),
                      dtype=np.float32)
    tmp = path.with_suffix(".tmp.npy")
    np.save(tmp, vecs)
    tmp.replace(path)
    return vecs


def conse_vectors(top_ids: np.ndarray, top_probs: np.ndarray, class_vectors: np.ndarray, t: int = DEFAULT_T
                  ) -> np.ndarray:
    """ConSE image vectors: ``sum_j p_j * class_vec[id_j]`` over the top ``t`` classes, L2-normalised."""
    if t < 1:
        raise InvalidParameterError(f"T (classes per image) must be at least 1; got {t}.")
    ids, probs = np.asarray(top_ids)[:, :t], np.asarray(top_probs, dtype=np.float32)[:, :t]
    w = probs / np.maximum(probs.sum(axis=1, keepdims=True), 1e-12)
    v = np.einsum("nt,ntd->nd", w, class_vectors[ids])
    return normalize_rows(v)


def conse_space(space: EmbeddingSpace, t: int = DEFAULT_T, text_encoder: str = TEXT_ENCODER
                ) -> EmbeddingSpace:
    """The image space moved into the sentence space (same keys and metadata), from its ``topk`` column."""
    if "topk" not in space.meta_columns:
        raise InvalidParameterError(
            f"{space.name} has no predicted ImageNet classes (metadata column 'topk'); text search needs an "
            "image space made by embedlab (Images page or `embedlab images embed`).")
    ids, probs = decode_topk(space.meta_column("topk"))
    vecs = conse_vectors(ids, probs, class_embeddings(text_encoder), t)
    info = {"conse_t": t, "text_encoder": text_encoder}
    return space.with_vectors(vecs, name=f"{space.name}-conse", info=info)


def search(space: EmbeddingSpace, text: str, k: int = 5, t: int = DEFAULT_T, text_encoder: str = TEXT_ENCODER
           ) -> list[tuple[str, float]]:
    """Images of ``space`` ranked by ConSE cosine similarity to ``text``: ``[(key, score), ...]``."""
    text = (text or "").strip()
    if not text:
        raise EmptyInputError(
            "Type a description to search for, e.g. 'a red fruit' or 'something to sit on'.")
    cs = conse_space(space, t, text_encoder)
    q = np.asarray(get_encoder(text_encoder).encode([text]), dtype=np.float32)[0]
    return most_similar(cs, positive=[q], topn=max(1, min(int(k), len(cs))))

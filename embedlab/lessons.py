"""The small live results of the Lessons page ("What are AI Embeddings?", section by section).

Each function takes a word space (GloVe 50d by default on the page), does one cheap computation and
returns plain data (dicts, lists) the page shows as a table or a sentence. Nothing here imports Streamlit,
loads a transformer or an image model: the page's first render stays fast. The two results that need a
model (:func:`word_order`, :func:`image_clusters`) are called only when the user asks;
:func:`translation_demo` reads a translation map fitted elsewhere (once per server, by the page).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from embedlab.compare.dictionaries import language_name
from embedlab.images.cluster import cluster_space
from embedlab.images.datasets import load_image_set
from embedlab.images.pipeline import embed_batch
from embedlab.neighbours import doesnt_match, most_similar
from embedlab.sentences import word_order_demo
from embedlab.space import EmbeddingSpace
from embedlab.strings import human_bytes
from embedlab.words import average_vectors

if TYPE_CHECKING:
    from embedlab.compare.bilingual import BilingualFit

WORD_ORDER_PAIR = ("dog bites man", "man bites dog")


def cosine(space: EmbeddingSpace, a: str, b: str) -> float:
    """Cosine similarity of two keys (resolved case-insensitively; unknown keys raise UnknownKeyError)."""
    n = space.normed
    return float(n[space.index(space.resolve(a))] @ n[space.index(space.resolve(b))])


def similarity_table(space: EmbeddingSpace, pairs: Sequence[tuple[str, str]]) -> list[dict]:
    """Rows ``{"word 1", "word 2", "cosine"}`` for each pair, in the given order."""
    return [{"word 1": a, "word 2": b, "cosine": round(cosine(space, a, b), 3)} for a, b in pairs]


def similarity_rank(space: EmbeddingSpace, word: str, other: str) -> dict:
    """Where ``other`` ranks among all keys by cosine to ``word`` (1 = nearest), and the share above it."""
    n = space.normed
    i, j = space.index(space.resolve(word)), space.index(space.resolve(other))
    scores = n @ n[i]
    scores[i] = -np.inf  # the word itself does not count
    rank = int((scores > scores[j]).sum()) + 1
    return {"word": space.keys[i], "other": space.keys[j], "cosine": float(scores[j]), "rank": rank,
            "of": len(space) - 1, "top_percent": 100.0 * rank / max(1, len(space) - 1)}


def analogy_rank(space: EmbeddingSpace, a: str, b: str, c: str, expected: str, topn: int = 5) -> dict:
    """``a : b :: c : ?`` by 3CosAdd (b - a + c): the top answers and the rank of ``expected`` among all keys.

    The three question words are excluded, as in gensim's ``most_similar``.
    """
    a, b, c, expected = (space.resolve(w) for w in (a, b, c, expected))
    top = most_similar(space, [b, c], [a], topn=topn)
    n = space.normed
    target = n[space.index(b)] - n[space.index(a)] + n[space.index(c)]
    scores = n @ (target / (np.linalg.norm(target) or 1.0))
    for w in (a, b, c):
        scores[space.index(w)] = -np.inf
    e = space.index(expected)
    return {"question": f"{a} : {b} :: {c} : ?", "expression": f"{b} - {a} + {c}", "top": top,
            "expected": expected, "rank": int((scores > scores[e]).sum()) + 1, "cosine": float(scores[e])}


def averaged_word_order(space: EmbeddingSpace, pair: tuple[str, str] = WORD_ORDER_PAIR) -> dict:
    """Cosine of two sentences as averages of their word vectors (same words → identical vectors)."""
    vecs, _ = average_vectors(list(pair), space)
    a, b = vecs
    cos = float(a @ b / ((np.linalg.norm(a) * np.linalg.norm(b)) or 1.0))
    return {"model": f"average of {space.name} word vectors", "cosine": cos,
            "identical": bool(np.array_equal(a, b))}


def word_order(space: EmbeddingSpace, pair: tuple[str, str] = WORD_ORDER_PAIR) -> list[dict]:
    """Averaged word vectors and the MiniLM transformer on the same pair (loads MiniLM: seconds)."""
    return word_order_demo(space, pair=pair)


def memory_table(space: EmbeddingSpace) -> list[dict]:
    """Numbers stored per word and for the whole vocabulary: one-hot coding versus the dense space."""
    n, d = len(space), space.dim
    return [
        {"coding": "one-hot", "numbers per word": n, "all words (float32)": human_bytes(4.0 * n * n)},
        {"coding": f"dense ({space.name})", "numbers per word": d,
         "all words (float32)": human_bytes(4.0 * n * d)},
    ]


def odd_one_out(space: EmbeddingSpace, words: Sequence[str]) -> str:
    """The word furthest from the others' mean (gensim's ``doesnt_match``)."""
    return doesnt_match(space, list(words))


def neighbours(space: EmbeddingSpace, word: str, k: int = 8) -> list[str]:
    """The ``k`` nearest keys of ``word`` (cosine)."""
    return [w for w, _ in most_similar(space, [space.resolve(word)], topn=k)]


def image_clusters(set_name: str = "emoji-content") -> dict:
    """Embed a bundled image set with the CNN and cluster it (k by silhouette); ARI/NMI against its labels.

    Loads EfficientNet-Lite0 (image features are cached on disk after the first time).
    """
    space, _ = embed_batch(load_image_set(set_name), f"images-{set_name}")
    res = cluster_space(space)
    labels = space.meta_column("label") if "label" in space.meta_columns else None
    return {"set": set_name, "images": len(space), "k": res.k, "ari": res.ari, "nmi": res.nmi,
            "kinds": sorted(set(map(str, labels))) if labels is not None else []}


def translation_demo(fit: BilingualFit, forward: str = "king", backward: str = "chat", topn: int = 3) -> dict:
    """The multilingual lesson's live result from a map fitted both ways between two languages
    (:func:`embedlab.compare.bilingual.translate_both_ways`): ``forward`` translated from A into B and
    ``backward`` from B into A, each with its ``topn`` best translations, and precision@1/@5 each way.

    Returns ``{"rows": [{"word", "from", "to", "translation", "next best"}, ...], "precision": [{"way",
    "p_at_1", "p_at_5", "n_eval"}, ...], "dictionary": str, "meaning": str}`` (what precision means);
    languages by name, or space names when a language is unknown.
    """
    rows, precision = [], []
    for way, word in ((fit.forward, forward), (fit.backward, backward)):
        r = way.report
        src, tgt = (r[side] if r[f"{side}_language"] == "unknown" else language_name(r[f"{side}_language"])
                    for side in ("source", "target"))
        found = [w for w, _ in way.translator.translate(word, topn, csls=way.csls)]
        rows.append({"word": word, "from": src, "to": tgt, "translation": found[0],
                     "next best": ", ".join(found[1:])})
        precision.append({"way": f"{src} → {tgt}", "p_at_1": round(r["p_at_1"], 3),
                          "p_at_5": round(r["p_at_5"], 3), "n_eval": r["n_eval"]})
    return {"rows": rows, "precision": precision, "dictionary": fit.forward.report["seed_dictionary"],
            "meaning": fit.forward.report["meaning"]}

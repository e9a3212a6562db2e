"""What each small encoder trains on, and how its examples become batches (one recipe per kind).

A recipe turns a corpus source into a :class:`Prepared`: the fresh network, the training examples (in
corpus order; the trainer shuffles them with its seed) and ``batch(examples, rng)`` that makes one
batch of tensors. ``describe`` says in words what the data and objective are (for the model card).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from embedlab.errors import InvalidParameterError
from embedlab.registry import load
from embedlab.textnets import data
from embedlab.textnets.store import build
from embedlab.textnets.vocab import Vocab, bigrams, words_of

OBJECTIVES = {
    "elmo": "bidirectional language model: the forward LSTM predicts each next word, the backward LSTM each "
            "previous word (adaptive softmax shared by both); then the scalar mix is learned with the LM "
            "frozen on the WordNet gloss-pair task",
    "skip-thought": "from a sentence's vector, decode the previous and the next sentence word by word "
                    "(teacher forcing; shared adaptive softmax)",
    "use-dan": "contrastive next-sentence task (USE's Skip-Thought-like task): a sentence's vector is "
               "closest to its next sentence's among the batch (in-batch negatives, both directions)",
    "infersent": "3-way classification of sentence pairs from (u, v, |u-v|, u*v)",
}


@dataclass
class Prepared:
    """A fresh network and what it trains on."""

    net: Any
    examples: list
    batch: Callable[[list, random.Random], dict]
    data: str  # what the data is, in words
    n_words: int  # running words the examples hold
    notes: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)


def _documents(source: data.Source, need: str) -> data.Documents:
    docs = data.load_documents(source)
    data.check_sentences(docs, need)
    return docs


def prepare(kind: str, source: data.Source, settings, device: str) -> Prepared:
    """The :class:`Prepared` of ``kind`` on ``source`` (``"default"``, ``"sample"``, or files)."""
    recipes = {"elmo": _elmo, "skip-thought": _skip_thought, "use-dan": _dan, "infersent": _infersent}
    if kind not in recipes:
        raise InvalidParameterError(f"Unknown encoder kind {kind!r}; use one of {', '.join(recipes)}.")
    return recipes[kind](source, settings, device)


def _elmo(source, settings, device) -> Prepared:
    docs = _documents(source, "sentences")
    sentences = docs.sentences
    vocab = Vocab.build(sentences, settings.vocab_size)
    net = build("elmo", vocab, settings.config)
    return Prepared(net, sentences, lambda ex, rng: net.tensors(ex, device),
                    f"{docs.n_sentences:,} sentences of {docs.description}", docs.n_words, docs.notes)


def _skip_thought(source, settings, device) -> Prepared:
    docs = _documents(source, "triples")
    vocab = Vocab.build(docs.sentences, settings.vocab_size)
    net = build("skip-thought", vocab, settings.config)

    def batch(ex: list, rng: random.Random) -> dict:
        parts = ("prev", "mid", "next")
        return {part: net.tensors([t[i] for t in ex], device) for i, part in enumerate(parts)}

    triples = data.neighbour_triples(docs)
    return Prepared(net, triples, batch,
                    f"{len(triples):,} consecutive sentence triples of {docs.description}", docs.n_words,
                    docs.notes)


def _dan(source, settings, device) -> Prepared:
    docs = _documents(source, "pairs")
    sentences = docs.sentences
    vocab = Vocab.build(sentences, settings.vocab_size)
    pair_vocab = Vocab.build((bigrams(s) for s in sentences), settings.vocab_size, min_count=2)
    net = build("use-dan", vocab, settings.config, pair_vocab)
    drop = float(settings.config.get("word_dropout", 0.2))

    def dropped(s: list[str], rng: random.Random) -> list[str]:
        kept = [w for w in s if rng.random() >= drop]
        return kept or s[:1]

    def batch(ex: list, rng: random.Random) -> dict:
        return {"a": net.tensors([dropped(a, rng) for a, _ in ex], device),
                "b": net.tensors([dropped(b, rng) for _, b in ex], device)}

    pairs = data.neighbour_pairs(docs)
    return Prepared(net, pairs, batch,
                    f"{len(pairs):,} (sentence, next sentence) pairs of {docs.description}", docs.n_words,
                    docs.notes)


def read_pairs(source: data.Source) -> data.Pairs:
    """InferSent's pairs: ``"default"`` (the bundled WordNet gloss pairs), an NLI CSV file, or one uploaded
    ``(name, bytes)`` NLI CSV."""
    if data.is_upload(source) and len(source) == 1 and str(source[0][0]).lower().endswith((".csv", ".tsv")):
        return data.read_nli(*source[0])
    paths = [source] if isinstance(source, (str, Path)) else [
        p[0] if isinstance(p, tuple) else p for p in source]
    if [str(p) for p in paths] in (["default"], ["sample"]):
        return data.bundled_pairs()
    if len(paths) != 1 or Path(paths[0]).suffix.lower() not in (".csv", ".tsv"):
        raise InvalidParameterError(
            f"InferSent trains on sentence pairs: give an NLI CSV file (columns premise, hypothesis, label), "
            f"or 'default' for the bundled WordNet gloss pairs; got {', '.join(map(str, paths))}."
        )
    return data.read_nli_csv(paths[0])


def glove_vocab(words: Counter, size: int):
    """The ``size`` most frequent of ``words`` that GloVe-50d knows, and their GloVe rows."""
    glove = load("glove-50d")
    index = {k: i for i, k in enumerate(glove.keys)}
    kept = [w for w, _ in sorted(words.items(), key=lambda wc: (-wc[1], wc[0])) if w in index][: size - 4]
    vocab = Vocab(kept)
    rows = np.zeros((len(vocab), glove.dim), dtype=np.float32)
    for i, w in enumerate(vocab.words[4:], 4):
        rows[i] = glove.vectors[index[w]]
    return vocab, rows


def _infersent(source, settings, device) -> Prepared:
    import torch

    pairs = read_pairs(source)
    counts: Counter = Counter()
    for text in (*pairs.premises, *pairs.hypotheses):
        counts.update(words_of(text))
    for s in data.load_documents("sample").sentences:  # general words too, for texts beyond the pairs
        counts.update(s)
    vocab, rows = glove_vocab(counts, settings.vocab_size)
    config = {**settings.config, "labels": pairs.label_names, "emb": int(rows.shape[1])}
    net = build("infersent", vocab, config)
    with torch.no_grad():
        net.embed.weight.copy_(torch.from_numpy(rows))
    examples = [(words_of(a), words_of(b), y)
                for a, b, y in zip(pairs.premises, pairs.hypotheses, pairs.labels, strict=True)]
    examples = [e for e in examples if e[0] and e[1]]

    def batch(ex: list, rng: random.Random) -> dict:
        return {"a": net.tensors([a for a, _, _ in ex], device),
                "b": net.tensors([b for _, b, _ in ex], device),
                "labels": torch.tensor([y for _, _, y in ex], dtype=torch.long, device=device)}

    shares = Counter(pairs.label_names[y] for *_, y in examples)
    about = ", ".join(f"{n:,} {k}" for k, n in sorted(shares.items()))
    n_words = sum(len(a) + len(b) for a, b, _ in examples)
    return Prepared(net, examples, batch, f"{len(examples):,} sentence pairs ({about}): {pairs.description}",
                    n_words, extra={"labels": pairs.label_names, "glove_rows": len(vocab) - 4})

"""Contextual word vectors: the hidden state of one word, in its sentence, at every layer of a transformer.

The word is found in each sentence by whole-word, case-insensitive matching; its character span is mapped to
the tokens whose offsets overlap it (a word split into several pieces — ``un ##bel ##ie ##va ##bly`` — is
mean-pooled). One forward pass gives every layer at once (layer 0 = the embedding layer, before any
attention; the last layer = the model's output); only the word's tokens are kept, so the last layer's
feed-forward work runs at those tokens alone (:meth:`TransformerTextEncoder.map_states_at`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from embedlab.encoders.base import get_encoder
from embedlab.encoders.specs import DEFAULT_TEXT_ENCODER
from embedlab.errors import EmbedlabError, EmptyInputError, InvalidParameterError
from embedlab.progress import Progress
from embedlab.space import EmbeddingSpace

WHICH = ("first", "all")


class WordNotFoundError(EmbedlabError):
    """The target word does not occur in a sentence (or lies past the model's token limit)."""


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of the word: which sentence, where (characters) and which one in that sentence."""

    sentence_index: int
    sentence: str
    start: int
    end: int
    nth: int = 1  # 1 = first occurrence in its sentence

    @property
    def surface(self) -> str:
        """The word as written in the sentence (``Bank``, ``bank``)."""
        return self.sentence[self.start:self.end]


@dataclass
class ContextualVectors:
    """Vectors of every occurrence at every layer.

    Attributes
    ----------
    vectors : numpy.ndarray, shape (n_occurrences, n_layers, dim), float32
    occurrences : list of Occurrence, one per row of ``vectors``
    n_pieces : list of int, how many word pieces were pooled for each occurrence
    truncated : int, sentences longer than the model's limit (cut at ``max_length`` tokens)
    """

    word: str
    vectors: np.ndarray
    occurrences: list[Occurrence]
    n_pieces: list[int]
    encoder: str
    truncated: int = 0
    info: dict = field(default_factory=dict)

    @property
    def n_layers(self) -> int:
        return int(self.vectors.shape[1])

    def layer(self, layer: int) -> np.ndarray:
        """The (n_occurrences, dim) vectors of one layer (negative counts from the end)."""
        if not -self.n_layers <= layer < self.n_layers:
            raise InvalidParameterError(
                f"Layer {layer} does not exist; {self.encoder} has layers 0 (embeddings) to "
                f"{self.n_layers - 1}."
            )
        return self.vectors[:, layer]


def _word_pattern(word: str) -> re.Pattern:
    w = word.strip()
    if not w:
        raise InvalidParameterError("The target word is empty; type the word to look for (e.g. 'bank').")
    # whole word: no letter/digit right before or after (punctuation and apostrophes are boundaries)
    return re.compile(rf"(?<![^\W_]){re.escape(w)}(?![^\W_])", re.IGNORECASE)


def find_occurrences(sentence: str, word: str) -> list[tuple[int, int]]:
    """Character spans of ``word`` in ``sentence``: whole word, any case (``Bank,`` yes, ``banks`` no)."""
    return [(m.start(), m.end()) for m in _word_pattern(word).finditer(sentence)]


def locate(sentences: Sequence[str], word: str, which: str = "first") -> list[Occurrence]:
    """Find ``word`` in every sentence.

    Parameters
    ----------
    which : {"first", "all"}
        Use the first occurrence of each sentence, or every occurrence as its own point.

    Raises
    ------
    WordNotFoundError
        A sentence does not contain the word; the message names it.
    """
    if which not in WHICH:
        raise InvalidParameterError(f"which must be one of {WHICH}; got '{which}'.")
    if not sentences:
        raise EmptyInputError("No sentences given; type or upload sentences that use the word.")
    out: list[Occurrence] = []
    missing: list[int] = []
    for i, s in enumerate(sentences):
        spans = find_occurrences(s, word)
        if not spans:
            missing.append(i)
            continue
        for nth, (a, b) in enumerate(spans if which == "all" else spans[:1], 1):
            out.append(Occurrence(i, s, a, b, nth))
    if missing:
        i = missing[0]
        more = f" (and {len(missing) - 1} other sentence(s))" if len(missing) > 1 else ""
        raise WordNotFoundError(
            f"'{word}' does not occur as a whole word in sentence {i + 1}: \"{sentences[i]}\"{more}. "
            f"Every sentence must use the word (any case); edit or remove the sentence."
        )
    return out


def piece_indices(offsets: Sequence[tuple[int, int]], start: int, end: int) -> list[int]:
    """Token positions whose offsets overlap ``[start, end)`` (special tokens have empty offsets)."""
    return [t for t, (a, b) in enumerate(offsets) if b > a and a < end and b > start]


def contextual_vectors(
    sentences: Sequence[str],
    word: str,
    encoder: str = DEFAULT_TEXT_ENCODER,
    which: str = "first",
    batch_size: int = 32,
    progress: Progress | None = None,
) -> ContextualVectors:
    """Per-layer vectors of ``word`` in each sentence (pieces mean-pooled), from one forward pass per batch.

    Returns
    -------
    ContextualVectors
        ``vectors[i, layer]`` for occurrence ``i``; layer 0 is the non-contextual embedding layer.
    """
    sentences = [str(s) for s in sentences]
    occ = locate(sentences, word, which)
    by_sentence: dict[int, list[int]] = {}
    for j, o in enumerate(occ):
        by_sentence.setdefault(o.sentence_index, []).append(j)
    enc = get_encoder(encoder)
    if not hasattr(enc, "map_states_at") and not hasattr(enc, "map_hidden_states"):
        raise InvalidParameterError(
            f"{encoder} gives one vector per text, not per word in context; use {DEFAULT_TEXT_ENCODER} or "
            "elmo-small for contextual word vectors."
        )
    used = sorted(by_sentence)

    def positions(k: int, toks) -> list[int]:
        """Every token of every occurrence in sentence ``k``; raises if one lies past the token limit."""
        found: set[int] = set()
        for j in by_sentence[used[k]]:
            pieces = piece_indices(toks.offsets, occ[j].start, occ[j].end)
            if not pieces:
                raise WordNotFoundError(
                    f"'{word}' in sentence {used[k] + 1} lies past the model's {enc.max_length}-token limit: "
                    f"\"{occ[j].sentence[:80]}…\". Shorten the sentence or move the word earlier."
                )
            found.update(pieces)
        return sorted(found)

    def pool(k: int, states: np.ndarray, toks) -> tuple[list[tuple[np.ndarray, int]], bool]:
        column = {t: c for c, t in enumerate(positions(k, toks))}  # states hold only these tokens
        rows = []
        for j in by_sentence[used[k]]:
            cols = [column[t] for t in piece_indices(toks.offsets, occ[j].start, occ[j].end)]
            rows.append((states[:, cols].mean(axis=1), len(cols)))
        return rows, toks.truncated

    texts = [sentences[i] for i in used]
    if hasattr(enc, "map_states_at"):  # only the word's tokens: the last layer skips the rest
        pooled = enc.map_states_at(texts, positions, pool, batch_size=batch_size, progress=progress)
    else:
        pooled = enc.map_hidden_states(texts, lambda k, s, t: pool(k, s[:, positions(k, t)], t),
                                       batch_size=batch_size, progress=progress)
    vecs = np.zeros((len(occ), enc.n_layers, enc.dim), dtype=np.float32)
    n_pieces = [0] * len(occ)
    for k, (rows, _) in enumerate(pooled):
        for j, (v, n) in zip(by_sentence[used[k]], rows, strict=True):
            vecs[j], n_pieces[j] = v, n
    truncated = sum(cut for _, cut in pooled)
    names = list(getattr(enc, "layer_names", None) or [])
    return ContextualVectors(word, vecs, occ, n_pieces, enc.name, truncated,
                             info={"layer_names": names} if names else {})


def occurrence_keys(cv: ContextualVectors) -> list[str]:
    """Unique readable keys: ``bank #1``, ``bank #2`` … (numbered in sentence order)."""
    return [f"{cv.word} #{j + 1}" for j in range(len(cv.occurrences))]


def occurrence_space(
    cv: ContextualVectors,
    layer: int,
    senses: Sequence[str] | None = None,
    source: str = "typed",
    name: str | None = None,
) -> EmbeddingSpace:
    """One layer's occurrences as an ordinary :class:`EmbeddingSpace` (keys ``bank #3``).

    ``senses`` has one label per occurrence (row of ``cv.vectors``). Metadata columns: ``sense`` (or
    ``"?"``), ``layer``, ``sentence``, ``occurrence`` (1 = first in its sentence), ``pieces``, ``source``.
    """
    import pandas as pd

    n_layers = cv.n_layers
    layer = layer % n_layers if -n_layers <= layer < n_layers else layer
    vecs = cv.layer(layer)
    if senses is not None and len(senses) != len(cv.occurrences):
        raise InvalidParameterError(
            f"{len(senses)} sense labels for {len(cv.occurrences)} occurrences; give one per occurrence."
        )
    sense_of = list(senses) if senses is not None else ["?"] * len(cv.occurrences)
    meta = pd.DataFrame({
        "sense": sense_of,
        "layer": layer,
        "sentence": [o.sentence for o in cv.occurrences],
        "occurrence": [o.nth for o in cv.occurrences],
        "pieces": cv.n_pieces,
        "source": source,
    })
    return EmbeddingSpace(
        occurrence_keys(cv), vecs, meta, name=name or f"{cv.word} in context (layer {layer})",
        info={"source": f"contextual vectors of '{cv.word}' from {cv.encoder}, layer {layer} ({source})",
              "encoder": cv.encoder, "layer": layer, "kind": "contextual"},
    )

"""Words, their ids and characters for the small encoders (no torch).

A text becomes lower-case words (letters and digits, inner hyphens and apostrophes kept; punctuation
dropped) with their character spans, so a word can be found again in its sentence (the Polysemy view).
The first :data:`MAX_TOKENS` words are read (the work per text is bounded however long it is).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from embedlab.encoders.tokens import Tokenized

WORD = re.compile(r"\w+(?:[-'’]\w+)*")
#: Words of one text that an encoder reads; the rest are counted (``truncated``) and ignored.
MAX_TOKENS = 200
#: Characters of a text that are read at most (at most ~50 per word).
MAX_CHARS = MAX_TOKENS * 50
PAD, UNK, BOS, EOS = "<pad>", "<unk>", "<s>", "</s>"
SPECIALS = (PAD, UNK, BOS, EOS)
#: Characters per word the character CNN reads (bytes of its UTF-8 form, between begin and end marks).
MAX_WORD_CHARS = 20
CHAR_PAD, CHAR_BOW, CHAR_EOW = 0, 1, 2
N_CHARS = 259  # pad, begin, end + 256 byte values


@dataclass(frozen=True)
class WordTokens(Tokenized):
    """:class:`Tokenized` plus the words themselves (``ids`` are vocabulary ids; no special tokens)."""

    words: tuple[str, ...] = ()


def words_of(text: str) -> list[str]:
    """Lower-case words of ``text`` (``"Don't stop!"`` → ``["don't", "stop"]``)."""
    return [m.group().lower() for m in WORD.finditer(str(text)[:MAX_CHARS])]


class Vocab:
    """Word ↔ id; ids 0-3 are ``<pad> <unk> <s> </s>``, then words most frequent first."""

    def __init__(self, words: Sequence[str]):
        words = list(words)
        if tuple(words[:4]) != SPECIALS:
            words = [*SPECIALS, *[w for w in words if w not in SPECIALS]]
        self.words = words
        self._index = {w: i for i, w in enumerate(words)}

    def __len__(self) -> int:
        return len(self.words)

    def id(self, word: str) -> int:
        return self._index.get(word, 1)

    def ids(self, words: Iterable[str]) -> list[int]:
        return [self._index.get(w, 1) for w in words]

    def __contains__(self, word: str) -> bool:
        return word in self._index

    @classmethod
    def build(cls, sentences: Iterable[Sequence[str]], size: int, min_count: int = 1) -> Vocab:
        """The ``size`` most frequent words seen at least ``min_count`` times (ties alphabetical)."""
        counts: Counter = Counter()
        for s in sentences:
            counts.update(s)
        kept = sorted((w for w, c in counts.items() if c >= min_count), key=lambda w: (-counts[w], w))
        return cls(kept[: max(0, int(size) - len(SPECIALS))])


def tokenize(text: str, vocab: Vocab | None = None, max_tokens: int = MAX_TOKENS) -> WordTokens:
    """Words of ``text`` with character offsets (and vocabulary ids), the first ``max_tokens`` of them."""
    text = str(text)
    matches = list(WORD.finditer(text[:MAX_CHARS]))
    n = len(matches) + (1 if len(text) > MAX_CHARS and WORD.search(text, MAX_CHARS) else 0)
    kept = matches[:max_tokens]
    words = tuple(m.group().lower() for m in kept)
    ids = vocab.ids(words) if vocab is not None else [1] * len(words)
    return WordTokens(ids, [(m.start(), m.end()) for m in kept], n, words)


def char_ids(word: str, width: int = MAX_WORD_CHARS) -> list[int]:
    """``width`` character ids: begin mark, the word's UTF-8 bytes (cut), end mark, padding."""
    body = [3 + b for b in word.encode("utf-8")[: width - 2]]
    out = [CHAR_BOW, *body, CHAR_EOW]
    return out + [CHAR_PAD] * (width - len(out))


def bigrams(words: Sequence[str]) -> list[str]:
    """Adjacent word pairs (``"dog bites"``, ``"bites man"``)."""
    return [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]

"""Tokenised sentences for the transformer encoders, with the work per text bounded however long it is.

A text is cut to ``max_chars`` characters (``max_length`` x :data:`CHARS_PER_TOKEN`), then tokenised with
the tokenizer's own truncation (``Tokenizer.enable_truncation``): ``[CLS]`` + the first pieces + ``[SEP]``,
the pieces past ``max_length`` only counted (``Encoding.overflowing``). A 10 MB text costs what 16 KB does
(it took 1.8 GB when the whole text was tokenised before being cut).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

#: Characters read per token of ``max_length``; English averages 4-5 characters a token, so a text cut at
#: 64 a token still fills ``max_length`` unless it is mostly white space or words longer than 64 letters.
CHARS_PER_TOKEN = 64
_NON_SPACE = re.compile(r"\S")


@dataclass(frozen=True)
class Tokenized:
    """Token ids and character offsets of one sentence (special tokens included, already truncated)."""

    ids: list[int]
    offsets: list[tuple[int, int]]
    n_tokens: int  # length before truncation (special tokens included); a lower bound past the character cut

    @property
    def truncated(self) -> bool:
        return self.n_tokens > len(self.ids)


def tokenize(tokenizer: Any, texts: Sequence[str], max_chars: int) -> list[Tokenized]:
    """Tokenise ``texts`` with ``tokenizer`` (a ``tokenizers.Tokenizer`` with truncation enabled).

    Each text is read up to ``max_chars`` characters. ``n_tokens`` counts the tokens of what was read,
    truncated ones included, plus one when the text goes on (not just with white space) past the cut, so
    ``truncated`` is true for every text that was not read to its end.
    """
    specials = tokenizer.num_special_tokens_to_add(is_pair=False)
    texts = [str(t) for t in texts]
    out = []
    for text, enc in zip(texts, tokenizer.encode_batch([t[:max_chars] for t in texts]), strict=True):
        n = len(enc.ids) + sum(len(o.ids) - specials for o in enc.overflowing)
        if len(text) > max_chars and _NON_SPACE.search(text, max_chars):
            n += 1
        out.append(Tokenized(list(enc.ids), [tuple(o) for o in enc.offsets], n))
    return out

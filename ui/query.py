"""The Neighbours page's one computation: a word or an expression in, ranked neighbours out (no Streamlit)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from embedlab.neighbours import most_similar, parse_expression
from embedlab.space import EmbeddingSpace

ANALOGY_METHODS = {"3cosadd": "3CosAdd (b - a + c)", "3cosmul": "3CosMul (Levy & Goldberg)"}


@dataclass
class QueryResult:
    """What a query asked (resolved keys) and what came back, best first."""

    text: str
    positive: list[str]
    negative: list[str]
    results: list[tuple[str, float]] = field(default_factory=list)
    method: str = "3cosadd"

    @property
    def analogy(self) -> tuple[str, str, str, str] | None:
        """``(a, b, c, d)`` for ``b - a + c`` (``king - man + woman``: man, king, woman, queen), else None."""
        if len(self.positive) == 2 and len(self.negative) == 1 and self.results:
            b, c = self.positive
            return self.negative[0], b, c, self.results[0][0]
        return None

    @property
    def single(self) -> str | None:
        """The word when the query is one word, else None."""
        return self.positive[0] if len(self.positive) == 1 and not self.negative else None

    def table(self) -> pd.DataFrame:
        """Ranked results as a table: rank, word, score."""
        return pd.DataFrame({
            "rank": np.arange(1, len(self.results) + 1),
            "word": [k for k, _ in self.results],
            "score": np.array([s for _, s in self.results], dtype=np.float32),
        })


def run_query(space: EmbeddingSpace, text: str, k: int = 10, method: str = "3cosadd",
              restrict: int | None = None) -> QueryResult:
    """Parse ``text`` ("king" or "king - man + woman") and find its ``k`` nearest keys.

    Words are resolved case-insensitively; unknown words raise ``UnknownKeyError`` with suggestions.
    """
    pos, neg = parse_expression(text)
    pos = [space.resolve(w) for w in pos]
    neg = [space.resolve(w) for w in neg]
    results = most_similar(space, pos, neg, topn=k, method=method, restrict=restrict)
    return QueryResult(text, pos, neg, results, method)

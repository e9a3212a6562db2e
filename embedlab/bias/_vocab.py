"""Word-list lookups shared by the bias modules: found keys and the words that were missing."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from embedlab.errors import EmptyInputError
from embedlab.space import EmbeddingSpace


def find_key(space: EmbeddingSpace, word: str) -> str | None:
    """``word`` as it is spelled in the space (exact, then lower-case, then Title-case), else ``None``.

    Cheap on purpose (no spelling suggestions), so long lists with many unknown words stay fast.
    """
    for cand in (word, word.lower(), word.title(), word.replace(" ", "_")):
        if cand in space:
            return cand
    return None


def lookup(space: EmbeddingSpace, words: Iterable[str]) -> tuple[list[str], list[str]]:
    """Split ``words`` into (keys found in the space, in order and de-duplicated; words missing)."""
    found: list[str] = []
    missing: list[str] = []
    for w in words:
        k = find_key(space, w)
        if k is None:
            missing.append(w)
        elif k not in found:
            found.append(k)
    return found, missing


def require(space: EmbeddingSpace, words: Iterable[str], what: str, minimum: int = 1
            ) -> tuple[list[str], list[str]]:
    """Like :func:`lookup`, but raise :class:`EmptyInputError` when fewer than ``minimum`` words are found."""
    words = list(words)
    found, missing = lookup(space, words)
    if len(found) < minimum:
        shown = ", ".join(missing[:8]) + (" …" if len(missing) > 8 else "")
        raise EmptyInputError(
            f"The {what} has {len(found)} word(s) in the vocabulary of {space.name} "
            f"(need at least {minimum}); missing: {shown or 'none given'}. "
            "Use words the space knows (check spelling and case)."
        )
    return found, missing


def unit_rows(space: EmbeddingSpace, keys: list[str]) -> np.ndarray:
    """Unit vectors (float64) of ``keys``, one row each."""
    return space.normed[space.indices(keys)].astype(np.float64)

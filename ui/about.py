"""The plain-language introduction on the Home page, and its small illustrative plot."""

from __future__ import annotations

from embedlab.plots.words import labelled_scatter, pca_words
from embedlab.space import EmbeddingSpace

INTRO = """
An **embedding** turns each word (or sentence, or picture) into a list of numbers: a point in a space
with many dimensions. A computer learns these numbers by reading lots of text, and it places words that
appear in similar sentences close together. So *cat* lands near *dog*, and *Paris* near *Rome*.

Because the space has directions, differences mean something too: the step from *man* to *woman* is
roughly the same as the step from *king* to *queen*. That is why `king - man + woman` lands near
**queen**.

We cannot see 50 or 300 dimensions, so the **Map** squeezes the points onto a flat picture; some
distances get distorted on the way, and the map tells you how much. **Neighbours & analogies** measures
closeness in the full space, where nothing is squeezed.
"""

EXAMPLE_WORDS = ("king", "queen", "man", "woman", "paris", "france", "rome", "italy",
                 "cat", "dog", "horse", "apple", "banana", "orange")


def example_words(space: EmbeddingSpace, words: tuple[str, ...] = EXAMPLE_WORDS) -> list[str]:
    """The example words the space knows; empty when fewer than four are present (e.g. an image space)."""
    present = [w for w in words if w in space]
    return present if len(present) >= 4 else []


def example_figure(space: EmbeddingSpace):
    """A small labelled scatter of the example words, or ``None`` when the space lacks them."""
    words = example_words(space)
    if not words:
        return None
    return labelled_scatter(words, pca_words(space, words),
                            title=f"A few words from {space.name}, flattened to 2-D (PCA)", height=340)

"""Dictionary words → space keys: case, accents, ligatures, phrases, several translations per word.

A bilingual dictionary and a vector space rarely spell a word the same way: FreeDict writes *boeuf* where
the French vectors have *bœuf*, *Paris* where GloVe has *paris*, *New York* where word2vec has
*New_York*, and a typographic apostrophe where the other side has a straight one. :func:`match_pairs`
looks each dictionary word up, in this order:

1. the word itself;
2. a multi-word entry with ``_`` between its words (word2vec's phrases such as ``New_York``);
3. the same letters in another case (:meth:`EmbeddingSpace.find`: the most frequent such key);
4. the same letters once case, accents, ligatures (œ → oe, æ → ae), apostrophes and hyphens are folded
   (:func:`fold`): the most frequent key that folds the same.

A multi-word entry that is not a key (``peau de vache``) is **skipped** and counted, not averaged: a
translation retrieves one key of the target space, so an averaged phrase could never be retrieved, and an
average of its words (``peau``, ``de``, ``vache``) is another meaning. A word with several translations
keeps every pair (precision counts a hit on any of them); pairs that become the same key pair are kept
once and counted.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from embedlab.compare.mapping import Pair
from embedlab.space import EmbeddingSpace

LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
                           "\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u2010": "-",
                           "\u2011": "-", "\u2013": "-"})
SHOW = 5  # unmatched pairs named in a message


def fold(word: str) -> str:
    """``word`` without case, accents, ligatures or typographic apostrophes and hyphens (``Bœuf`` → ``boeuf``,
    ``l’été`` → ``l'ete``): how two spellings of one word are recognised."""
    text = unicodedata.normalize("NFKD", word.casefold().translate(LIGATURES))
    return "".join(c for c in text if not unicodedata.combining(c))


class KeyFinder:
    """Finds the key of a space that a dictionary word stands for (see the module's four steps)."""

    def __init__(self, space: EmbeddingSpace) -> None:
        self.space = space

    @cached_property
    def _folded(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for k in self.space.keys:  # row order: the most frequent key of a folded form wins
            out.setdefault(fold(k), k)
        return out

    def find(self, word: str) -> tuple[str | None, str]:
        """``(key, how)``: how is ``"exact"``, ``"phrase"``, ``"case"``, ``"folded"``, or ``"multiword"`` /
        ``"missing"`` with no key."""
        word = " ".join(str(word).split())
        if word in self.space:
            return word, "exact"
        phrase = word.replace(" ", "_")
        if " " in word and phrase in self.space:
            return phrase, "phrase"
        if " " in word:
            return None, "multiword"
        key = self.space.find(word)
        if key is not None:
            return key, "case"
        key = self._folded.get(fold(word))
        return (key, "folded") if key is not None else (None, "missing")


@dataclass
class PairMatch:
    """What :func:`match_pairs` made of a dictionary: the key pairs and what happened to the rest."""

    pairs: list[Pair]
    given: int
    multiword: int = 0  # pairs skipped: a side is a multi-word entry that is not a key
    missing_source: int = 0  # pairs skipped: the source word is not in the source space
    missing_target: int = 0  # pairs skipped: the target word is not in the target space
    duplicates: int = 0  # pairs that became a key pair already kept
    respelt: int = 0  # pairs kept once case, accents or ligatures were folded (or a phrase joined by _)
    examples: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        """Plain numbers for JSON and pages."""
        return {"given": self.given, "matched": len(self.pairs), "multiword_skipped": self.multiword,
                "missing_source": self.missing_source, "missing_target": self.missing_target,
                "duplicates": self.duplicates, "respelt": self.respelt, "examples": list(self.examples)}

    def message(self) -> str:
        """One sentence on what was kept and why the rest was not."""
        skipped = [f"{n:,} {what}" for n, what in (
            (self.missing_source, "with a source word not in the source space"),
            (self.missing_target, "with a target word not in the target space"),
            (self.multiword, "with a multi-word entry that is not a key (skipped, not averaged)"),
            (self.duplicates, "repeating a kept pair")) if n]
        text = f"{len(self.pairs):,} of {self.given:,} dictionary pairs matched keys of both spaces"
        if self.respelt:
            text += (f" ({self.respelt:,} after folding case, accents or ligatures, or joining a phrase "
                     "with _)")
        if skipped:
            text += "; left out: " + ", ".join(skipped)
        if self.examples:
            text += ", e.g. " + "; ".join(self.examples)
        return text + "."


def match_pairs(pairs: Iterable[Pair], source: EmbeddingSpace, target: EmbeddingSpace,
                finders: tuple[KeyFinder, KeyFinder] | None = None) -> PairMatch:
    """The key pairs a dictionary stands for, in its order, each once (see the module docstring).

    ``finders`` reuses two :class:`KeyFinder` of ``source`` and ``target`` (their folded index is built once).
    """
    fs, ft = finders or (KeyFinder(source), KeyFinder(target))
    out: dict[Pair, None] = {}
    m = PairMatch([], 0)
    for x, y in pairs:
        m.given += 1
        (kx, hx), (ky, hy) = fs.find(x), ft.find(y)
        if kx is None or ky is None:
            _count_miss(m, x, y, hx, hy, source, target)
            continue
        if (kx, ky) in out:
            m.duplicates += 1
            continue
        out[(kx, ky)] = None
        m.respelt += hx != "exact" or hy != "exact"
    m.pairs = list(out)
    return m


def _count_miss(m: PairMatch, x: str, y: str, hx: str, hy: str, source: EmbeddingSpace,
                target: EmbeddingSpace) -> None:
    if "multiword" in (hx, hy):
        m.multiword += 1
        return
    if hx == "missing":
        m.missing_source += 1
    else:
        m.missing_target += 1
    if len(m.examples) < SHOW:
        where = f"'{x}' is not in {source.name}" if hx == "missing" else f"'{y}' is not in {target.name}"
        m.examples.append(f"'{x}' → '{y}' ({where})")

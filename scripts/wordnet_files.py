"""WordNet 3.0's data files as Debian's ``wordnet-base`` installs them (``/usr/share/wordnet/data.noun`` …):
one reader for the scripts that build bundled data from them (``build_corpus.py``,
``build_wordnet_pairs.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

WORDNET = Path("/usr/share/wordnet")
PARTS = ("noun", "verb", "adj", "adv")


def synset_records(folder: Path = WORDNET, parts: Iterable[str] = PARTS
                   ) -> Iterator[tuple[str, list[str], str]]:
    """``(part of speech, the line's fields before '|', gloss)`` per synset line, in file order (the licence
    header at the top of each file skipped)."""
    for part in parts:
        with open(folder / f"data.{part}", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith("  ") or "|" not in line:
                    continue  # licence header
                head, gloss = line.split("|", 1)
                yield part, head.split(), gloss

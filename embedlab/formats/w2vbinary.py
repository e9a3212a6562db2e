"""word2vec binary files (Google's C tool and gensim): ``"n d\\n"`` then ``key<space><d float32 LE>``.

Google's tool writes a newline after each vector, gensim does not; both are read. Keys are decoded as
UTF-8 leniently (cut multibyte characters become U+FFFD, counted in a warning).
"""

from __future__ import annotations

import mmap
from pathlib import Path

import numpy as np

from embedlab.errors import FormatError
from embedlab.formats._common import Parsed
from embedlab.formats.textfmt import parse_header

_MAX_KEY = 10_000  # bytes; a longer "key" means the file is not word2vec binary


def _header(mm: mmap.mmap, path: str) -> tuple[int, int, int]:
    end = mm.find(b"\n", 0, 200)
    line = mm[: end if end >= 0 else 200].decode("ascii", errors="replace").lstrip("\ufeff")
    head = parse_header(line.replace("\ufffd", "")) if end >= 0 else None
    if head is None:
        raise FormatError(path, "does not start with a word2vec header 'count dimension' "
                                f"(found '{line[:40]}').",
                          line=1, hint="Is this a text file? Try format 'word2vec-text' or 'glove-text'.")
    if head[1] < 1:
        raise FormatError(path, f"the header says {head[1]} dimensions; expected at least 1.", line=1)
    return head[0], head[1], end + 1


def _decode(raw: bytes, bad: list[int], i: int) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        bad.append(i)
        return raw.decode("utf-8", errors="replace")


def read_binary(path: str | Path) -> Parsed:
    """Parse a word2vec binary file (float32 little-endian vectors)."""
    name = str(path)
    with open(path, "rb") as fh:
        if Path(path).stat().st_size == 0:
            raise FormatError(name, "is empty: no vectors found.")
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            return _parse(mm, name)


def _parse(mm: mmap.mmap, path: str) -> Parsed:
    n, d, pos = _header(mm, path)
    nbytes = 4 * d
    size = len(mm)
    keys: list[str] = []
    chunks: list[bytes] = []
    bad: list[int] = []
    while True:
        while pos < size and mm[pos] in (0x0A, 0x0D, 0x20):  # newline after a vector (Google layout)
            pos += 1
        if pos >= size:
            break
        sp = mm.find(b" ", pos, pos + _MAX_KEY)
        i = len(keys) + 1
        if sp < 0:
            raise FormatError(path, f"binary file truncated or corrupt at entry {i:,} (byte {pos:,}): "
                                    f"no space after a key. The header announced {n:,} entries.",
                              hint="Download or export the file again.")
        if sp + 1 + nbytes > size:
            key = _decode(mm[pos:sp], [], 0)
            raise FormatError(path, f"binary file truncated: entry {i:,} ('{key}') needs {nbytes:,} bytes of "
                                    f"vector but only {size - sp - 1:,} remain; the header announced {n:,} "
                                    "entries.", hint="Download or export the file again.")
        keys.append(_decode(mm[pos:sp], bad, i))
        chunks.append(mm[sp + 1: sp + 1 + nbytes])
        pos = sp + 1 + nbytes
    if not keys:
        raise FormatError(path, f"has a header ('{n} {d}') but no vectors.", line=1)
    vecs = np.frombuffer(b"".join(chunks), dtype="<f4").reshape(len(keys), d)
    warnings: list[str] = []
    if bad:
        warnings.append(f"{path}: {len(bad):,} key(s) hold bytes that are not valid UTF-8 (first: entry "
                        f"{bad[0]:,}, read as '{keys[bad[0] - 1]}'); those bytes became '\ufffd'.")
    if n != len(keys):
        warnings.append(f"{path}: the header announces {n:,} vectors but the file holds {len(keys):,}; "
                        f"all {len(keys):,} were read.")
    return Parsed(keys, vecs, lines=list(range(1, len(keys) + 1)), warnings=warnings,
                  info={"header": [n, d]})


def binary_bytes(keys: list[str], vectors: np.ndarray) -> bytes:
    """Serialise as word2vec binary (Google layout: newline after each vector; gensim reads it)."""
    v = np.ascontiguousarray(vectors, dtype="<f4")
    parts = [f"{len(keys)} {v.shape[1]}\n".encode()]
    for k, row in zip(keys, v, strict=False):
        parts.append(k.encode("utf-8") + b" " + row.tobytes() + b"\n")
    return b"".join(parts)

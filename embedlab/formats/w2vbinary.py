"""word2vec binary files (Google's C tool and gensim): ``"n d\\n"`` then ``key<space><d float32 LE>``.

Google's tool writes a newline after each vector, gensim does not; both are read. Keys are decoded as
UTF-8 leniently (cut multibyte characters become U+FFFD, counted in a warning); an empty key is read as
such (not merged with the next entry) and dropped with a warning. A file that is not what it claims fails
with a message rather than loading garbage: values that are not plausible float32 vectors (e.g. the bytes
of a text file, magnitudes near 1e-19) or keys that mostly do not decode (a wrong dimension in the header).
"""

from __future__ import annotations

import mmap
import re
from pathlib import Path

import numpy as np

from embedlab.errors import FormatError
from embedlab.formats._common import Parsed, parse_header
from embedlab.formats.cleaning import drop_empty_keys
from embedlab.formats.limits import check_dim

_MAX_KEY = 10_000  # bytes; a longer "key" means the file is not word2vec binary
_SAMPLE = 100_000  # values checked for plausibility
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
_HINT = ("If it is a text file, read it as word2vec-text or glove-text; otherwise download or export it "
         "again.")


def implausible(values: np.ndarray) -> str | None:
    """Why ``values`` cannot be float32 embeddings (``None`` when they can).

    Real vectors are finite with typical magnitudes between about 1e-4 and 1e2. The bytes of text read as
    float32 give magnitudes near 1e-9 (digits) or up to 1e33 (letters); a wrong layout gives NaN.
    """
    v = np.asarray(values, dtype=np.float32).ravel()
    v = v[:: max(1, v.size // _SAMPLE)]
    finite = np.isfinite(v)
    if v.size and finite.mean() < 0.5:
        return f"{(~finite).mean():.0%} of its values are NaN or infinite"
    a = np.abs(v[finite & (v != 0)])
    if not a.size:
        return None
    lo, mid, hi = np.percentile(a, [1, 50, 99])
    if not 1e-6 <= mid <= 1e6 or hi > 1e12 or lo < 1e-30:
        return (f"its values have implausible magnitudes (median {mid:.1e}, 1st-99th percentile {lo:.1e} "
                f"to {hi:.1e})")
    return None


class _Truncated(Exception):
    """The file ends inside an entry (message for the user)."""


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
    check_dim(path, head[1], f"the header '{head[0]} {head[1]}' announces", line=1)
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


def entries(buf, pos: int, d: int, n_max: int | None = None):
    """Yield ``(key bytes, start of vector)`` of the entries of ``buf`` from ``pos`` (complete ones only).

    Only newlines (and CR) between entries are skipped, as gensim does: a space there is the separator
    after an empty key. Stops at the end of ``buf`` or after ``n_max`` entries; raises ``ValueError`` naming
    the byte offset when no space follows a key within 10 kB.
    """
    size, nbytes, count = len(buf), 4 * d, 0
    while n_max is None or count < n_max:
        while pos < size and buf[pos] in (0x0A, 0x0D):  # newline after a vector (Google layout)
            pos += 1
        if pos >= size or (size - pos <= nbytes and not bytes(buf[pos:size]).strip()):
            return  # the end (trailing whitespace included)
        sp = buf.find(b" ", pos, pos + _MAX_KEY)
        if sp < 0:
            raise ValueError(pos)
        yield buf[pos:sp], sp + 1
        if sp + 1 + nbytes > size:
            return
        pos = sp + 1 + nbytes
        count += 1


def _parse(mm: mmap.mmap, path: str) -> Parsed:
    n, d, pos = _header(mm, path)
    nbytes, size = 4 * d, len(mm)
    keys: list[str] = []
    chunks: list[bytes] = []
    bad: list[int] = []
    try:
        for raw, at in entries(mm, pos, d):
            if at + nbytes > size:
                key = _decode(raw, [], 0)
                raise _Truncated(f"binary file truncated: entry {len(keys) + 1:,} ('{key}') needs {nbytes:,} "
                                 f"bytes of vector but only {size - at:,} remain; the header announced {n:,} "
                                 "entries.")
            keys.append(_decode(raw, bad, len(keys) + 1))
            chunks.append(mm[at: at + nbytes])
    except (ValueError, _Truncated) as exc:
        if keys:  # what was read so far may show that the file is not word2vec binary at all
            _sanity(keys, np.frombuffer(b"".join(chunks), dtype="<f4"), path, d)
        problem = str(exc) if isinstance(exc, _Truncated) else (
            f"binary file truncated or corrupt at entry {len(keys) + 1:,} (byte {exc.args[0]:,}): no space "
            f"after a key. The header announced {n:,} entries.")
        raise FormatError(path, problem, hint="Download or export the file again.") from None
    if not keys:
        raise FormatError(path, f"has a header ('{n} {d}') but no vectors.", line=1)
    vecs = np.frombuffer(b"".join(chunks), dtype="<f4").reshape(len(keys), d)
    _sanity(keys, vecs, path, d)
    warnings: list[str] = []
    if bad:
        warnings.append(f"{path}: {len(bad):,} key(s) hold bytes that are not valid UTF-8 (first: entry "
                        f"{bad[0]:,}, read as '{keys[bad[0] - 1]}'); those bytes became '\ufffd'.")
    if n != len(keys):
        warnings.append(f"{path}: the header announces {n:,} vectors but the file holds {len(keys):,}; "
                        f"all {len(keys):,} were read.")
    p = Parsed(keys, vecs, lines=list(range(1, len(keys) + 1)), warnings=warnings, info={"header": [n, d]})
    return drop_empty_keys(p, path, "entry")


def _sanity(keys: list[str], vecs: np.ndarray, path: str, d: int) -> None:
    """Refuse a file whose keys or values show it is not word2vec binary (or has a wrong header)."""
    why = implausible(vecs)
    head = keys[:1000]
    garbled = sum(1 for k in head if _CONTROL.search(k))  # undecodable bytes show as U+FFFD
    if why is None and len(head) >= 5 and garbled > len(head) / 2:
        why = (f"{garbled:,} of its first {len(head):,} keys are not readable text (is the header's "
               f"dimension, {d:,}, right?)")
    if why is not None:
        raise FormatError(path, f"does not hold word2vec binary vectors: {why}.", hint=_HINT)


def binary_bytes(keys: list[str], vectors: np.ndarray) -> bytes:
    """Serialise as word2vec binary (Google layout: newline after each vector; gensim reads it)."""
    v = np.ascontiguousarray(vectors, dtype="<f4")
    parts = [f"{len(keys)} {v.shape[1]}\n".encode()]
    for k, row in zip(keys, v, strict=False):
        parts.append(k.encode("utf-8") + b" " + row.tobytes() + b"\n")
    return b"".join(parts)

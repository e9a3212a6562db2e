"""Text vector files: word2vec text / fastText ``.vec`` (header ``n d``), GloVe (no header), Projector TSV.

Numbers are parsed in bulk (``np.fromstring`` on blocks of rows); only when a block fails does a
line-by-line pass run, to tolerate dirt (doubled separators, keys with spaces) and to name the exact
bad line.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from embedlab.errors import FormatError
from embedlab.formats._common import Parsed, data_lines, parse_header
from embedlab.formats.arrowtext import read_fast
from embedlab.formats.limits import check_dim
from embedlab.strings import is_number
from embedlab.uploads import decode_text

__all__ = ["parse_header", "read_text", "parse_rows", "guess_dim", "format_rows"]

BLOCK = 32_768
_WS = re.compile(r"[ \t]+")


def guess_dim(rows: list[str], sep: str, keyed: bool) -> int:
    """The most common number of values per row among the first 1000 rows."""
    counts = Counter(r.count(sep) for r in rows[:1000])
    seps = counts.most_common(1)[0][0]
    return seps if keyed else seps + 1


class _Dim:
    """Where the expected dimension came from, for error messages."""

    def __init__(self, d: int, header_line: int | None):
        self.d = d
        self.header_line = header_line

    def expected(self) -> str:
        if self.header_line is not None:
            return f"the header on line {self.header_line} says {self.d}"
        return f"most rows have {self.d}"


def _split(s: str, sep: str) -> list[str]:
    toks = s.split("\t") if sep == "\t" else _WS.split(s)
    return [t.strip(" ") for t in toks if t.strip(" ")]


def _slow_row(s: str, num: int, dim: _Dim, sep: str, keyed: bool, path: str) -> tuple[str, list[float], bool]:
    """Parse one row strictly; returns ``(key, values, key_had_spaces)`` or raises naming the line."""
    toks = _split(s, sep)
    d = dim.d
    key, spaced = "", False
    if keyed:
        if len(toks) - 1 > d and not any(is_number(t) for t in toks[1:len(toks) - d]):
            key, vals, spaced = " ".join(toks[:len(toks) - d]), toks[len(toks) - d:], True
        else:
            key, vals = toks[0], toks[1:]
    else:
        vals = toks
    if len(vals) != d:
        who = f" after the key '{key}'" if keyed else ""
        raise FormatError(path, f"wrong dimension (ragged row): expected {d} values{who} ({dim.expected()}), "
                                f"got {len(vals)}.", line=num,
                          hint="Every row needs the same number of values; fix or delete this row.")
    out: list[float] = []
    for j, t in enumerate(vals):
        try:
            out.append(float(t))
        except ValueError:
            col = j + 2 if keyed else j + 1
            raise FormatError(path, f"non-numeric value '{t}' in column {col} (expected a number such as "
                                    "0.25).", line=num,
                              hint="Check the separator and the decimal point ('.' not ',').") from None
    return key, out, spaced


def _fast_block(rows: list[str], d: int, sep: str, keyed: bool) -> tuple[list[str], np.ndarray] | None:
    """Bulk-parse a block of clean rows; ``None`` when anything looks off (the slow pass then decides)."""
    if keyed:
        keys, rests = [], []
        for s in rows:
            k, _, r = s.partition(sep)
            keys.append(k)
            rests.append(r)
    else:
        keys, rests = [], rows
    want = d - 1
    if any(r.count(sep) != want for r in rests) or (keyed and not all(keys)):
        return None
    try:
        arr = np.fromstring(sep.join(rests), dtype=np.float32, sep=sep)
    except ValueError:
        return None
    if arr.size != len(rows) * d:
        return None
    return keys, arr.reshape(len(rows), d)


def parse_rows(rows: list[str], nums: list[int], dim: _Dim, sep: str, keyed: bool, path: str,
               warnings: list[str]) -> tuple[list[str], np.ndarray]:
    """Keys and the (n, d) matrix of data rows (fast bulk path per block, strict pass on failure)."""
    keys: list[str] = []
    out = np.empty((len(rows), dim.d), dtype=np.float32)
    spaced: list[int] = []
    for start in range(0, len(rows), BLOCK):
        blk = rows[start:start + BLOCK]
        fast = _fast_block(blk, dim.d, sep, keyed)
        if fast is not None:
            keys.extend(fast[0])
            out[start:start + len(blk)] = fast[1]
            continue
        for i, s in enumerate(blk, start):
            k, vals, sp = _slow_row(s, nums[i], dim, sep, keyed, path)
            keys.append(k)
            out[i] = vals
            if sp:
                spaced.append(i)
    if spaced:
        i = spaced[0]
        warnings.append(f"{len(spaced):,} key(s) contain spaces and were kept whole "
                        f"(first: '{keys[i]}' on line {nums[i]}).")
    return keys, out


def _count_warning(path: str, header: tuple[int, int] | None, line: int | None, n: int) -> list[str]:
    if header and header[0] != n:
        return [f"{path}: the header on line {line} announces {header[0]:,} vectors but the file holds "
                f"{n:,}; all {n:,} were read."]
    return []


def read_text(data: bytes, path: str, fmt: str) -> Parsed:
    """Parse a text vectors file: word2vec-text, fasttext-vec, glove-text or projector-tsv."""
    keyed, has_header = fmt != "projector-tsv", fmt in ("word2vec-text", "fasttext-vec")
    fast = read_fast(data, keyed, has_header)
    if fast is None:
        return _read_slow(data, path, fmt)
    keys, vecs, header = fast
    info: dict = {"header": list(header) if header else None}
    if keys is None:
        keys, info["keys_from"] = [str(i) for i in range(len(vecs))], "row numbers"
    p = Parsed(keys, vecs, warnings=_count_warning(path, header, 1, len(keys)), info=info)
    if len(set(keys)) != len(keys):  # line numbers, only to name duplicates
        p.lines = data_lines(decode_text(path, data).text)[1][1 if header else 0:]
    return p


def _read_slow(data: bytes, path: str, fmt: str) -> Parsed:
    """The tolerant line-by-line reader (dirty files, and to name the exact bad line)."""
    text, note = decode_text(path, data)
    warnings = [note] if note else []
    rows, nums = data_lines(text)
    if not rows:
        raise FormatError(path, "is empty: no vectors found.", hint="Check that you picked the right file.")
    header, header_line = None, None
    if fmt in ("word2vec-text", "fasttext-vec"):
        header = parse_header(rows[0])
        if header is None:
            warnings.append(f"{path}: line {nums[0]} is not a 'count dimension' header; read as GloVe text.")
        else:
            header_line = nums[0]
            rows, nums = rows[1:], nums[1:]
            if not rows:
                raise FormatError(path, f"has a header ('{header[0]} {header[1]}') but no vectors.",
                                  line=header_line)
    keyed = fmt != "projector-tsv"
    sep = "\t" if "\t" in rows[0] else " "
    dim = _dimension(rows, nums, sep, keyed, header, header_line, path)
    keys, vecs = parse_rows(rows, nums, dim, sep, keyed, path, warnings)
    warnings += _count_warning(path, header, header_line, len(keys))
    info = {"header": list(header) if header else None}
    if not keyed:
        keys, info["keys_from"] = [str(i) for i in range(len(rows))], "row numbers"
    return Parsed(keys, vecs, lines=nums, warnings=warnings, info=info)


def _dimension(rows: list[str], nums: list[int], sep: str, keyed: bool, header: tuple[int, int] | None,
               header_line: int | None, path: str) -> _Dim:
    """The dimension every row must have; a header that no row agrees with gets its own message."""
    seen = guess_dim(rows, sep, keyed)
    if header is None:
        check_dim(path, seen, f"its rows (from line {nums[0]}) hold")
        if seen < 1:
            raise FormatError(path, f"rows need at least one value; found {seen}.", line=nums[0])
        return _Dim(seen, None)
    d = header[1]
    if d < 1:
        raise FormatError(path, f"the header '{header[0]} {d}' says {d} dimensions; expected at least 1.",
                          line=header_line)
    check_dim(path, d, f"the header '{header[0]} {d}' announces", line=header_line)
    if seen != d and not _fits(rows[:1000], d, sep, keyed):
        who = "values after their key" if keyed else "values"
        raise FormatError(path, f"the header '{header[0]} {d}' announces {d:,} dimensions, but the rows hold "
                                f"{seen:,} {who} (line {nums[0]} and most others).", line=header_line,
                          hint="Correct the header's second number (or delete the header line).")
    return _Dim(d, header_line)


def _fits(rows: list[str], d: int, sep: str, keyed: bool) -> bool:
    """True when some row (of the first thousand) has ``d`` values, so the header may well be right."""
    want = d if keyed else d - 1
    return any(r.count(sep) == want or len(_split(r, sep)) == want + 1 for r in rows)


def format_rows(vectors: np.ndarray, sep: str, keys: list[str] | None = None) -> str:
    """Rows of ``%.9g`` numbers (exact float32 round trip), optionally prefixed by their key."""
    d = vectors.shape[1]
    fmt = sep.join(["%.9g"] * d)
    vals = vectors.astype(np.float64).tolist()
    if keys is None:
        return "".join(fmt % tuple(v) + "\n" for v in vals)
    return "".join(f"{k}{sep}" + fmt % tuple(v) + "\n" for k, v in zip(keys, vals, strict=False))

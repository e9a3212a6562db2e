"""Format detection by content (the file name only breaks ties between identical layouts).

* ``\\x93NUMPY`` → npy; a zip (``PK``) → npz; ``PAR1`` → parquet.
* First line ``count dimension``: one of the next lines decodes as text with a key and ``dimension``
  numbers → word2vec-text (reported as fasttext-vec for a ``.vec`` file: the layouts are identical). Else,
  when the first entries read as binary give plausible float32 vectors → word2vec-binary. Else text rows of
  a key and values (a header that disagrees with them, or a row with one bad byte) → word2vec-text, so the
  text reader names the line; bytes that are not text → word2vec-binary (its reader says what is wrong).
  One bad byte never turns a text file into binary garbage.
* No header, tab-separated and every field numeric (or a single number per line) → projector-tsv.
* No header, a key followed by numbers → glove-text. The first token is always the key, so numeric keys
  such as ``1.5`` or ``-`` do not confuse detection.
* A folder holding a spaCy vocab (``vectors``, ``key2row``, ``strings.json``) → spacy.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from embedlab.errors import FormatError
from embedlab.formats._common import BOM, parse_header
from embedlab.formats.w2vbinary import entries, implausible
from embedlab.strings import is_number

FORMATS = ("word2vec-text", "word2vec-binary", "glove-text", "fasttext-vec", "projector-tsv", "npy", "npz",
           "parquet", "spacy")
SNIFF_BYTES = 65_536
FASTTEXT_MAGIC = (793712314).to_bytes(4, "little")


def _text_lines(chunk: bytes, limit: int = 20) -> list[str] | None:
    """Up to ``limit`` complete non-blank lines of ``chunk`` if it decodes as text, else ``None``.

    A few stray bytes (invalid UTF-8, NUL) are tolerated: the reader then names them.
    """
    text = chunk.decode("utf-8", errors="replace")
    if text.count("\ufffd") + text.count("\x00") > max(2, len(text) // 100):
        return None
    lines = text.split("\n")
    if len(lines) > 1 and not text.endswith("\n"):
        lines = lines[:-1]  # the last one may be cut
    return [ln.rstrip(" \t\r") for ln in lines if ln.strip(" \t\r")][:limit]


def _is_text_row(line: str, d: int) -> bool:
    toks = [t for t in line.replace("\t", " ").split(" ") if t]
    return len(toks) >= d + 1 and all(is_number(t) for t in toks[-d:])


def _values_after_key(line: str) -> int:
    return len([t for t in line.replace("\t", " ").split(" ") if t]) - 1


def _binary_plausible(rest: bytes, d: int) -> bool:
    """True when the first entries of ``rest``, read as word2vec binary, hold plausible float32 vectors."""
    try:
        found = list(entries(rest, 0, d, n_max=50))
    except ValueError:
        return False
    if not found:
        return False
    first = found[0][1]
    vals = [rest[at: at + 4 * d] for _, at in found]
    raw = b"".join(v for v in vals if len(v) == 4 * d) or rest[first: first + (len(rest) - first) // 4 * 4]
    return bool(raw) and implausible(np.frombuffer(raw, dtype="<f4")) is None


def _after_header(rest: bytes, d: int) -> str | None:
    """word2vec-text or -binary after a ``count dimension`` line; ``None`` when it was data, not a header."""
    decoded = rest.decode("utf-8", errors="replace").split("\n")  # lenient: Latin-1 keys stay text rows
    if any(_is_text_row(ln.rstrip(" \t\r"), d) for ln in decoded[:20]):
        return "word2vec-text"
    if _binary_plausible(rest, d):
        return "word2vec-binary"
    lines = _text_lines(rest)
    if lines is None:
        return "word2vec-binary"  # not text: the binary reader says what is wrong with it
    if not lines:
        return None
    widths = [_values_after_key(ln) for ln in lines]
    # rows of a key and values: with d values (one bad byte), or all as wide (the header is wrong); rows of
    # one value mean the first line was a GloVe row like the others
    if d in widths or (min(widths) == max(widths) > 1 and is_number(lines[0].split()[-1])):
        return "word2vec-text"
    return None


def sniff(head: bytes, name: str = "file") -> str:
    """The format of a file whose first bytes are ``head``; raises :class:`FormatError` if unknown."""
    if head.startswith(b"\x93NUMPY"):
        return "npy"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "npz"
    if head.startswith(b"PAR1"):
        return "parquet"
    body = head[len(BOM):] if head.startswith(BOM) else head
    if not body.strip():
        raise FormatError(name, "is empty: no vectors found.")
    first, _, rest = body.lstrip(b"\r\n \t").partition(b"\n")
    header = parse_header(first.decode("ascii", errors="replace"))
    if header is not None and header[1] >= 1:
        fmt = _after_header(rest.lstrip(b"\r\n"), header[1]) if rest.strip() else "word2vec-text"
        if fmt == "word2vec-text" and name.lower().endswith(".vec"):
            return "fasttext-vec"
        if fmt is not None:
            return fmt
    lines = _text_lines(body)
    if lines:
        fields = lines[0].split("\t")
        if all(is_number(f) for f in fields) and ("\t" in lines[0] or " " not in lines[0]):
            return "projector-tsv"
        toks = [t for t in lines[0].replace("\t", " ").split(" ") if t]
        if len(toks) >= 2 and is_number(toks[-1]):
            return "glove-text"
    if head.startswith(FASTTEXT_MAGIC):
        raise FormatError(name, "is a fastText model (.bin), not a vectors file.",
                          hint="Export its vectors as text (fastText's .vec, or gensim's "
                               "model.wv.save_word2vec_format) and load that.")
    if head[:1] == b"\x80":
        raise FormatError(name, "looks like a Python pickle (e.g. a gensim .model); embedlab never unpickles "
                                "uploaded files.",
                          hint="Export it with kv.save_word2vec_format(path, binary=True) and load that.")
    raise FormatError(name, "is not a vectors file embedlab recognises.",
                      hint=f"Supported formats: {', '.join(FORMATS)}. A text file needs one key and its "
                           "numbers per line (or a 'count dimension' header first).")


def detect(path: str | Path) -> str:
    """Detect the format of the file at ``path`` by its content; one of :data:`FORMATS`.

    A folder is ``spacy`` when it holds a spaCy vocab (see :mod:`~embedlab.formats.spacyfmt`).
    """
    p = Path(path)
    if p.is_dir():
        from embedlab.formats.spacyfmt import is_spacy_folder

        if is_spacy_folder(p):
            return "spacy"
    if not p.is_file():
        raise FormatError(str(p), "does not exist or is not a file.", hint="Check the path.")
    with open(p, "rb") as fh:
        head = fh.read(SNIFF_BYTES)
    return sniff(head, str(p))

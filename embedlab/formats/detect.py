"""Format detection by content (the file name only breaks ties between identical layouts).

* ``\\x93NUMPY`` → npy; a zip (``PK``) → npz; ``PAR1`` → parquet.
* First line ``count dimension``: the next line decodes as text with a key and ``dimension`` numbers →
  word2vec-text (reported as fasttext-vec for a ``.vec`` file: the layouts are identical); otherwise
  word2vec-binary.
* No header, tab-separated and every field numeric (or a single number per line) → projector-tsv.
* No header, a key followed by numbers → glove-text. The first token is always the key, so numeric keys
  such as ``1.5`` or ``-`` do not confuse detection.
"""

from __future__ import annotations

from pathlib import Path

from embedlab.errors import FormatError
from embedlab.formats._common import BOM, is_number
from embedlab.formats.textfmt import parse_header

FORMATS = ("word2vec-text", "word2vec-binary", "glove-text", "fasttext-vec", "projector-tsv", "npy", "npz",
           "parquet")
SNIFF_BYTES = 65_536
FASTTEXT_MAGIC = (793712314).to_bytes(4, "little")


def _text_lines(chunk: bytes, limit: int = 20) -> list[str] | None:
    """Up to ``limit`` complete non-blank lines of ``chunk`` if it decodes as text, else ``None``."""
    if b"\x00" in chunk:
        return None
    text = chunk.decode("utf-8", errors="replace")
    if text.count("\ufffd") > max(2, len(text) // 100):
        return None
    lines = text.split("\n")
    if len(lines) > 1 and not text.endswith("\n"):
        lines = lines[:-1]  # the last one may be cut
    return [ln.rstrip(" \t\r") for ln in lines if ln.strip(" \t\r")][:limit]


def _is_text_row(line: str, d: int) -> bool:
    toks = [t for t in line.replace("\t", " ").split(" ") if t]
    return len(toks) >= d + 1 and all(is_number(t) for t in toks[-d:])


def _after_header(rest: bytes, d: int) -> str | None:
    """word2vec-text or -binary after a ``count dimension`` line; ``None`` when it was data, not a header.

    Text: the next line is a key and ``d`` numbers. Binary: otherwise, when the next 4 kB hold bytes that
    are not UTF-8 text (float32 data almost always does).
    """
    line = rest.split(b"\n", 1)[0].decode("utf-8", errors="replace").rstrip(" \t\r")
    if _is_text_row(line, d):
        return "word2vec-text"
    chunk = rest[:4096].decode("utf-8", errors="replace")[:-2]
    if "\ufffd" in chunk or any(ord(c) < 32 and c not in "\t\r\n" for c in chunk):
        return "word2vec-binary"
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
    """Detect the format of the file at ``path`` by its content; one of :data:`FORMATS`."""
    p = Path(path)
    if not p.is_file():
        raise FormatError(str(p), "does not exist or is not a file.", hint="Check the path.")
    with open(p, "rb") as fh:
        head = fh.read(SNIFF_BYTES)
    return sniff(head, str(p))

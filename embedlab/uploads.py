"""Untrusted uploads: size limits, text decoding and safe zip reading (no path escapes, no zip bombs).

Both the corpus uploader (training) and the image uploader use these; readers of vector files use
:func:`check_size`; readers of CSV text use :func:`csv_rows` / :func:`csv_records`; what must be text
(a document to summarise) is checked by :func:`require_text`.

Text files
----------
Every reader of a user's text file (vectors in text formats and their label files, training corpora,
labelled CSVs, sentence and sense files, seed dictionaries, edge lists, word lists, baskets, documents to
summarise, time slices, evaluation sets) turns its bytes into text with :func:`decode_text`, one policy:

1. UTF-16 with a byte-order mark (what Windows Notepad calls "Unicode") is read as UTF-16, with a note.
2. UTF-8 is read as UTF-8; a byte-order mark is dropped. No note.
3. Bytes that are not UTF-8:

   * in a file that also holds valid UTF-8 characters beyond ASCII, the file is UTF-8 with a few damaged
     bytes (a cut multi-byte character, a stray byte): those become U+FFFD, with a note that counts them
     and names the first line. Re-reading the whole file as another encoding would garble every other
     non-ASCII character in it.
   * otherwise it is a legacy Windows file (Excel's "CSV" is one): it is read as Windows-1252 (Western
     European; a superset of Latin-1's letters), with a note saying so. Bytes Windows-1252 leaves undefined
     are refused (:class:`EncodingError`): the file is in some other encoding.

4. Binary data is refused (:class:`BinaryFileError`): a PDF, zip (Word, Excel), PNG, JPEG or GIF
   signature, a NUL byte, or too many undecodable bytes and control codes (:func:`not_text`).

The note is one sentence for people; readers that report notes pass it on (vector readers' warnings,
corpus notes, labelled-CSV notes, sentence notes, graph notes, the CLI). A file that is streamed line by
line rather than read whole (``embedlab batch`` inputs) must be UTF-8.
"""

from __future__ import annotations

import csv
import io
import re
import threading
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import NamedTuple

from embedlab.errors import (
    EmbedlabError,
    EmptyInputError,
    FormatError,
    InputTooLargeError,
    InvalidParameterError,
)

MB = 1024 * 1024


class UnsafeArchiveError(EmbedlabError):
    """A zip archive tries to escape its folder, or is not a zip at all."""


@dataclass
class ZipContents:
    """Files read from a zip: ``(relative posix path, bytes)`` pairs, plus what was skipped and why."""

    files: list[tuple[str, bytes]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


#: Files one uploader takes in one go. Browsers send each file as its own request: 2,000 pictures at once
#: ended in network errors and an uploader that no longer worked. More files travel as one zip.
MAX_FILES_AT_ONCE = 100


def check_file_count(n: int, limit: int = MAX_FILES_AT_ONCE, more: str = "Put them in one .zip and upload "
                     "that instead.") -> None:
    """Raise :class:`InputTooLargeError` when ``n`` files were picked at once, more than ``limit``."""
    if n > limit:
        raise InputTooLargeError(f"{n:,} files were picked at once; the uploader takes at most {limit:,} "
                                 f"at a time. {more}")


def check_size(name: str, size: int, limit: int) -> None:
    """Raise :class:`InputTooLargeError` when ``size`` bytes exceed ``limit``."""
    if size > limit:
        raise InputTooLargeError(
            f"'{name}' is {size / MB:,.1f} MB; the limit is {limit / MB:,.0f} MB. "
            "Upload a smaller file (e.g. fewer words or a subset), or load it from the CLI / a notebook."
        )


NOT_TEXT_SHARE = 0.05  # more than this share of U+FFFD / control characters: binary data, not text
NOT_TEXT_COUNT = 3  # ... and at least this many: one stray control character is a typo, not a program
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")  # tab, newline, FF and CR are text
_SAMPLE = 65_536


def not_text(text: str) -> str | None:
    """Why ``text`` (decoded with ``errors="replace"``) is binary data rather than text, or ``None``.

    Binary data has NUL characters (programs, images, Office files, archives) or, decoded as UTF-8, is
    mostly replacement characters and control codes (compressed or random bytes). Text in a legacy
    encoding has a few replaced characters at most (accented letters), well under :data:`NOT_TEXT_SHARE`.
    The first 64 K characters are counted, and :data:`NOT_TEXT_COUNT` NULs anywhere are binary. A stray
    control character or two (even a NUL) in a short text is not proof: readers with a rule about them
    say so naming the line (node ids in edge lists) or clean them with a warning (keys of vectors).
    """
    nuls = text.count("\x00")
    sample = text[:_SAMPLE]
    bad = len(_NOT_TEXT.findall(sample))
    if nuls < NOT_TEXT_COUNT and (bad < NOT_TEXT_COUNT or bad <= NOT_TEXT_SHARE * len(sample)):
        return None
    if nuls:
        return "it has NUL bytes, as programs, images, PDFs and archives do"
    return f"{bad / len(sample):.0%} of its characters are undecodable bytes or control codes"


def require_text(text: str, source: str) -> str:
    """``text`` when it is text (:func:`not_text`), else an :class:`InvalidParameterError` naming ``source``
    (a file name, or e.g. "The pasted text")."""
    why = not_text(text)
    if why:
        raise InvalidParameterError(f"{source} is binary data, not text ({why}). Give plain text: a .txt "
                                    "file saved as UTF-8, or paste the text itself.")
    return text


class TextFileError(FormatError):
    """A file meant to be text cannot be read as text: ``'name' problem hint`` (the name quoted, as the
    other upload errors say it)."""

    def __init__(self, name: str, problem: str, hint: str) -> None:
        self.path, self.line, self.problem = name, None, problem
        EmbedlabError.__init__(self, f"'{name}' {problem} {hint}")


class BinaryFileError(TextFileError):
    """An upload meant to be text is binary data (a PDF, an image, an archive, a Word document)."""

    def __init__(self, name: str, why: str) -> None:
        super().__init__(name, f"is a binary file, not text ({why}).",
                         "Give a plain text file (saved as UTF-8) instead.")


class EncodingError(TextFileError):
    """An upload is neither UTF-8 nor Windows-1252 text."""


class Decoded(NamedTuple):
    """Text decoded by :func:`decode_text`, and a sentence for people when it was not plain UTF-8."""

    text: str
    note: str | None


_SIGNATURES = {b"%PDF": "PDF", b"PK\x03\x04": "zip (Word, Excel, archive)", b"\x89PNG": "PNG image",
               b"\xff\xd8\xff": "JPEG image", b"GIF8": "GIF image"}
_BEYOND_ASCII = re.compile("[^\x00-\x7f\ufffd]")


def decode_text(name: str, data: bytes) -> Decoded:
    """``data`` (an upload or a file called ``name``) as text, by the one policy of the module docstring.

    Returns
    -------
    Decoded
        ``(text, note)``; ``note`` is ``None`` for UTF-8, else one sentence saying how it was read.

    Raises
    ------
    BinaryFileError
        Binary data (a file signature, NUL bytes, mostly undecodable bytes or control codes).
    EncodingError
        Neither UTF-8 nor Windows-1252.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _checked(name, Decoded(data.decode("utf-16"), f"'{name}' is UTF-16; read it as such."))
        except UnicodeDecodeError:
            pass
    kind = next((k for sig, k in _SIGNATURES.items() if data.startswith(sig)), None)
    if kind:
        raise BinaryFileError(name, f"it starts like a {kind}")
    try:
        return _checked(name, Decoded(data.decode("utf-8-sig"), None))
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
    text = data.decode("utf-8-sig", errors="replace")
    if _BEYOND_ASCII.search(text):
        bad = text.count("\ufffd")
        note = (f"'{name}': {bad:,} byte sequence(s) are not valid UTF-8 (first on line {line:,}); they were "
                "replaced with '\ufffd'.")
        return _checked(name, Decoded(text, note))
    text = data.decode("cp1252", errors="replace")  # U+FFFD: a byte Windows-1252 leaves undefined
    _checked(name, Decoded(text.replace("\ufffd", ""), None))  # binary data (control codes) is told as such
    if "\ufffd" in text:
        raise EncodingError(name, f"is not UTF-8 (first bad byte on line {line:,}) and not Windows-1252 "
                            f"either (byte {text.index(chr(0xFFFD)):,}).",
                            "Save it as UTF-8 text (in most editors: Save as → Encoding: UTF-8) and read it "
                            "again.")
    return Decoded(text, f"'{name}' is not valid UTF-8 (first bad byte on line {line:,}); read it as "
                         "Windows-1252 (Western European). If accented letters look wrong, save it as UTF-8 "
                         "and read it again.")


def _checked(name: str, decoded: Decoded) -> Decoded:
    why = not_text(decoded.text)
    if why:
        raise BinaryFileError(name, why)
    return decoded


_CSV_LIMIT = threading.Lock()


def _allow_cells_of(text: str) -> None:
    """Let :mod:`csv` read a cell as long as ``text`` itself.

    The module's own limit (131,072 characters a cell, process-wide) is a second, arbitrary bound below the
    one that matters: the caller checked the size of the whole upload (:func:`check_size`) before decoding
    it, and no cell is longer than its file. A long document in one cell is a fair thing to classify or
    search, so the limit is raised to the text's length instead of refusing the file. It only ever goes
    up (under a lock: sessions read in threads), and never past the largest upload accepted.
    """
    with _CSV_LIMIT:
        if len(text) > csv.field_size_limit():
            csv.field_size_limit(len(text))


def csv_rows(text: str, delimiter: str = ",") -> Iterator[list[str]]:
    """``csv.reader`` over ``text`` (an upload already size-checked) that accepts cells of any length."""
    _allow_cells_of(text)
    return csv.reader(io.StringIO(text), delimiter=delimiter)


def csv_records(text: str, delimiter: str = ",") -> csv.DictReader:
    """``csv.DictReader`` (first row: the header) over ``text``, accepting cells of any length."""
    _allow_cells_of(text)
    return csv.DictReader(io.StringIO(text), delimiter=delimiter)


def _safe_member_path(name: str) -> str | None:
    """Normalised relative path of a member, or None if it would escape the archive's folder."""
    p = PurePosixPath(name.replace("\\", "/"))
    if p.is_absolute() or any(part == ".." for part in p.parts) or (p.parts and ":" in p.parts[0]):
        return None
    return str(p)


def read_zip(
    data: bytes,
    archive_name: str = "upload.zip",
    max_files: int = 5000,
    max_total_bytes: int = 500 * MB,
    suffixes: tuple[str, ...] | None = None,
) -> ZipContents:
    """Read the regular files of a zip held in memory, refusing unsafe archives.

    Parameters
    ----------
    data : bytes
        The archive.
    max_files : int
        Refuse archives with more regular files than this.
    max_total_bytes : int
        Refuse archives whose members inflate past this many bytes in total (checked from the
        headers first, then enforced while reading, so a lying header cannot get past it).
    suffixes : tuple of str, optional
        Lower-case suffixes to keep (others are listed in ``skipped``); ``None`` keeps everything.

    Raises
    ------
    UnsafeArchiveError
        Not a zip, or a member path escapes the folder (``../x``, ``/etc/x``).
    InputTooLargeError
        Too many files or too many inflated bytes.
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnsafeArchiveError(f"'{archive_name}' is not a readable zip archive ({exc}).") from None
    infos = [i for i in zf.infolist() if not i.is_dir()]
    bad = [i.filename for i in infos if _safe_member_path(i.filename) is None]
    if bad:
        raise UnsafeArchiveError(
            f"'{archive_name}' contains paths that escape its folder ({', '.join(bad[:3])}); "
            "nothing was extracted. Re-create the zip from inside the folder."
        )
    infos = [i for i in infos if not PurePosixPath(i.filename).name.startswith(".")
             and "__MACOSX" not in i.filename]
    if len(infos) > max_files:
        raise InputTooLargeError(
            f"'{archive_name}' holds {len(infos):,} files; the limit is {max_files:,}. "
            "Split it into smaller zips."
        )
    declared = sum(i.file_size for i in infos)
    if declared > max_total_bytes:
        raise InputTooLargeError(
            f"'{archive_name}' would inflate to {declared / MB:,.0f} MB; the limit is "
            f"{max_total_bytes / MB:,.0f} MB. Upload fewer or smaller files."
        )
    out = ZipContents()
    total = 0
    for info in infos:
        path = _safe_member_path(info.filename)
        assert path is not None
        if suffixes is not None and PurePosixPath(path).suffix.lower() not in suffixes:
            out.skipped.append((path, "unsupported file type"))
            continue
        try:
            with zf.open(info) as fh:
                chunk = fh.read(max_total_bytes - total + 1)
        except (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, EOFError, OSError) as exc:
            raise UnsafeArchiveError(
                f"'{archive_name}': member '{path}' cannot be read ({exc}); it may be corrupt, encrypted or "
                "use an unsupported compression. Re-create the zip with ordinary (deflate) compression."
            ) from None
        total += len(chunk)
        if total > max_total_bytes:
            raise InputTooLargeError(
                f"'{archive_name}' inflates past {max_total_bytes / MB:,.0f} MB (its headers understate the "
                "size); refused."
            )
        out.files.append((path, chunk))
    if not out.files and not out.skipped:
        raise EmptyInputError(f"'{archive_name}' contains no files.")
    return out

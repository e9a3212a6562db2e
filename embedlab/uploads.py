"""Untrusted uploads: size limits and safe zip reading (no path escapes, no zip bombs, no pickles).

Both the corpus uploader (training) and the image uploader use these; readers of vector files use
:func:`check_size`; readers of CSV text use :func:`csv_rows` / :func:`csv_records`; what must be text
(a document to summarise) is checked by :func:`require_text`.
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

from embedlab.errors import EmbedlabError, EmptyInputError, InputTooLargeError, InvalidParameterError

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
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")  # tab, newline, FF and CR are text
_SAMPLE = 65_536


def not_text(text: str) -> str | None:
    """Why ``text`` (decoded with ``errors="replace"``) is binary data rather than text, or ``None``.

    Binary data has NUL characters (programs, images, Office files, archives) or, decoded as UTF-8, is
    mostly replacement characters and control codes (compressed or random bytes). Text in a legacy
    encoding has a few replaced characters at most (accented letters), well under :data:`NOT_TEXT_SHARE`.
    The first 64 K characters are counted; a NUL anywhere counts.
    """
    if "\x00" in text:
        return "it has NUL bytes, as programs, images, PDFs and archives do"
    sample = text[:_SAMPLE]
    bad = len(_NOT_TEXT.findall(sample))
    if sample and bad > NOT_TEXT_SHARE * len(sample):
        return f"{bad / len(sample):.0%} of its characters are undecodable bytes or control codes"
    return None


def require_text(text: str, source: str) -> str:
    """``text`` when it is text (:func:`not_text`), else an :class:`InvalidParameterError` naming ``source``
    (a file name, or e.g. "The pasted text")."""
    why = not_text(text)
    if why:
        raise InvalidParameterError(f"{source} is binary data, not text ({why}). Give plain text: a .txt "
                                    "file saved as UTF-8, or paste the text itself.")
    return text


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

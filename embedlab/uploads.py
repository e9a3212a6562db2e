"""Untrusted uploads: size limits and safe zip reading (no path escapes, no zip bombs, no pickles).

Both the corpus uploader (training) and the image uploader use these; readers of vector files use
:func:`check_size`.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from embedlab.errors import EmbedlabError, EmptyInputError, InputTooLargeError

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

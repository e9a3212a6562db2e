"""Browser uploads: bounded in size, written to a private temporary folder, read, cleaned up."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path, PurePath

from embedlab.errors import EmbedlabError, EmptyInputError, FormatError
from embedlab.formats.detect import sniff
from embedlab.formats.reader import read
from embedlab.space import EmbeddingSpace
from embedlab.uploads import check_size, read_zip

ARRAY_SUFFIXES = (".npy", ".npz")
MAX_UPLOAD_MB = 200  # per file, and for all files of one upload together
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
#: The formats an upload may come in, for people (the page's upload box says it).
ACCEPTED = (
    "word2vec text or binary (.txt, .bin), GloVe text (.txt), fastText (.vec), "
    "TensorFlow Projector vectors.tsv (+ optional metadata.tsv), .npy/.npz + a labels file (.txt/.tsv), "
    "Parquet (.parquet)"
)
EXPECTED = ("one vectors file, or a pair: vectors.tsv + metadata.tsv (TensorFlow Projector), "
            "or a .npy/.npz + its labels file (.txt or .tsv, one key per line); either may come in a .zip")


def _safe(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9._-]", "_", PurePath(name.replace("\\", "/")).name).lstrip(".")[:100]
    base = base or "upload"
    out, i = base, 1
    while out in taken:
        i += 1
        out = f"{i}_{base}"
    taken.add(out)
    return out


def _is_projector_vectors(data: bytes, name: str) -> bool:
    try:
        return sniff(data[:65_536], name) == "projector-tsv"
    except EmbedlabError:
        return False


def _roles(files: list[tuple[str, bytes]]) -> tuple[int, int | None, str | None]:
    """Index of the vectors file, index of its companion, and the companion's role (labels/metadata)."""
    names = ", ".join(f"'{n}'" for n, _ in files)
    if len(files) == 1:
        return 0, None, None
    if len(files) == 2:
        suffixes = [PurePath(n).suffix.lower() for n, _ in files]
        arrays = [i for i, s in enumerate(suffixes) if s in ARRAY_SUFFIXES]
        if len(arrays) == 1:
            return arrays[0], 1 - arrays[0], "labels"
        if not arrays:
            meta = [i for i, (n, _) in enumerate(files) if "meta" in n.lower() or "label" in n.lower()]
            vecs = [i for i, (n, d) in enumerate(files) if _is_projector_vectors(d, n)]
            if len(meta) == 1:
                return 1 - meta[0], meta[0], "metadata"
            if len(vecs) == 1:
                return vecs[0], 1 - vecs[0], "metadata"
    raise FormatError(names, f"is not a combination embedlab can read; expected {EXPECTED}.",
                      hint="Upload the files again as one of those combinations.")


def read_upload(files: list[tuple[str, bytes]], *, max_bytes: int = MAX_UPLOAD_BYTES,
                name: str | None = None, max_inflated_bytes: int | None = None,
                language: str | None = None) -> EmbeddingSpace:
    """Read uploaded ``(file name, bytes)`` pairs into a space.

    Parameters
    ----------
    files : list of (str, bytes)
        One vectors file, or vectors.tsv + metadata.tsv, or .npy/.npz + a labels file; or one .zip
        holding either.
    max_bytes : int
        Limit per file and for all files together (and for what a ``.zip`` inflates to).
    name : str, optional
        The space's name; defaults to the vectors file's (or the zip's) stem.
    max_inflated_bytes : int, optional
        The most memory a compressed vectors file (``.npz``, Parquet) may declare; default ``2 * max_bytes``.
    language : str, optional
        The language of the keys (``info['language']``); ``"unknown"`` unless given.

    Raises
    ------
    InputTooLargeError
        Past ``max_bytes``, or a compressed file that would inflate past ``max_inflated_bytes``.
    FormatError
        Unknown combination of files, or malformed content (naming the uploaded file and line).
    """
    if not files:
        raise EmptyInputError(f"No file was uploaded; expected {EXPECTED}.")
    for fname, data in files:
        check_size(fname, len(data), max_bytes)
    check_size(" + ".join(n for n, _ in files), sum(len(d) for _, d in files), max_bytes)
    if len(files) == 1 and files[0][0].lower().endswith(".zip"):
        name = name or PurePath(files[0][0]).stem
        files = _unzipped(*files[0], max_bytes)
    vi, ci, role = _roles(files)
    with tempfile.TemporaryDirectory(prefix="embedlab-upload-") as tmp:
        taken: set[str] = set()
        paths = []
        for fname, data in files:
            p = Path(tmp) / _safe(fname, taken)
            p.write_bytes(data)
            paths.append(p)
        companion = {role: paths[ci]} if role else {}
        orig = files[vi][0]
        inflated = 2 * max_bytes if max_inflated_bytes is None else max_inflated_bytes
        try:
            space = read(paths[vi], name=name or PurePath(orig).stem or "upload", max_inflated_bytes=inflated,
                         language=language, **companion)
        except EmbedlabError as exc:
            raise _renamed(exc, paths, [n for n, _ in files]) from None
    space.info["source"] = orig
    space.info["warnings"] = [_strip(w, paths, [n for n, _ in files]) for w in space.info.get("warnings", [])]
    return space


def _unzipped(fname: str, data: bytes, max_bytes: int) -> list[tuple[str, bytes]]:
    """The files of an uploaded zip (safe paths, bounded size); a Projector export is often zipped."""
    contents = read_zip(data, fname, max_files=10, max_total_bytes=max_bytes)
    if not contents.files:
        raise FormatError(fname, f"holds no readable files; expected {EXPECTED}.")
    return [(PurePath(n).name, b) for n, b in contents.files]


def _strip(text: str, paths: list[Path], names: list[str]) -> str:
    for p, n in zip(paths, names, strict=False):
        text = text.replace(str(p), n)
    return text


def _renamed(exc: EmbedlabError, paths: list[Path], names: list[str]) -> EmbedlabError:
    """The same error, naming the uploaded file instead of its temporary copy."""
    exc.args = (_strip(str(exc), paths, names),) + exc.args[1:]
    if isinstance(exc, FormatError):
        exc.path = _strip(exc.path, paths, names)
    return exc

"""Upload handling for the Home page: untrusted files in, a new session space out (nothing replaced).

The reading itself is :func:`embedlab.formats.read_upload` (size-bounded, never unpickles); this module
turns Streamlit's uploaded files into ``(name, bytes)`` pairs, picks a name that does not clash with a
space the user already has, and keeps the result for this session only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from embedlab.errors import EmptyInputError
from embedlab.space import EmbeddingSpace

MAX_UPLOAD_MB = 200
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024

ACCEPTED = (
    "word2vec text or binary (.txt, .bin), GloVe text (.txt), fastText (.vec), "
    "TensorFlow Projector vectors.tsv (+ optional metadata.tsv), .npy/.npz + a labels file (.txt/.tsv), "
    "Parquet (.parquet)"
)


def as_pairs(files: Iterable[Any]) -> list[tuple[str, bytes]]:
    """``(file name, bytes)`` pairs from Streamlit ``UploadedFile`` objects or from such pairs already."""
    pairs: list[tuple[str, bytes]] = []
    for f in files or ():
        if isinstance(f, tuple):
            pairs.append((str(f[0]), bytes(f[1])))
        else:
            pairs.append((str(f.name), f.getvalue()))
    return pairs


def unique_name(base: str, taken: Iterable[str]) -> str:
    """``base``, or ``base-2``, ``base-3``, ... so an upload never replaces a space the user has."""
    taken = set(taken)
    if base not in taken:
        return base
    i = 2
    while f"{base}-{i}" in taken:
        i += 1
    return f"{base}-{i}"


def read_uploaded(files: Iterable[Any], taken: Iterable[str] = (), name: str | None = None,
                  max_bytes: int = MAX_UPLOAD_BYTES) -> EmbeddingSpace:
    """Read uploaded vectors into a new space whose name is not in ``taken``.

    Parameters
    ----------
    files : iterable of UploadedFile or (name, bytes)
        One vectors file, or a pair (vectors.tsv + metadata.tsv, .npy + labels file).
    taken : iterable of str
        Names already in use (session, bundled and saved spaces).
    name : str, optional
        Wanted name; defaults to the vectors file's stem.
    max_bytes : int
        Size limit per upload.

    Raises
    ------
    EmbedlabError
        ``EmptyInputError`` when no file is given, ``InputTooLargeError`` past the limit,
        ``FormatError`` naming the file and line for malformed content.
    """
    from embedlab.formats import read_upload

    pairs = as_pairs(files)
    if not pairs:
        raise EmptyInputError(
            "No file was uploaded. Choose a vectors file (and its labels or metadata file), then press Load."
        )
    space = read_upload(pairs, max_bytes=max_bytes, name=(name or None))
    return space.renamed(unique_name(space.name, taken))

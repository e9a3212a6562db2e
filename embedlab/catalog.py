"""The spaces a user has: the Home table, one space's summary, a fresh name for a session space, and
uploaded files turned into a new session space (what the app's pages share about spaces; no Streamlit).

The one listing of bundled and saved spaces is :func:`embedlab.registry.list_spaces`; :func:`space_rows`
adds the spaces of one session to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from embedlab.errors import EmptyInputError
from embedlab.formats.upload import MAX_UPLOAD_BYTES, read_upload
from embedlab.registry import list_spaces
from embedlab.space import EmbeddingSpace

if TYPE_CHECKING:
    import pandas as pd


def space_rows(session_spaces: Mapping[str, EmbeddingSpace],
               loaded: Mapping[str, EmbeddingSpace] | None = None) -> pd.DataFrame:
    """One row per space the user can pick: this session's, the bundled ones, the saved ones.

    Bundled spaces are described from the registry without loading them (sizes shown only for those in
    ``loaded``); saved ones from their ``info.json`` (no vectors read).
    """
    import pandas as pd

    loaded = loaded or {}
    rows: list[dict[str, Any]] = []
    for name, sp in session_spaces.items():
        rows.append({"name": name, "kind": "this session (not saved)", "words": len(sp), "dim": sp.dim,
                     "about": str(sp.info.get("source", "uploaded or derived in this session"))})
    for e in list_spaces():
        if not e.available or e.name in session_spaces:
            continue
        sp = loaded.get(e.name)
        words, dim = (e.n, e.dim) if sp is None else (len(sp), sp.dim)
        rows.append({"name": e.name, "kind": e.kind, "words": words, "dim": dim, "about": e.about})
    df = pd.DataFrame(rows, columns=["name", "kind", "words", "dim", "about"])
    for col in ("words", "dim"):  # text, so unknown sizes (bundled, not loaded yet) show blank
        df[col] = [f"{int(v):,}" if pd.notna(v) else "" for v in df[col]]  # the column may be float (NaN)
    return df


def space_summary(space: EmbeddingSpace) -> dict[str, Any]:
    """Size, dimension, metadata columns, provenance and warnings of one space, ready to display."""
    info = space.info
    warnings = info.get("warnings") or []
    if isinstance(warnings, str):
        warnings = [warnings]
    skip = {"warnings", "source", "licence", "name", "n", "dim"}
    details = {k: v for k, v in info.items() if k not in skip and isinstance(v, (str, int, float, bool))}
    return {
        "name": space.name,
        "words": len(space),
        "dim": space.dim,
        "language": space.language,
        "meta_columns": space.meta_columns,
        "source": str(info.get("source", "")),
        "licence": str(info.get("licence", "")),
        "warnings": [str(w) for w in warnings],
        "details": details,
    }


def unique_name(base: str, taken: Iterable[str]) -> str:
    """``base``, or ``base-2``, ``base-3``, ... so a new space never replaces one the user has."""
    taken = set(taken)
    if base not in taken:
        return base
    i = 2
    while f"{base}-{i}" in taken:
        i += 1
    return f"{base}-{i}"


def read_uploaded(files: Iterable[tuple[str, bytes]], taken: Iterable[str] = (), name: str | None = None,
                  max_bytes: int = MAX_UPLOAD_BYTES) -> EmbeddingSpace:
    """Read uploaded vectors into a new space whose name is not in ``taken``.

    Parameters
    ----------
    files : iterable of (name, bytes)
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
    pairs = list(files or ())
    if not pairs:
        raise EmptyInputError(
            "No file was uploaded. Choose a vectors file (and its labels or metadata file), then press Load."
        )
    space = read_upload(pairs, max_bytes=max_bytes, name=(name or None))
    return space.renamed(unique_name(space.name, taken))

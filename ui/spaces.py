"""What the Home page lists and summarises about spaces (plain functions, no Streamlit)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from embedlab.space import EmbeddingSpace


def space_rows(session_spaces: Mapping[str, EmbeddingSpace],
               loaded: Mapping[str, EmbeddingSpace] | None = None) -> pd.DataFrame:
    """One row per space the user can pick: this session's, the bundled ones, the saved ones.

    Bundled spaces are described from the registry without loading them (sizes shown only for those in
    ``loaded``); saved ones from their ``info.json`` (no vectors read).
    """
    from embedlab.registry import list_spaces

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
        "meta_columns": space.meta_columns,
        "source": str(info.get("source", "")),
        "licence": str(info.get("licence", "")),
        "warnings": [str(w) for w in warnings],
        "details": details,
    }

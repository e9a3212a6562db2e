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
    loaded = loaded or {}
    from embedlab import workspace
    from embedlab.registry import BUNDLED

    rows: list[dict[str, Any]] = []
    for name, sp in session_spaces.items():
        rows.append({"name": name, "kind": "this session (not saved)", "words": len(sp), "dim": sp.dim,
                     "about": str(sp.info.get("source", "uploaded or derived in this session"))})
    for name, b in BUNDLED.items():
        if b.available() and name not in session_spaces:
            sp = loaded.get(name)
            rows.append({"name": name, "kind": "bundled", "words": None if sp is None else len(sp),
                         "dim": None if sp is None else sp.dim,
                         "about": f"{b.title}. {b.description} Licence: {b.licence}."})
    for name in workspace.list_names():
        if name in session_spaces:
            continue
        try:
            info = workspace.read_info(name)
        except Exception:  # noqa: BLE001 - a broken info.json must not hide the other spaces
            info = {}
        rows.append({"name": name, "kind": "saved", "words": info.get("n"), "dim": info.get("dim"),
                     "about": str(info.get("source") or info.get("description") or "")})
    df = pd.DataFrame(rows, columns=["name", "kind", "words", "dim", "about"])
    for col in ("words", "dim"):  # text, so unknown sizes (bundled, not loaded yet) show blank
        df[col] = [f"{v:,}" if isinstance(v, int) else "" for v in df[col]]
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

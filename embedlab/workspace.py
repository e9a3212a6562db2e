"""The workspace: named spaces saved on disk, written atomically.

Layout: ``<root>/spaces/<name>/`` holding ``vectors.npy``, ``table.parquet`` (``key`` + metadata columns)
and ``info.json`` (provenance: training parameters, corpus, evaluation, ...). A space is written into a
temporary sibling directory and renamed into place, so a crash or a second writer never leaves a
half-written space behind. The root defaults to ``~/.embedlab`` and is set with ``EMBEDLAB_HOME``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import uuid
from pathlib import Path

import numpy as np

from embedlab.errors import InvalidParameterError, UnknownSpaceError
from embedlab.space import EmbeddingSpace

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,79}$")


def root() -> Path:
    """The workspace root (``$EMBEDLAB_HOME`` or ``~/.embedlab``), created on demand."""
    r = Path(os.environ.get("EMBEDLAB_HOME") or Path.home() / ".embedlab")
    r.mkdir(parents=True, exist_ok=True)
    return r


def spaces_dir() -> Path:
    d = root() / "spaces"
    d.mkdir(parents=True, exist_ok=True)
    return d


def cache_dir(kind: str) -> Path:
    """A cache folder under the workspace (projections, indexes, image features)."""
    d = root() / "cache" / kind
    d.mkdir(parents=True, exist_ok=True)
    return d


def check_name(name: str) -> str:
    """Validate a workspace name (letters, digits, ``_ . -``; at most 80 characters)."""
    if not _NAME.match(name or ""):
        raise InvalidParameterError(
            f"'{name}' is not a valid space name: use 1-80 letters, digits, '_', '.' or '-', "
            "starting with a letter or digit (e.g. 'my-skipgram')."
        )
    return name


def _json_default(o):
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.floating,)):
        return float(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, Path):
        return str(o)
    return str(o)


def save(space: EmbeddingSpace, name: str | None = None, overwrite: bool = True) -> Path:
    """Write ``space`` atomically as ``name`` (default: its own name); returns the folder."""
    import pandas as pd

    name = check_name(name or space.name)
    final = spaces_dir() / name
    if final.exists() and not overwrite:
        raise InvalidParameterError(f"A space named '{name}' already exists; pick another name or delete it.")
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=spaces_dir()))
    trash = None
    try:
        np.save(tmp / "vectors.npy", np.asarray(space.vectors))
        meta = space.to_frame().iloc[:, 1:]
        meta.columns = [str(c) for c in meta.columns]
        key_col = "key"
        while key_col in meta.columns:  # a metadata column may itself be called "key"
            key_col = "_" + key_col
        table = pd.concat([pd.DataFrame({key_col: list(space.keys)}), meta], axis=1)
        for col in table.columns:  # parquet needs one type per column
            if table[col].dtype == object:
                table[col] = table[col].map(lambda v: v if v is None or isinstance(v, str) else str(v))
        table.to_parquet(tmp / "table.parquet", index=False)
        info = {**space.info, "name": name, "n": len(space), "dim": space.dim}
        if key_col != "key":
            info["key_column"] = key_col
        (tmp / "info.json").write_text(json.dumps(info, indent=2, default=_json_default), encoding="utf-8")
        if final.exists():
            trash = spaces_dir() / f".trash-{name}-{uuid.uuid4().hex[:8]}"
            os.replace(final, trash)
        os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if trash is not None and not final.exists():  # put the old space back
            os.replace(trash, final)
        raise
    if trash is not None:
        shutil.rmtree(trash, ignore_errors=True)
    return final


def exists(name: str) -> bool:
    return bool(_NAME.match(name or "")) and (spaces_dir() / name / "info.json").is_file()


def load(name: str) -> EmbeddingSpace:
    """Load a saved space by name (vectors memory-mapped read-only)."""
    import pandas as pd

    folder = spaces_dir() / name
    if not exists(name):
        raise UnknownSpaceError(
            f"No saved space named '{name}' in {spaces_dir()}. Saved: {', '.join(list_names()) or 'none'}."
        )
    info = json.loads((folder / "info.json").read_text(encoding="utf-8"))
    table = pd.read_parquet(folder / "table.parquet")
    vectors = np.load(folder / "vectors.npy", mmap_mode="r")
    keys = table.pop(info.pop("key_column", "key")).astype(str).tolist()
    meta = table if len(table.columns) else None
    return EmbeddingSpace(keys, vectors, meta, name=name, info=info)


def read_info(name: str) -> dict:
    """The provenance dict of a saved space, without loading its vectors."""
    if not exists(name):
        raise UnknownSpaceError(f"No saved space named '{name}'.")
    return json.loads((spaces_dir() / name / "info.json").read_text(encoding="utf-8"))


def list_names() -> list[str]:
    """Names of the saved spaces, sorted."""
    return sorted(p.name for p in spaces_dir().iterdir() if not p.name.startswith(".") and exists(p.name))


def delete(name: str) -> None:
    """Delete a saved space (atomically: renamed away first, then removed)."""
    if not exists(name):
        raise UnknownSpaceError(f"No saved space named '{name}' to delete.")
    trash = spaces_dir() / f".trash-{name}-{uuid.uuid4().hex[:8]}"
    os.replace(spaces_dir() / name, trash)
    shutil.rmtree(trash, ignore_errors=True)

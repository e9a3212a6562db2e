"""The workspace: named spaces saved on disk, written atomically.

Layout under ``<root>/spaces/`` (the root defaults to ``~/.embedlab`` and is set with ``EMBEDLAB_HOME``)::

    <name>/info.json          provenance, and which data folder is current: the commit point
    <name>/v-<id>/            vectors.npy + table.parquet (``key`` + metadata columns)
    .locks/<name>.lock        one lock file per name, held by whoever writes that name (never deleted)

A save writes a fresh ``v-<id>`` folder beside the current one, then replaces ``info.json`` with a file
naming it: one atomic file rename. So at every instant either the old space or the new one is listed and
loadable; a kill at any point leaves at worst an unreferenced folder, which the next process to use the
workspace removes (:func:`clean`). Writers of one name are serialised by a lock on its lock file; one that
waits longer than ``lock_timeout`` is refused with :class:`~embedlab.errors.WorkspaceError`. Readers take
no lock. Spaces saved before versioned folders (data beside ``info.json``) still load.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from embedlab.errors import InvalidParameterError, UnknownSpaceError, WorkspaceError
from embedlab.space import EmbeddingSpace

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,79}")

#: Names of the spaces bundled with embedlab (``embedlab.registry.BUNDLED`` checks it holds all of them).
#: A saved space may not take one: the bundled space would shadow it, so it could be neither loaded nor
#: deleted by name.
RESERVED_NAMES = frozenset({"glove-50d", "word2vec-gnews-bolukbasi", "fasttext-fr-300d"})

_DATA_KEY = "data_folder"  # internal key of info.json: the current v-<id> folder
_LEGACY_FILES = ("vectors.npy", "table.parquet")  # data beside info.json, as saved before v-<id> folders
_LOCK_DIR = ".locks"
_swept_roots: set[str] = set()


def root() -> Path:
    """The workspace root (``$EMBEDLAB_HOME`` or ``~/.embedlab``), created on demand."""
    r = Path(os.environ.get("EMBEDLAB_HOME") or Path.home() / ".embedlab")
    r.mkdir(parents=True, exist_ok=True)
    return r


def spaces_dir() -> Path:
    """The saved spaces' folder; a process's first call removes what killed saves left (:func:`clean`)."""
    d = root() / "spaces"
    d.mkdir(parents=True, exist_ok=True)
    if str(d) not in _swept_roots:
        _swept_roots.add(str(d))
        clean()
    return d


def cache_dir(kind: str) -> Path:
    """A cache folder under the workspace (projections, indexes, image features)."""
    d = root() / "cache" / kind
    d.mkdir(parents=True, exist_ok=True)
    return d


def check_name(name: str) -> str:
    """Validate a name to save a space under.

    Parameters
    ----------
    name : str
        1-80 letters, digits, ``_ . -``, starting with a letter or digit, and not a bundled space's name.

    Returns
    -------
    str
        ``name`` unchanged.

    Raises
    ------
    InvalidParameterError
        If the name is malformed or taken by a bundled space.
    """
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise InvalidParameterError(
            f"{name!r} is not a valid space name: use 1-80 letters, digits, '_', '.' or '-', "
            "starting with a letter or digit (e.g. 'my-skipgram')."
        )
    if name.casefold() in {r.casefold() for r in RESERVED_NAMES}:
        raise InvalidParameterError(
            f"'{name}' is the name of a bundled space and cannot be used for a saved one; "
            f"pick another name (e.g. '{name}-mine')."
        )
    return name


def _json_default(o):
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.floating,)):
        return float(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    return str(o)


def _checkpoint(stage: str) -> None:
    """A no-op that tests replace to stop or kill a save at ``stage`` (``data-written``, ``committed``)."""


def _try_lock(fh) -> bool:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        import msvcrt

        try:
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


@contextmanager
def _locked(name: str, timeout: float) -> Iterator[None]:
    """Hold the writer lock of ``name``, waiting up to ``timeout`` seconds (released on exit or kill)."""
    lock_dir = root() / "spaces" / _LOCK_DIR
    lock_dir.mkdir(parents=True, exist_ok=True)
    with open(lock_dir / f"{name}.lock", "a+b") as fh:  # closing the file releases the lock
        deadline = time.monotonic() + timeout
        while not _try_lock(fh):
            if time.monotonic() >= deadline:
                raise WorkspaceError(
                    f"The space '{name}' is being saved or deleted by another process; "
                    "try again when that has finished."
                )
            time.sleep(0.05)
        yield


def _fsync(path: Path) -> None:
    """Flush a file (or, where the OS allows, a folder) to disk so a rename never commits lost data."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - folders cannot be opened on Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def _write_data(space: EmbeddingSpace, folder: Path) -> str | None:
    """Write vectors and the key/metadata table into ``folder``; returns the key column if not ``key``."""
    import pandas as pd

    folder.mkdir()
    np.save(folder / "vectors.npy", np.asarray(space.vectors))
    meta = space.to_frame().iloc[:, 1:]
    meta.columns = [str(c) for c in meta.columns]
    key_col = "key"
    while key_col in meta.columns:  # a metadata column may itself be called "key"
        key_col = "_" + key_col
    table = pd.concat([pd.DataFrame({key_col: list(space.keys)}), meta], axis=1)
    for col in table.columns:  # parquet needs one type per column
        if table[col].dtype == object:
            table[col] = table[col].map(lambda v: v if v is None or isinstance(v, str) else str(v))
    table.to_parquet(folder / "table.parquet", index=False)
    for f in _LEGACY_FILES:
        _fsync(folder / f)
    return None if key_col == "key" else key_col


def _commit(folder: Path, info: dict) -> None:
    """Atomically replace ``folder/info.json`` with ``info`` (the single step that makes a save visible)."""
    tmp = folder / f".info-{uuid.uuid4().hex[:8]}.json"
    try:
        tmp.write_text(json.dumps(info, indent=2, default=_json_default), encoding="utf-8")
        _fsync(tmp)
        os.replace(tmp, folder / "info.json")
    finally:
        tmp.unlink(missing_ok=True)
    _fsync(folder)


def save(space: EmbeddingSpace, name: str | None = None, overwrite: bool = True,
         lock_timeout: float = 600.0) -> Path:
    """Write ``space`` atomically as ``name`` (default: its own name).

    Parameters
    ----------
    space : EmbeddingSpace
        The space to save.
    name : str, optional
        The name to save under (see :func:`check_name`); default ``space.name``.
    overwrite : bool
        Replace a saved space of that name (atomically); if False, refuse.
    lock_timeout : float
        Seconds to wait while another process saves or deletes the same name.

    Returns
    -------
    Path
        The space's folder.

    Raises
    ------
    InvalidParameterError
        Bad or bundled name, or the name is taken and ``overwrite`` is False.
    WorkspaceError
        Another writer held the name too long, or the disk refused the write (nothing was changed).
    """
    name = check_name(name or space.name)
    final = spaces_dir() / name
    with _locked(name, lock_timeout):
        if exists(name) and not overwrite:
            raise InvalidParameterError(
                f"A space named '{name}' already exists; pick another name or delete it.")
        data = f"v-{uuid.uuid4().hex[:12]}"
        try:
            final.mkdir(exist_ok=True)
            key_col = _write_data(space, final / data)
            info = {**space.info, "name": name, "n": len(space), "dim": space.dim, _DATA_KEY: data}
            info.pop("key_column", None)
            if key_col:
                info["key_column"] = key_col
            _checkpoint("data-written")
            _commit(final, info)
        except BaseException as exc:
            shutil.rmtree(final / data, ignore_errors=True)
            _prune(final)
            if isinstance(exc, OSError) and not isinstance(exc, WorkspaceError):
                raise WorkspaceError(f"Could not save '{name}' in {final.parent}: {exc}. "
                                     "Nothing was changed.") from exc
            raise
        _checkpoint("committed")
        _prune(final)
    return final


def exists(name: str) -> bool:
    """Whether a saved space of that name is listed (its ``info.json`` is in place)."""
    return (isinstance(name, str) and bool(_NAME.fullmatch(name))
            and (spaces_dir() / name / "info.json").is_file())


def _read_info(folder: Path) -> dict:
    return json.loads((folder / "info.json").read_text(encoding="utf-8"))


def load(name: str) -> EmbeddingSpace:
    """Load a saved space by name (vectors memory-mapped read-only)."""
    import pandas as pd

    if not exists(name):
        raise UnknownSpaceError(
            f"No saved space named '{name}' in {spaces_dir()}. Saved: {', '.join(list_names()) or 'none'}."
        )
    folder = spaces_dir() / name
    for attempt in range(5):  # a writer may commit and prune between our reads: read the new version
        info = _read_info(folder)
        data = folder / info.pop(_DATA_KEY, ".")
        try:
            table = pd.read_parquet(data / "table.parquet")
            vectors = np.load(data / "vectors.npy", mmap_mode="r")
            break
        except FileNotFoundError:
            if attempt == 4:
                raise
    keys = table.pop(info.pop("key_column", "key")).astype(str).tolist()
    meta = table if len(table.columns) else None
    return EmbeddingSpace(keys, vectors, meta, name=name, info=info)


def read_info(name: str) -> dict:
    """The provenance dict of a saved space, without loading its vectors."""
    if not exists(name):
        raise UnknownSpaceError(f"No saved space named '{name}'.")
    info = _read_info(spaces_dir() / name)
    info.pop(_DATA_KEY, None)
    return info


def list_names() -> list[str]:
    """Names of the saved spaces, sorted."""
    return sorted(p.name for p in spaces_dir().iterdir() if not p.name.startswith(".") and exists(p.name))


def delete(name: str, lock_timeout: float = 600.0) -> None:
    """Delete a saved space (atomically: renamed away first, then removed)."""
    if not exists(name):
        raise UnknownSpaceError(f"No saved space named '{name}' to delete.")
    with _locked(name, lock_timeout):
        if not exists(name):  # deleted while we waited
            raise UnknownSpaceError(f"No saved space named '{name}' to delete.")
        trash = spaces_dir() / f".trash-{name}-{uuid.uuid4().hex[:8]}"
        os.replace(spaces_dir() / name, trash)
    shutil.rmtree(trash, ignore_errors=True)


def _is_save_artefact(entry: Path) -> bool:
    """A data folder (``v-<id>``) or a temporary ``info.json`` that :func:`save` writes."""
    return (entry.name.startswith("v-") and entry.is_dir() and not entry.is_symlink()) \
        or entry.name.startswith(".info-")


def _remove(entry: Path) -> None:
    if entry.is_dir() and not entry.is_symlink():
        shutil.rmtree(entry, ignore_errors=True)
    else:
        entry.unlink(missing_ok=True)


def _prune(folder: Path) -> None:
    """Remove what saves wrote into a space folder that its ``info.json`` does not name (the caller holds the
    name's lock). Files others keep beside a space (a training state, say) are left alone."""
    try:
        info = _read_info(folder)
    except FileNotFoundError:  # a first save that never committed
        for entry in folder.iterdir() if folder.is_dir() else ():
            if _is_save_artefact(entry):
                _remove(entry)
        with contextlib.suppress(OSError):
            folder.rmdir()  # only if nothing else is in it
        return
    except (OSError, ValueError):  # unreadable or hand-edited info.json: touch nothing
        return
    data = info.get(_DATA_KEY) if isinstance(info, dict) else None
    if data is not None and not (folder / str(data)).is_dir():  # names a folder that is not there: keep all
        return
    stale = [e for e in folder.iterdir() if _is_save_artefact(e) and e.name != data]
    if data is not None:  # replaced a space saved in the older layout: its data files are stale too
        stale += [folder / f for f in _LEGACY_FILES if (folder / f).exists()]
    for entry in stale:
        _remove(entry)


def clean() -> list[str]:
    """Remove what killed saves and deletes left behind; spaces being written right now are skipped.

    Returns
    -------
    list of str
        The names of the entries of ``spaces/`` that were cleaned.
    """
    d = root() / "spaces"
    cleaned = []
    for entry in sorted(d.iterdir()):
        if entry.name == _LOCK_DIR or not entry.is_dir():
            continue
        if entry.name.startswith("."):  # .trash-* of a delete, or a temp folder of an older embedlab
            shutil.rmtree(entry, ignore_errors=True)
            cleaned.append(entry.name)
            continue
        if not _NAME.fullmatch(entry.name):
            continue
        try:
            with _locked(entry.name, timeout=0):
                before = sorted(p.name for p in entry.iterdir())
                _prune(entry)
                if not entry.exists() or sorted(p.name for p in entry.iterdir()) != before:
                    cleaned.append(entry.name)
        except WorkspaceError:  # someone is writing it now; their own save prunes it
            continue
    return cleaned

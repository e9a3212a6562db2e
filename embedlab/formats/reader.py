"""Reading a vectors file from disk: detect its format, parse it, attach keys, drop unusable rows.

:func:`read` is re-exported by :mod:`embedlab.formats`; see its docstring for the formats and policies.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from embedlab.errors import EmbedlabError, FormatError, InvalidParameterError
from embedlab.formats._common import Parsed, apply_duplicates, check_policy
from embedlab.formats.arrays import read_npy, read_npz
from embedlab.formats.cleaning import clean_keys, drop_nonfinite
from embedlab.formats.detect import FORMATS, detect
from embedlab.formats.limits import inflate_limit
from embedlab.formats.parquetfmt import read_parquet
from embedlab.formats.textfmt import read_text
from embedlab.formats.w2vbinary import read_binary
from embedlab.space import EmbeddingSpace

WHAT = {"word2vec-binary": "entry", "parquet": "row", "spacy": "vector row"}  # what a line number counts
ALIASES = {"word2vec": "word2vec-text", "w2v": "word2vec-text", "txt": "word2vec-text",
           "bin": "word2vec-binary", "glove": "glove-text", "fasttext": "fasttext-vec", "vec": "fasttext-vec",
           "tsv": "projector-tsv", "projector": "projector-tsv", "pq": "parquet"}


def normalise_format(fmt: str) -> str:
    """Canonical format name (accepts aliases such as ``word2vec`` or ``tsv``)."""
    f = str(fmt).strip().lower()
    f = ALIASES.get(f, f)
    if f not in FORMATS:
        raise InvalidParameterError(f"Unknown format '{fmt}'; use one of {', '.join(FORMATS)}.")
    return f


def _parse(p: Path, fmt: str, limit: int) -> Parsed:
    if fmt == "spacy":
        from embedlab.formats.spacyfmt import read_spacy

        return read_spacy(p, limit)
    if fmt in ("npy", "npz"):
        return read_npy(p) if fmt == "npy" else read_npz(p, limit)
    if fmt == "parquet":
        return read_parquet(p, limit)
    if fmt == "word2vec-binary":
        return read_binary(p)

    return read_text(p.read_bytes(), str(p), fmt)


def _attach(parsed: Parsed, labels: Path | None, metadata: Path | None) -> None:
    """Replace row-number keys with those of a labels/metadata file."""
    from embedlab.formats.companion import read_labels, read_metadata

    n = len(parsed.keys)
    comp = Path(labels or metadata)
    if labels is not None:
        _use(parsed, comp, read_labels(comp, n, parsed.warnings), False)
    else:
        _use(parsed, comp, read_metadata(comp, n, parsed.warnings), True)


def _use(parsed: Parsed, comp: Path, found: tuple, is_metadata: bool) -> None:
    """Install the keys, metadata and line numbers read from the companion file ``comp``."""
    from embedlab.formats.companion import attach_meta

    keys, meta, lines = found
    if is_metadata and len(set(keys)) < len(keys):
        col = "label" if meta is None or "label" not in meta.columns else "key"
        meta = attach_meta(meta, col, keys)
    parsed.keys, parsed.meta, parsed.lines = keys, meta, lines
    parsed.info["keys_from"] = comp.name


def read(path: str | Path, fmt: str | None = None, *, labels: str | Path | None = None,
         metadata: str | Path | None = None, name: str | None = None, on_duplicate: str = "first",
         max_inflated_bytes: int | None = None, language: str | None = None) -> EmbeddingSpace:
    """Read a vectors file (or a spaCy package folder) into an :class:`EmbeddingSpace`.

    Parameters
    ----------
    path : str or Path
        The vectors file, or a spaCy package, model or ``vocab`` folder (see
        :mod:`~embedlab.formats.spacyfmt`).
    fmt : str, optional
        One of :data:`FORMATS`; detected from the content when omitted.
    labels : str or Path, optional
        Keys for ``.npy``/``.npz``/Projector vectors: one per line (a tab-separated file is read like
        ``metadata``).
    metadata : str or Path, optional
        A Projector ``metadata.tsv`` (with or without a header row). When neither ``labels`` nor
        ``metadata`` is given, Projector vectors use ``<stem>-metadata.tsv`` or ``metadata.tsv`` next to
        ``path`` if its rows fit (else a warning says the keys are row numbers).
    name : str, optional
        The space's name; defaults to the file stem.
    on_duplicate : {'first', 'error', 'rename'}
        Policy for repeated keys.
    max_inflated_bytes : int, optional
        The most memory a compressed file (``.npz``, Parquet) may declare before anything is read; by
        default ``max(1 GiB, 50 x the file's size)``.
    language : str, optional
        The language of the keys (``"en"``, ``"fr"``, ...), kept as ``info['language']``; by default the
        one a spaCy package declares, else ``"unknown"``.

    Raises
    ------
    FormatError
        Naming the file, the line and what was wrong.
    InputTooLargeError
        A compressed file declares more than ``max_inflated_bytes``.

    Notes
    -----
    Rows no one can use are dropped with a warning (``info['warnings']``) that names the first few:
    vectors holding NaN or infinity (``info['nonfinite_dropped']``), keys left empty once control
    characters (tab, CR, NUL, ...) are replaced by spaces (``info['keys_cleaned']``).
    """
    p = Path(path)
    check_policy(on_duplicate)
    if labels is not None and metadata is not None:
        raise InvalidParameterError("Give either labels= (one key per line) or metadata= (a Projector "
                                    "metadata.tsv), not both.")
    _check_path(p)
    fmt = normalise_format(fmt) if fmt else None
    try:
        fmt = fmt or detect(p)
        parsed = _parse(p, fmt, inflate_limit(_size(p), max_inflated_bytes))
        policy = _keys(parsed, p, fmt, _opt(labels), _opt(metadata), on_duplicate)
        what = WHAT.get(fmt, "line")
        clean_keys(parsed, str(p), what)
        drop_nonfinite(parsed, str(p), what)
        apply_duplicates(parsed, str(p), policy, what)
        parsed.info["language"] = language or parsed.info.get("language") or "unknown"
        return _space(parsed, p, fmt, name)
    except EmbedlabError:
        raise
    except MemoryError:
        raise FormatError(str(p), "is too large to load into this machine's memory.",
                          hint="Use a subset of the file.") from None
    except Exception as exc:  # noqa: BLE001 - any low-level failure becomes a message that names the file
        raise FormatError(str(p), f"could not be read as {fmt or 'a vectors file'} ({type(exc).__name__}: "
                                  f"{exc}).", hint="Check that the file is complete and in the format you "
                                                   "expect.") from exc


def _check_path(p: Path) -> None:
    """Refuse a path that is neither a file nor a spaCy folder, saying which it is."""
    from embedlab.formats.spacyfmt import FILES, is_spacy_folder

    if p.is_dir() and not is_spacy_folder(p):
        raise FormatError(str(p), f"is a folder, and not a spaCy vectors folder (vocab/ with "
                                  f"{', '.join(FILES)}).",
                          hint="Give a vectors file, or a spaCy package or model folder.")
    if not p.exists():
        raise FormatError(str(p), "does not exist or is not a file.", hint="Check the path.")


def _size(p: Path) -> int:
    """Bytes on disk of a vectors file, or of the files a spaCy folder's vectors are read from."""
    if p.is_file():
        return p.stat().st_size
    from embedlab.formats.spacyfmt import FILES, vocab_folder

    vocab = vocab_folder(p)
    return sum((vocab / f).stat().st_size for f in FILES) if vocab is not None else 0


def _keys(parsed: Parsed, p: Path, fmt: str, labels: Path | None, metadata: Path | None,
          on_duplicate: str) -> str:
    """Attach keys from a labels/metadata file (or warn that keys are row numbers); returns the policy."""
    if labels is None and metadata is None:
        if fmt == "projector-tsv":
            return _sibling_metadata(parsed, p, on_duplicate)
        if parsed.info.get("keys_from") == "row numbers":
            parsed.warnings.append(f"{p.name} carries no keys and no labels file was given; the keys are row "
                                   "numbers (0, 1, 2, ...).")
        return on_duplicate
    if fmt not in ("npy", "npz", "projector-tsv"):
        raise InvalidParameterError(f"{p.name} is {fmt}, which carries its own keys; labels/metadata files "
                                    "apply only to projector-tsv, npy and npz.")
    _attach(parsed, labels, metadata)
    return "rename" if metadata is not None and on_duplicate == "first" else on_duplicate


def _sibling_metadata(parsed: Parsed, p: Path, on_duplicate: str) -> str:
    """Use ``<stem>-metadata.tsv`` or ``metadata.tsv`` next to Projector vectors when its rows fit."""
    from embedlab.formats.companion import find_metadata, metadata_candidates

    found = find_metadata(p, len(parsed.keys), parsed.warnings)
    if found is not None:
        _use(parsed, found[0], found[1], True)
        return "rename" if on_duplicate == "first" else on_duplicate
    if not metadata_candidates(p):
        parsed.warnings.append(f"{p.name} carries no keys and no metadata file was found next to it; the "
                               "keys are row numbers (0, 1, 2, ...). Upload its metadata.tsv alongside (or "
                               "pass metadata=) to get the words.")
    return on_duplicate


def _opt(p: str | Path | None) -> Path | None:
    if p is None:
        return None
    q = Path(p)
    if not q.is_file():
        raise FormatError(str(q), "does not exist or is not a file.", hint="Check the labels/metadata path.")
    return q


def _space(parsed: Parsed, p: Path, fmt: str, name: str | None) -> EmbeddingSpace:
    info = {"source": str(p), "format": fmt, **parsed.info, "warnings": list(parsed.warnings)}
    vecs = np.ascontiguousarray(parsed.vectors, dtype=np.float32)
    vecs.flags.writeable = False  # freshly parsed and ours alone: the space can keep it without a copy
    folder = p.parent if p.name == "vocab" else p  # a spaCy folder is named after its package or model
    name = name or (folder.name if p.is_dir() else p.stem)
    return EmbeddingSpace(parsed.keys, vecs, parsed.meta, name, info)


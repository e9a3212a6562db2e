"""Labelled texts for the applications: the bundled sets and a user's CSV, validated.

Bundled (offline, shipped inside installed packages):

* ``pang-lee`` — 200 movie-review sentences labelled ``pos`` / ``neg`` (Pang & Lee's sentence polarity
  data, the 200-line sample in gensim's test data ``pang_lee_polarity.cor``; distributed with gensim,
  LGPL-2.1).
* ``lee-news`` (a collection, no labels) — sentences of the Lee et al. (2005) news background corpus in
  gensim's test data ``lee_background.cor`` (distributed with gensim, LGPL-2.1), for search and
  "more like this".

Every problem a user can cause raises an :mod:`embedlab.errors` subclass with a message saying what to do.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from embedlab.errors import EmptyInputError, FormatError, InputTooLargeError, InvalidParameterError
from embedlab.strings import is_number
from embedlab.uploads import MB, check_size, csv_records, decode_text

MAX_CSV_BYTES = 5 * MB
MAX_ROWS = 20_000
MAX_CLASSES = 50
LABELLED_SETS = {
    "pang-lee": "Movie-review sentences, positive / negative (200; Pang & Lee, gensim test data, LGPL-2.1)",
}
COLLECTIONS = {
    "lee-news": "News sentences (Lee et al. 2005 background corpus via gensim test data, LGPL-2.1)",
    "pang-lee": "Movie-review sentences (Pang & Lee via gensim test data, LGPL-2.1)",
}
_SENT_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


@dataclass
class LabelledTexts:
    """Texts with one label each, plus what was dropped on the way and notes for people."""

    texts: list[str]
    labels: list[str]
    source: str
    notes: list[str] = field(default_factory=list)

    @property
    def classes(self) -> list[str]:
        """Class names, sorted."""
        return sorted(set(self.labels))

    def counts(self) -> dict[str, int]:
        """Examples per class."""
        return dict(sorted(Counter(self.labels).items()))


def _gensim_file(name: str) -> Path:
    try:
        from gensim.test.utils import datapath
    except ImportError:  # pragma: no cover - gensim is a core dependency
        raise InvalidParameterError("The bundled texts ship with gensim: pip install gensim") from None
    path = Path(datapath(name))
    if not path.is_file():
        raise InvalidParameterError(
            f"gensim's test file {name} is missing from {path.parent}; "
            "reinstall gensim (pip install --force-reinstall gensim)."
        )
    return path


def load_labelled(name: str = "pang-lee") -> LabelledTexts:
    """A bundled labelled set by name (see :data:`LABELLED_SETS`)."""
    if name != "pang-lee":
        raise InvalidParameterError(
            f"Unknown labelled set '{name}'; choose one of {', '.join(LABELLED_SETS)}."
        )
    texts, labels = [], []
    # the file is Windows-1252 (one byte 0x97 is an em dash)
    for line in _gensim_file("pang_lee_polarity.cor").read_text(encoding="cp1252").splitlines():
        tag, _, text = line.partition(" ")
        if tag.startswith("__label__") and text.strip():
            texts.append(text.strip())
            labels.append(tag.removeprefix("__label__"))
    return LabelledTexts(texts, labels, "pang-lee (gensim test data)")


def split_sentences(text: str) -> list[str]:
    """Sentences of running text: split after ``. ! ?`` followed by a capital, digit or quote; line breaks
    also end a sentence. Whitespace is normalised; empty pieces are dropped."""
    out = []
    for para in re.split(r"\n\s*\n|\r?\n", text):
        for s in _SENT_SPLIT.split(para):
            s = " ".join(s.split())
            if s:
                out.append(s)
    return out


def load_collection(name: str = "lee-news", limit: int = 400) -> list[str]:
    """A bundled text collection (unique sentences, first ``limit``) for search and recommendations."""
    if name == "pang-lee":
        texts = load_labelled("pang-lee").texts
    elif name == "lee-news":
        raw = _gensim_file("lee_background.cor").read_text(encoding="utf-8", errors="replace")
        texts = [s for s in split_sentences(raw) if 5 <= len(s.split()) <= 60]
    else:
        raise InvalidParameterError(f"Unknown collection '{name}'; choose one of {', '.join(COLLECTIONS)}.")
    return list(dict.fromkeys(texts))[: max(1, int(limit))]


def check_labels(labels: list[str], source: str) -> list[str]:
    """Notes about the labels; raises when they cannot be classes (one class, scores, too many classes)."""
    classes = Counter(labels)
    if len(classes) < 2:
        only = next(iter(classes), "")
        raise InvalidParameterError(
            f"{source}: every example has the label '{only}'; classification needs at least two classes. "
            "Check the label column, or add examples of another class."
        )
    notes = []
    if all(is_number(c) for c in classes):
        whole = all(float(c).is_integer() for c in classes)
        if not whole or len(classes) > 10:
            raise InvalidParameterError(
                f"{source}: the labels are numbers with {len(classes):,} different values "
                f"(e.g. {', '.join(list(classes)[:4])}): that looks like a score, not classes. "
                "Bin it into a few named classes (e.g. low / high) or pick another label column."
            )
        notes.append(
            f"The labels are numbers ({', '.join(sorted(classes, key=float))}); each number is "
            "treated as a class name."
        )
    if len(classes) > MAX_CLASSES:
        raise InvalidParameterError(
            f"{source}: {len(classes):,} different labels; the limit is {MAX_CLASSES}. "
            "Is the label column right? Merge rare labels or pick another column."
        )
    return notes


def read_labelled_csv(
    name: str,
    data: bytes,
    text_column: str = "text",
    label_column: str = "label",
    max_bytes: int = MAX_CSV_BYTES,
    max_rows: int = MAX_ROWS,
) -> LabelledTexts:
    """Texts and labels from a CSV (or ``.tsv``) with a header row.

    Rows whose text or label is empty are dropped and counted in ``notes``.

    Raises
    ------
    InputTooLargeError
        More than ``max_bytes`` bytes or ``max_rows`` rows.
    FormatError
        Not text, or a named column is missing (the message lists the columns there are).
    EmptyInputError
        No row has both a text and a label.
    InvalidParameterError
        One class only, labels that look like a numeric score, or too many classes.
    """
    check_size(name, len(data), max_bytes)
    text, note = decode_text(name, data)
    delim = "\t" if name.lower().endswith(".tsv") else ","
    reader = csv_records(text, delimiter=delim)
    cols = [c for c in (reader.fieldnames or []) if c]
    missing = [c for c in (text_column, label_column) if c not in cols]
    if missing:
        raise FormatError(
            name,
            f"has no column {', '.join(repr(m) for m in missing)}. "
            f"Columns: {', '.join(repr(c) for c in cols) or 'none'}.",
            hint="Name the text and label columns (--text-column / --label-column, or the "
            "pickers on the page).",
        )
    texts, labels, empty = [], [], 0
    for i, row in enumerate(reader):
        if i >= max_rows:
            raise InputTooLargeError(
                f"{name}: more than {max_rows:,} rows; the limit is {max_rows:,}. Keep a sample of the rows."
            )
        t = " ".join(str(row.get(text_column) or "").split())
        lab = str(row.get(label_column) or "").strip()
        if not t or not lab:
            empty += 1
            continue
        texts.append(t)
        labels.append(lab)
    if not texts:
        raise EmptyInputError(
            f"{name}: no row has both a text ('{text_column}') and a label "
            f"('{label_column}'); {empty:,} row(s) were empty. Fill in the columns."
        )
    notes = [note] if note else []
    notes += [f"Dropped {empty:,} row(s) with an empty text or label."] if empty else []
    notes += check_labels(labels, name)
    return LabelledTexts(texts, labels, name, notes)


def read_labelled_path(
    path: str | Path, text_column: str = "text", label_column: str = "label", max_bytes: int = 50 * MB
) -> LabelledTexts:
    """:func:`read_labelled_csv` of a file on disk (the CLI), checking its size before reading it."""
    p = Path(path)
    if not p.is_file():
        raise InvalidParameterError(f"'{path}' is not a file; give the path of a CSV with a header row.")
    check_size(p.name, p.stat().st_size, max_bytes)
    return read_labelled_csv(
        p.name, p.read_bytes(), text_column, label_column, max_bytes=max_bytes, max_rows=10 * MAX_ROWS
    )


def sample_article(index: int = 0) -> str:
    """One article of the bundled Lee news corpus (a default text to summarise)."""
    lines = [x for x in _gensim_file("lee_background.cor").read_text(encoding="utf-8", errors="replace")
             .splitlines() if x.strip()]
    return lines[int(index) % len(lines)].strip()

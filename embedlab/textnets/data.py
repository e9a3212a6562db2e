"""Training data of the small encoders: documents of sentences (in order) and sentence pairs (no torch).

* :func:`load_documents` reads the bundled corpus (``"default"``, ``"sample"``) or the user's files into
  documents, each a list of sentences in their order, each sentence a list of lower-case words. The
  bundled corpus is one short document per line, in its build order (WordNet glosses by lexicographer file,
  then 206 Wikipedia articles paragraph by paragraph, then 300 news articles); a sentence ends at
  ``. ! ? ; :`` and is cut at :data:`MAX_SENTENCE` words. A user's file is one document.
* :func:`neighbour_triples` (Skip-Thought: previous, sentence, next) and :func:`neighbour_pairs` (DAN:
  a sentence and the next one) stay inside a document.
* :func:`bundled_pairs` are the WordNet gloss pairs that stand in for NLI (see
  ``sample_data/encoders/pairs/README.md``); :func:`read_nli_csv` reads a user's NLI CSV
  (``premise,hypothesis,label`` with labels entailment / neutral / contradiction).
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from embedlab.errors import EmbedlabError, EmptyInputError, FormatError
from embedlab.resources import data_path
from embedlab.textnets.vocab import words_of
from embedlab.train.corpus import DEFAULT_DESCRIPTION, SAMPLE_EVERY, read_paths, read_uploads
from embedlab.uploads import check_size, csv_records, decode_text

MAX_SENTENCE = 40  # words; longer sentences are cut into pieces
MIN_SENTENCE = 2  # words; shorter pieces (a lone head word) are dropped
_ENDS = re.compile(r"(?<=[.!?;:])\s+|\n\s*\n|\s[.!?;:](?=\s|$)")
PAIRS_FILE = data_path("encoders", "pairs", "wordnet-pairs.tsv.gz")
NLI_LABELS = ("entailment", "neutral", "contradiction")
MAX_PAIRS = 1_000_000
MAX_NLI_BYTES = 200 * 1024 * 1024


class CorpusTooSmallError(EmbedlabError):
    """The corpus has too few sentences (or neighbouring sentences) for the objective."""


@dataclass
class Documents:
    """Documents (lists of sentences, in order) of lower-case words, where they came from, notes."""

    documents: list[list[list[str]]]
    description: str
    notes: list[str] = field(default_factory=list)

    @property
    def sentences(self) -> list[list[str]]:
        return [s for d in self.documents for s in d]

    @property
    def n_sentences(self) -> int:
        return sum(len(d) for d in self.documents)

    @property
    def n_words(self) -> int:
        return sum(len(s) for d in self.documents for s in d)


@dataclass
class Pairs:
    """Sentence pairs with one label each (``labels`` index ``label_names``)."""

    premises: list[str]
    hypotheses: list[str]
    labels: list[int]
    label_names: list[str]
    description: str

    def __len__(self) -> int:
        return len(self.labels)


def split_sentences(text: str) -> list[list[str]]:
    """Sentences of ``text`` as word lists: ends at ``. ! ? ; :`` and blank lines, cut at 40 words."""
    out = []
    for piece in _ENDS.split(text):
        words = words_of(piece)
        for i in range(0, len(words), MAX_SENTENCE):
            chunk = words[i:i + MAX_SENTENCE]
            if len(chunk) >= MIN_SENTENCE:
                out.append(chunk)
    return out


Source = str | Path | Sequence[str | Path] | Sequence[tuple[str, bytes]]


def is_upload(source) -> bool:
    return (isinstance(source, (list, tuple)) and bool(source)
            and all(isinstance(x, tuple) and len(x) == 2 and isinstance(x[1], bytes) for x in source))


def load_documents(source: Source = "default") -> Documents:
    """Documents of ``"default"`` (the bundled corpus), ``"sample"`` (every 20th line), files / folders, or
    uploaded ``(file name, bytes)`` pairs (a page's uploads; zips of text files too).

    Raises
    ------
    EmptyInputError, BinaryFileError, EncodingError, InputTooLargeError
        As :func:`embedlab.train.corpus.read_paths`; a file that is not UTF-8 is read as Windows-1252 and
        a note says so.
    """
    if is_upload(source):
        raw = read_uploads(list(source))
    else:
        raw = read_paths([source] if isinstance(source, (str, Path)) else list(source))
    if raw.pretokenised:
        lines = raw.documents[0][1].split("\n")
        docs = [split_sentences(line) for line in lines]
        every = "" if raw.names == ["default"] else f"every {SAMPLE_EVERY}th line of the "
        desc = f"{every}{DEFAULT_DESCRIPTION}; one document per line, in build order"
    else:
        docs = [split_sentences(text) for _, text in raw.documents]
        desc = f"{', '.join(raw.names[:5])}{' …' if len(raw.names) > 5 else ''}; one document per file"
    return Documents([d for d in docs if d], desc, list(raw.notes))


def check_sentences(docs: Documents, need: str) -> None:
    """Refuse a corpus too small for an objective: ``need`` is ``"sentences"``, ``"pairs"`` or ``"triples"``.

    Raises
    ------
    EmptyInputError
        No sentence of at least two words.
    CorpusTooSmallError
        One sentence only, or no two (three) consecutive sentences in one document.
    """
    n = docs.n_sentences
    if n == 0:
        raise EmptyInputError(
            f"{docs.description}: no sentence of at least {MIN_SENTENCE} words. Give text with sentences in "
            "it (thousands of sentences for useful vectors)."
        )
    if n == 1:
        raise CorpusTooSmallError(
            f"{docs.description}: only one sentence. These encoders learn from many sentences and their "
            "neighbours; give at least a few hundred sentences (split by . ! ? or blank lines)."
        )
    want = {"sentences": 1, "pairs": 2, "triples": 3}[need]
    if want > 1 and not any(len(d) >= want for d in docs.documents):
        raise CorpusTooSmallError(
            f"{docs.description}: no document has {want} consecutive sentences, and this objective predicts "
            "a sentence's neighbours. Put consecutive sentences in one file (not one sentence per file)."
        )


def neighbour_pairs(docs: Documents) -> list[tuple[list[str], list[str]]]:
    """``(sentence, next sentence)`` inside each document, in corpus order."""
    return [(d[i], d[i + 1]) for d in docs.documents for i in range(len(d) - 1)]


def neighbour_triples(docs: Documents) -> list[tuple[list[str], list[str], list[str]]]:
    """``(previous, sentence, next)`` inside each document, in corpus order."""
    return [(d[i - 1], d[i], d[i + 1]) for d in docs.documents for i in range(1, len(d) - 1)]


def bundled_pairs(path: Path = PAIRS_FILE) -> Pairs:
    """The WordNet gloss pairs (``label<TAB>premise<TAB>hypothesis`` lines, gzip)."""
    if not path.is_file():
        raise EmptyInputError(f"The bundled pair data {path} is missing. Rebuild it with "
                              "`python scripts/build_wordnet_pairs.py`, or give an NLI CSV.")
    rows = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3:
                rows.append(parts)
    names = sorted({r[0] for r in rows})
    index = {n: i for i, n in enumerate(names)}
    return Pairs([r[1] for r in rows], [r[2] for r in rows], [index[r[0]] for r in rows], names,
                 "WordNet 3.0 gloss pairs (hypernym / antonym / unrelated), built by "
                 "scripts/build_wordnet_pairs.py")


def read_nli_csv(path: str | Path) -> Pairs:
    """A user's NLI CSV file (see :func:`read_nli`)."""
    p = Path(path)
    if not p.is_file():
        raise FormatError(str(p), "no such file.", hint="Give a CSV with premise,hypothesis,label columns.")
    return read_nli(str(p), p.read_bytes())


def read_nli(name: str, blob: bytes) -> Pairs:
    """A user's NLI CSV: columns ``premise``, ``hypothesis``, ``label`` (entailment, neutral, contradiction).

    Raises
    ------
    BinaryFileError, EncodingError
        Not text (a file that is not UTF-8 is read as Windows-1252, as corpora are).
    FormatError
        A column missing, an empty cell, or a label that is none of the three
        (the message names the line and the label).
    EmptyInputError
        No rows.
    """
    check_size(name, len(blob), MAX_NLI_BYTES)
    p = Path(name)
    reader = csv_records(decode_text(p.name, blob)[0])
    cols = {c.strip().lower(): c for c in (reader.fieldnames or []) if c}
    missing = [c for c in ("premise", "hypothesis", "label") if c not in cols]
    if missing:
        raise FormatError(name, f"has no column {', '.join(repr(m) for m in missing)}; its columns are "
                          f"{', '.join(cols) or 'none'}.",
                          hint="Name the columns premise, hypothesis, label.")
    prem, hyp, labels = [], [], []
    for n, row in enumerate(reader, 2):
        a, b = (row.get(cols["premise"]) or "").strip(), (row.get(cols["hypothesis"]) or "").strip()
        label = (row.get(cols["label"]) or "").strip().lower()
        if label not in NLI_LABELS:
            raise FormatError(name, f"has the label {label!r}, which is not an NLI label.", n,
                              f"Use one of {', '.join(NLI_LABELS)} for every row.")
        if not a or not b:
            raise FormatError(name, "has an empty premise or hypothesis.", n, "Fill in or drop the row.")
        prem.append(a)
        hyp.append(b)
        labels.append(NLI_LABELS.index(label))
        if len(labels) > MAX_PAIRS:
            raise FormatError(name, f"has more than {MAX_PAIRS:,} pairs.", hint="Use a sample.")
    if not labels:
        raise EmptyInputError(f"{name}: no pairs. Give rows of premise,hypothesis,label.")
    return Pairs(prem, hyp, labels, list(NLI_LABELS), f"NLI pairs from {p.name}")

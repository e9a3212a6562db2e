"""Training corpora: the bundled default, user uploads (.txt, several files, .zip) and tokenisation.

A :class:`Corpus` is a list of tokenised sentences plus a description of where it came from. Uploads are
untrusted: sizes are bounded, zips go through :func:`embedlab.uploads.read_zip`, binary files and
undecodable text are refused with a message that says what to do.
"""

from __future__ import annotations

import gzip
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from pathlib import Path, PurePosixPath

from embedlab.errors import EmbedlabError, EmptyInputError, InvalidParameterError
from embedlab.resources import data_path
from embedlab.uploads import MB, check_size, decode_text, read_zip

DEFAULT_CORPUS = data_path("corpus", "default.txt.gz")
DEFAULT_DESCRIPTION = (
    "embedlab default corpus: WordNet 3.0 glosses (Princeton, WordNet licence) + 206 English Wikipedia "
    "articles from gensim's test data (CC BY-SA) + the Lee news corpus; ~2.3M words"
)
TEXT_SUFFIXES = (".txt", ".text", ".md", ".csv", ".tsv")
MAX_UPLOAD_BYTES = 50 * MB  # text in all uploaded files together (zips: after inflating)
SAMPLE_EVERY = 20  # the "sample" corpus: every 20th line of the default one
MAX_SENTENCE = 1000  # longer paragraphs are cut into pieces of this many tokens (gensim caps at 10,000)

TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")
_PUNCT = re.compile(r"^[^\w]+$")


class CorpusTooSmallError(EmbedlabError):
    """The corpus has fewer tokens than the training window needs."""


class EmptyVocabularyError(EmptyInputError):
    """No word survives the minimum-count / maximum-vocabulary filter."""


@dataclass(frozen=True)
class TokenOptions:
    """How raw text becomes tokens and which words are kept.

    Parameters
    ----------
    lowercase : bool
        Fold "King" and "king" into one word.
    strip_punctuation : bool
        Drop tokens made only of punctuation (``, . ; "``).
    min_count : int
        Words seen fewer times are left out of the vocabulary (and of training).
    max_vocab : int, optional
        Keep only this many most frequent words (``None``: no cap).
    """

    lowercase: bool = True
    strip_punctuation: bool = True
    min_count: int = 5
    max_vocab: int | None = None

    def __post_init__(self) -> None:
        if int(self.min_count) < 1:
            raise InvalidParameterError(f"min count must be at least 1; got {self.min_count}.")
        if self.max_vocab is not None and int(self.max_vocab) < 1:
            raise InvalidParameterError(f"max vocabulary must be at least 1 (or empty for no cap); got "
                                        f"{self.max_vocab}.")


@dataclass
class RawText:
    """Decoded text documents before tokenisation, with notes for the user (encodings assumed, skips)."""

    documents: list[tuple[str, str]] = field(default_factory=list)  # (name, text)
    notes: list[str] = field(default_factory=list)
    pretokenised: bool = False

    @property
    def names(self) -> list[str]:
        return [n for n, _ in self.documents]


@dataclass
class Corpus:
    """Tokenised sentences (lists of str) and where they came from."""

    sentences: list[list[str]]
    description: str
    options: TokenOptions = field(default_factory=TokenOptions)
    notes: list[str] = field(default_factory=list)
    _counts: Counter | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def n_tokens(self) -> int:
        return sum(len(s) for s in self.sentences)

    @property
    def n_sentences(self) -> int:
        return len(self.sentences)

    def counts(self) -> Counter:
        """Token frequencies (all tokens, before min count); counted once (treat sentences as read-only)."""
        if self._counts is None:
            self._counts = Counter(chain.from_iterable(self.sentences))
        return self._counts


@dataclass(frozen=True)
class CorpusStats:
    """What a user sees before training: sizes before and after the vocabulary filter."""

    n_tokens: int
    n_sentences: int
    n_types: int
    vocab_size: int
    tokens_in_vocab: int
    min_count: int
    max_vocab: int | None
    top_words: tuple[tuple[str, int], ...]

    @property
    def coverage(self) -> float:
        """Share of running tokens whose word is in the vocabulary."""
        return self.tokens_in_vocab / self.n_tokens if self.n_tokens else 0.0

    def to_dict(self) -> dict:
        return {"tokens": self.n_tokens, "sentences": self.n_sentences, "distinct_words": self.n_types,
                "vocab_size": self.vocab_size, "tokens_in_vocab": self.tokens_in_vocab,
                "coverage": round(self.coverage, 4), "min_count": self.min_count, "max_vocab": self.max_vocab,
                "top_words": [list(t) for t in self.top_words]}


# ----------------------------------------------------------------------------- reading
@lru_cache(maxsize=1)
def _default_lines() -> tuple[str, ...]:
    if not DEFAULT_CORPUS.is_file():
        raise EmptyInputError(
            f"The default corpus {DEFAULT_CORPUS} is missing. Rebuild it with "
            "`python scripts/build_corpus.py` or upload your own text."
        )
    with gzip.open(DEFAULT_CORPUS, "rt", encoding="utf-8") as fh:
        return tuple(line.rstrip("\n") for line in fh if line.strip())


def default_text(every: int = 1) -> RawText:
    """The bundled default corpus (one pre-tokenised short document per line); ``every=20``: every 20th."""
    lines = _default_lines()
    name = "default" if every == 1 else "sample"
    return RawText([(name, "\n".join(lines[::every]))], pretokenised=True)


def read_uploads(files: Sequence[tuple[str, bytes]], max_bytes: int = MAX_UPLOAD_BYTES) -> RawText:
    """Decode uploaded ``(file name, bytes)`` pairs: text files and zips of text files.

    Raises
    ------
    EmptyInputError
        No files, or only empty / whitespace files.
    InputTooLargeError, UnsafeArchiveError, BinaryFileError, EncodingError
    """
    if not files:
        raise EmptyInputError("No files were given. Upload one or more .txt files or a .zip of them.")
    raw, total = RawText(), 0
    for name, data in files:
        members = [(name, data)]
        if PurePosixPath(name).suffix.lower() == ".zip" or data[:4] == b"PK\x03\x04":
            z = read_zip(data, name, max_total_bytes=max_bytes, suffixes=TEXT_SUFFIXES)
            members = [(f"{name}/{p}", b) for p, b in z.files]
            raw.notes += [f"Skipped {name}/{p}: {why} (only {', '.join(TEXT_SUFFIXES)} are read)."
                          for p, why in z.skipped]
        for member, blob in members:
            total += len(blob)
            check_size(member if len(members) == 1 else f"{name} (all files)", total, max_bytes)
            text, note = decode_text(member, blob)
            if note:
                raw.notes.append(note)
            if not text.strip():
                raw.notes.append(f"'{member}' is empty; skipped.")
                continue
            raw.documents.append((member, text))
    if not raw.documents:
        why = f" ({raw.notes[0]}{' …' if len(raw.notes) > 1 else ''})" if raw.notes else ""
        raise EmptyInputError(
            f"The upload ({', '.join(n for n, _ in files)}) contains no text{why}. Upload a .txt file with "
            "some sentences in it (a few thousand words at least for meaningful vectors)."
        )
    return raw


def read_paths(paths: Iterable[str | Path], max_bytes: int = MAX_UPLOAD_BYTES) -> RawText:
    """Read text files, zips or folders of text files from disk (for the CLI).

    ``"default"`` is the bundled corpus, ``"sample"`` every 20th line of it (~115k words, for quick demos).
    """
    paths = list(paths)
    if [str(p) for p in paths] == ["default"]:
        return default_text()
    if [str(p) for p in paths] == ["sample"]:
        return default_text(SAMPLE_EVERY)
    files: list[tuple[str, bytes]] = []
    for p in map(Path, paths):
        if not p.exists():
            raise EmptyInputError(f"Corpus path '{p}' does not exist. Give a .txt file, a .zip, a folder, "
                                  "or 'default' for the bundled corpus.")
        items = [p]
        if p.is_dir():
            items = sorted(q for q in p.rglob("*") if q.suffix.lower() in (*TEXT_SUFFIXES, ".zip"))
        for q in items:
            check_size(str(q), q.stat().st_size, max_bytes)
            files.append((str(q), q.read_bytes()))
    return read_uploads(files, max_bytes)


# ----------------------------------------------------------------------------- tokenising
def tokenize(text: str, lowercase: bool = True, strip_punctuation: bool = True) -> list[str]:
    """Split text into words and punctuation marks (``"Don't stop!"`` → ``["don't", "stop", "!"]``)."""
    toks = TOKEN.findall(text.lower() if lowercase else text)
    return [t for t in toks if not _PUNCT.match(t)] if strip_punctuation else toks


def _paragraphs(text: str, pretokenised: bool) -> Iterable[str]:
    if pretokenised:
        return text.split("\n")
    return (p for p in re.split(r"\n\s*\n", text) if p.strip())


def prepare(raw: RawText, options: TokenOptions = TokenOptions(), description: str = "") -> Corpus:
    """Tokenise raw documents into sentences (paragraphs, cut at :data:`MAX_SENTENCE` tokens)."""
    sentences: list[list[str]] = []
    for _name, text in raw.documents:
        for para in _paragraphs(text, raw.pretokenised):
            if raw.pretokenised:
                toks = para.lower().split() if options.lowercase else para.split()
                if options.strip_punctuation:
                    toks = [t for t in toks if not _PUNCT.match(t)]
            else:
                toks = tokenize(para, options.lowercase, options.strip_punctuation)
            sentences += [toks[i:i + MAX_SENTENCE] for i in range(0, len(toks), MAX_SENTENCE)]
    if not sentences:
        raise EmptyInputError(
            "The corpus has no words left after tokenising. Upload text with words in it, or turn off "
            "'strip punctuation' if your text is mostly symbols."
        )
    desc = description or {"default": DEFAULT_DESCRIPTION,
                           "sample": f"every {SAMPLE_EVERY}th line of the {DEFAULT_DESCRIPTION}"}.get(
        raw.names[0] if len(raw.names) == 1 else "",
        f"uploaded: {', '.join(raw.names[:5])}{' …' if len(raw.names) > 5 else ''}")
    return Corpus(sentences, desc, options, list(raw.notes))


def load_corpus(source: str | Sequence[str | Path] = "default", options: TokenOptions = TokenOptions()
                ) -> Corpus:
    """Read and tokenise a corpus: ``"default"`` or file / zip / folder paths."""
    paths = [source] if isinstance(source, (str, Path)) else list(source)
    return prepare(read_paths(paths), options)


# ----------------------------------------------------------------------------- vocabulary
def vocabulary(corpus: Corpus, min_count: int | None = None, max_vocab: int | None = -1
               ) -> list[tuple[str, int]]:
    """``(word, count)`` pairs kept by the filter, most frequent first (ties: alphabetical).

    ``min_count`` / ``max_vocab`` default to the corpus's :class:`TokenOptions`.
    """
    mc = corpus.options.min_count if min_count is None else int(min_count)
    mv = corpus.options.max_vocab if max_vocab == -1 else max_vocab
    kept = sorted(((w, c) for w, c in corpus.counts().items() if c >= mc), key=lambda wc: (-wc[1], wc[0]))
    return kept[: int(mv)] if mv else kept


def check_trainable(corpus: Corpus, window: int, min_count: int | None = None, max_vocab: int | None = -1
                    ) -> list[tuple[str, int]]:
    """The vocabulary, after checking the corpus is big enough to train with ``window``.

    Raises
    ------
    CorpusTooSmallError, EmptyVocabularyError
    """
    n = corpus.n_tokens
    if n <= int(window):
        raise CorpusTooSmallError(
            f"The corpus has only {n:,} tokens, not more than the window of {window}. Add more text "
            f"(thousands of words at least) or lower the window below {max(1, n)}."
        )
    vocab = vocabulary(corpus, min_count, max_vocab)
    if not vocab:
        mc = corpus.options.min_count if min_count is None else min_count
        top = max(corpus.counts().values(), default=0)
        raise EmptyVocabularyError(
            f"No word occurs at least {mc} times (min count), so the vocabulary is empty; the most frequent "
            f"word occurs {top} times. Lower the min count to {max(1, top)} or below, or add more text."
        )
    return vocab


def stats(corpus: Corpus, min_count: int | None = None, max_vocab: int | None = -1, top: int = 10
          ) -> CorpusStats:
    """Token, sentence and vocabulary counts for the filter (shown before training)."""
    counts = corpus.counts()
    vocab = vocabulary(corpus, min_count, max_vocab)
    return CorpusStats(
        n_tokens=corpus.n_tokens, n_sentences=corpus.n_sentences, n_types=len(counts), vocab_size=len(vocab),
        tokens_in_vocab=sum(c for _, c in vocab),
        min_count=corpus.options.min_count if min_count is None else int(min_count),
        max_vocab=corpus.options.max_vocab if max_vocab == -1 else max_vocab,
        top_words=tuple(vocab[:top]),
    )

"""Sentence spaces: transformer sentence vectors, the averaged-word-vector baseline, semantic search.

Input is cleaned first (:func:`parse_text`, :func:`read_upload`): empty lines dropped, duplicates dropped
(keys must be unique), a stated cap of :data:`MAX_LINES` lines, binary uploads refused. Every count is kept
on the result so pages and the CLI can say what happened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from embedlab.encoders.base import EncoderSpec, get_encoder, register_kind
from embedlab.encoders.specs import DEFAULT_TEXT_ENCODER
from embedlab.encoders.wordavg import DEFAULT_WORDS, WordAverageEncoder
from embedlab.errors import EmptyInputError, FormatError, InputTooLargeError, InvalidParameterError
from embedlab.linalg import normalize_rows
from embedlab.neighbours import top_k
from embedlab.progress import Progress
from embedlab.registry import load
from embedlab.space import EmbeddingSpace
from embedlab.uploads import MB, check_size, csv_records, csv_rows, decode_text
from embedlab.words import average_vectors

MAX_LINES = 10_000
MAX_UPLOAD_BYTES = 5 * MB
TEXT_SUFFIXES = (".txt", ".csv", ".tsv")
WORD_ORDER_PAIR = ("dog bites man", "man bites dog")


@dataclass
class SentenceInput:
    """Cleaned sentences plus what was dropped on the way."""

    sentences: list[str]
    source: str = "typed"
    dropped_empty: int = 0
    duplicates: int = 0
    decoding: str | None = None  # how an upload that was not UTF-8 was read (embedlab.uploads.decode_text)

    def notes(self) -> list[str]:
        """Human sentences about how the text was read and what was dropped (empty when nothing was)."""
        out = [self.decoding] if self.decoding else []
        if self.dropped_empty:
            out.append(f"Dropped {self.dropped_empty:,} empty line(s).")
        if self.duplicates:
            out.append(f"Dropped {self.duplicates:,} duplicate sentence(s) (each sentence is kept once).")
        return out


def _clean(lines: Sequence[str], source: str, max_lines: int) -> SentenceInput:
    seen: dict[str, None] = {}
    empty = dup = 0
    for line in lines:
        s = " ".join(str(line).split())
        if not s:
            empty += 1
        elif s in seen:
            dup += 1
        else:
            seen[s] = None
    if not seen:
        raise EmptyInputError(
            f"{source}: no sentences found ({empty:,} empty line(s)). Give one sentence per line."
        )
    if len(seen) > max_lines:
        raise InputTooLargeError(
            f"{source}: {len(seen):,} sentences; the limit is {max_lines:,} per space. "
            "Split the file, or keep a sample of the lines."
        )
    return SentenceInput(list(seen), source, empty, dup)


def parse_text(text: str, source: str = "typed", max_lines: int = MAX_LINES) -> SentenceInput:
    """One sentence per line; empty lines and duplicates dropped (and counted)."""
    return _clean(text.splitlines(), source, max_lines)


def csv_columns(data: bytes, name: str = "upload.csv") -> list[str]:
    """Header names of a CSV upload (to let users pick the text column)."""
    text = decode_text(name, data).text
    delim = "\t" if name.lower().endswith(".tsv") else ","
    header = next(csv_rows(text, delimiter=delim), [])
    return [h.strip() for h in header if h.strip()]


def default_column(columns: Sequence[str]) -> str | None:
    """The likely text column: ``sentence``, ``text`` or ``sentences`` (any case), else the first."""
    for want in ("sentence", "text", "sentences"):
        for c in columns:
            if c.strip().lower() == want:
                return c
    return columns[0] if columns else None


def read_upload(name: str, data: bytes, column: str | None = None, max_lines: int = MAX_LINES,
                max_bytes: int = MAX_UPLOAD_BYTES) -> SentenceInput:
    """Sentences from an uploaded ``.txt`` (one per line) or ``.csv``/``.tsv`` (one column).

    Raises
    ------
    FormatError
        Not a text file, wrong suffix, or the CSV column does not exist.
    InputTooLargeError
        More than ``max_bytes`` bytes or ``max_lines`` sentences.
    """
    suffix = Path(name).suffix.lower()
    if suffix not in TEXT_SUFFIXES:
        raise FormatError(name, f"has type '{suffix or 'none'}'; expected one of {', '.join(TEXT_SUFFIXES)}.",
                          hint="Upload sentences as a text file (one per line) or a CSV column.")
    check_size(name, len(data), max_bytes)
    text, note = decode_text(name, data)
    if suffix == ".txt":
        return replace(_clean(text.splitlines(), name, max_lines), decoding=note)
    reader = csv_records(text, delimiter="\t" if suffix == ".tsv" else ",")
    cols = [c for c in (reader.fieldnames or []) if c]
    col = column or default_column(cols)
    if col is None or col not in cols:
        raise FormatError(name, f"has no column '{column}'. Columns: {', '.join(cols) or 'none'}.",
                          hint="Pick one of the listed columns.")
    return replace(_clean([row.get(col) or "" for row in reader], f"{name} (column '{col}')", max_lines),
                   decoding=note)


def _as_input(sentences: SentenceInput | Sequence[str]) -> SentenceInput:
    if isinstance(sentences, SentenceInput):
        return sentences
    return _clean(list(sentences), "sentences", max(MAX_LINES, len(sentences)))


def embed_sentences(sentences: SentenceInput | Sequence[str], encoder: str = DEFAULT_TEXT_ENCODER,
                    batch_size: int = 32, progress: Progress | None = None, name: str | None = None
                    ) -> EmbeddingSpace:
    """A space of sentence vectors (keys = the sentences), mean-pooled and normalised by ``encoder``.

    ``info`` records ``encoder``, ``truncated`` (sentences cut at the model's token limit), ``max_length``,
    ``dropped_empty`` and ``duplicates``.
    """
    import pandas as pd

    inp = _as_input(sentences)
    enc = get_encoder(encoder)
    truncated = [i for i, t in enumerate(enc.tokenize(inp.sentences)) if t.truncated]
    vecs = enc.encode(inp.sentences, batch_size=batch_size, progress=progress)
    meta = pd.DataFrame({"source": inp.source, "truncated": False, "model": enc.name}, index=range(len(vecs)))
    meta.loc[truncated, "truncated"] = True
    return EmbeddingSpace(inp.sentences, vecs, meta, name=name or f"sentences ({enc.name})", info={
        "source": f"sentence vectors of {inp.source} by {enc.name}", "kind": "sentences", "encoder": enc.name,
        "truncated": len(truncated), "max_length": enc.max_length,
        "dropped_empty": inp.dropped_empty, "duplicates": inp.duplicates,
    })


def averaged_space(sentences: SentenceInput | Sequence[str], words: EmbeddingSpace, name: str | None = None
                   ) -> EmbeddingSpace:
    """Baseline: each sentence is the average of its words' static vectors (word order is lost)."""
    import pandas as pd

    inp = _as_input(sentences)
    vecs, empty = average_vectors(inp.sentences, words)
    meta = pd.DataFrame({"source": inp.source, "model": f"average of {words.name}"}, index=range(len(vecs)))
    return EmbeddingSpace(inp.sentences, vecs, meta, name=name or f"sentences (averaged {words.name})", info={
        "source": f"averaged {words.name} word vectors of {inp.source}", "kind": "sentences",
        "words": words.name, "no_known_words": len(empty),
        "dropped_empty": inp.dropped_empty, "duplicates": inp.duplicates,
    })


def query_vector(space: EmbeddingSpace, query: str, words: EmbeddingSpace | None = None) -> np.ndarray:
    """Embed ``query`` the way ``space`` was made (its encoder, or the averaged word vectors)."""
    if not query.strip():
        raise EmptyInputError("The search query is empty; type a sentence to search for.")
    if space.info.get("encoder"):
        return get_encoder(space.info["encoder"]).encode([query])[0]
    if space.info.get("words"):
        if words is None:
            words = load(space.info["words"])
        vec, empty = average_vectors([query], words)
        if empty:
            raise InvalidParameterError(f"No word of '{query}' is in {words.name}; rephrase the query.")
        return vec[0]
    raise InvalidParameterError(f"{space.name} is not a sentence space; embed sentences first.")


def semantic_search(space: EmbeddingSpace, query: str, k: int = 5, words: EmbeddingSpace | None = None
                    ) -> list[tuple[str, float]]:
    """The ``k`` sentences of ``space`` most similar (cosine) to ``query``, best first, with scores."""
    if k < 1:
        raise InvalidParameterError(f"k must be at least 1; got {k}.")
    q = query_vector(space, query, words)
    scores = space.normed @ normalize_rows(q)
    return [(space.keys[i], float(scores[i])) for i in top_k(scores, k)]


def similarity_matrix(space: EmbeddingSpace) -> np.ndarray:
    """Cosine similarity between every pair of rows, (n, n) float32."""
    return (space.normed @ space.normed.T).astype(np.float32)


def word_order_demo(words: EmbeddingSpace, encoder: str = DEFAULT_TEXT_ENCODER,
                    pair: tuple[str, str] = WORD_ORDER_PAIR) -> list[dict]:
    """Cosine between the two sentences of ``pair`` under averaged word vectors and under the transformer.

    Returns rows ``{"model", "cosine", "identical"}``; averaging ignores word order, so its cosine is 1.0
    for sentences with the same words.
    """
    avg, _ = average_vectors(list(pair), words)
    enc = get_encoder(encoder).encode(list(pair))
    rows = []
    for model, v in ((f"average of {words.name} word vectors", avg), (f"{encoder} (transformer)", enc)):
        a, b = v[0], v[1]
        cos = float(a @ b / ((np.linalg.norm(a) * np.linalg.norm(b)) or 1.0))
        rows.append({"model": model, "cosine": cos, "identical": bool(np.array_equal(a, b))})
    return rows


def word_average_encoder(spec: EncoderSpec) -> WordAverageEncoder:
    """The ``word-average`` encoder kind: its word space (option ``space``) loaded through the registry."""
    return WordAverageEncoder(spec, load(spec.options.get("space", DEFAULT_WORDS)))


register_kind("word-average", word_average_encoder)

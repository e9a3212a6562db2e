"""Corpus reading, tokenisation options and every kind of bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_zip

from embedlab.errors import EmptyInputError, InputTooLargeError
from embedlab.train.corpus import (
    CorpusTooSmallError,
    EmptyVocabularyError,
    RawText,
    TokenOptions,
    check_trainable,
    load_corpus,
    prepare,
    read_uploads,
    stats,
    tokenize,
)
from embedlab.uploads import BinaryFileError, EncodingError, UnsafeArchiveError, decode_text

DATA = Path(__file__).parent / "data" / "train"


def test_tokenize_options():
    text = "The King's dog, Rex, barked!"
    assert tokenize(text) == ["the", "king's", "dog", "rex", "barked"]
    assert tokenize(text, lowercase=False) == ["The", "King's", "dog", "Rex", "barked"]
    assert tokenize(text, strip_punctuation=False)[-2:] == ["barked", "!"]


def test_paragraphs_become_sentences_and_stats_count_them():
    raw = read_uploads([("tiny.txt", (DATA / "tiny.txt").read_bytes())])
    c = prepare(raw, TokenOptions(min_count=2))
    assert c.n_sentences == 2  # a blank line separates paragraphs
    assert c.sentences[0][:3] == ["the", "king", "rode"]
    s = stats(c)
    assert s.n_tokens == c.n_tokens == 18
    assert dict(s.top_words)["the"] == 4 and "king" not in dict(s.top_words)  # min count 2 drops king
    assert s.vocab_size == 6 and 0 < s.coverage < 1
    assert stats(c, min_count=1, max_vocab=3).vocab_size == 3


def test_default_and_sample_corpus_are_bundled():
    c = load_corpus("sample")
    assert 80_000 < c.n_tokens < 200_000
    assert "WordNet" in c.description
    assert {"king", "queen", "man", "woman"} <= set(w for w, _ in stats(c, min_count=1).top_words) or \
        all(w in c.counts() for w in ("king", "queen", "man", "woman"))


def test_zip_of_text_files_and_skipped_members():
    data = make_zip({"a/one.txt": b"hello world", "two.md": b"more words", "x.png": b"\x89PNG"})
    raw = read_uploads([("c.zip", data)])
    assert sorted(raw.names) == ["c.zip/a/one.txt", "c.zip/two.md"]
    assert any("x.png" in n for n in raw.notes)


def test_windows_1252_is_read_with_a_note():
    text, note = decode_text("latin1.txt", (DATA / "latin1.txt").read_bytes())
    assert "Café" in text and "Windows-1252" in note


@pytest.mark.parametrize("files, error, words", [
    ([], EmptyInputError, "No files"),
    ([("e.txt", b"  \n\n ")], EmptyInputError, "contains no text"),
    ([("binary.txt", (DATA / "binary.txt").read_bytes())], BinaryFileError, "binary"),
    ([("bad.txt", (DATA / "bad.txt").read_bytes())], EncodingError, "UTF-8"),
    ([("evil.zip", make_zip({"../escape.txt": b"x"}))], UnsafeArchiveError, "escape"),
    ([("big.txt", b"word " * 300)], InputTooLargeError, "limit"),
])
def test_bad_uploads_raise_clear_errors(files, error, words):
    with pytest.raises(error, match=words):
        read_uploads(files, max_bytes=1000)


def test_zip_bomb_is_refused():
    with pytest.raises(InputTooLargeError):
        read_uploads([("bomb.zip", make_zip({"a.txt": b"a" * 5000}))], max_bytes=1000)


def test_too_small_for_window_and_empty_vocabulary():
    c = prepare(RawText([("t", "one two three")]), TokenOptions(min_count=1))
    with pytest.raises(CorpusTooSmallError, match="window of 5"):
        check_trainable(c, window=5)
    c = prepare(RawText([("t", "one two three four five six seven")]), TokenOptions(min_count=3))
    with pytest.raises(EmptyVocabularyError, match="min count"):
        check_trainable(c, window=2)


def test_only_punctuation_is_empty():
    with pytest.raises(EmptyInputError, match="no words"):
        prepare(RawText([("t", "!!! ... ???")]))


def test_bad_options():
    from embedlab.errors import InvalidParameterError

    with pytest.raises(InvalidParameterError, match="min count"):
        TokenOptions(min_count=0)


def test_zip_without_text_files_says_what_was_skipped():
    with pytest.raises(EmptyInputError, match=r"contains no text \(Skipped doc.docx/word/document.xml"):
        read_uploads([("doc.docx", make_zip({"word/document.xml": b"<w:document/>"}))])

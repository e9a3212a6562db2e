"""Writers (round trips, gensim interop), arrays + labels, Projector pairs, Parquet, and uploads."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from embedlab.errors import FormatError, InputTooLargeError, InvalidParameterError
from embedlab.formats import WRITE_FORMATS, read, read_upload, write
from embedlab.space import EmbeddingSpace


@pytest.fixture
def space() -> EmbeddingSpace:
    rng = np.random.default_rng(7)
    keys = ["king", "queen", "1.5", "-", "ça", "new\u00a0york", "東京"]
    vecs = rng.normal(size=(len(keys), 6)).astype(np.float32) * np.float32(3.3)
    vecs[0, 0] = np.float32(1e-30)  # a subnormal-ish tiny value must survive text round trips too
    return EmbeddingSpace(keys, vecs, name="toy").with_meta(rank=range(1, 8), pos=list("nnxxnnn"))


# ------------------------------------------------------------------ round trips
@pytest.mark.parametrize("fmt", WRITE_FORMATS)
def test_round_trip_every_writer(tmp_path, space, fmt):
    paths = write(space, tmp_path / "out.dat", fmt)
    assert all(p.is_file() for p in paths)
    back = read(paths[0], metadata=paths[1] if fmt == "projector-tsv" else None)
    assert back.keys == space.keys
    np.testing.assert_array_equal(back.vectors, space.vectors)
    assert back.info["duplicates_dropped"] == 0
    if fmt in ("projector-tsv", "parquet"):
        pd.testing.assert_frame_equal(back.meta, space.meta, check_dtype=False)
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".")]  # no temporary leftovers


def test_projector_pair_names_and_header(tmp_path, space):
    paths = write(space, tmp_path / "vectors.tsv", "projector-tsv")
    assert [p.name for p in paths] == ["vectors.tsv", "metadata.tsv"]
    assert paths[1].read_text(encoding="utf-8").splitlines()[0] == "key\trank\tpos"
    bare = EmbeddingSpace(space.keys, space.vectors, name="bare")
    paths = write(bare, tmp_path / "emb.tsv", "projector-tsv")
    assert paths[1].name == "emb-metadata.tsv"
    assert paths[1].read_text(encoding="utf-8").splitlines() == list(space.keys)  # one column: no header
    assert "\t" in paths[0].read_text().splitlines()[0]


def test_word2vec_writers_refuse_keys_with_spaces(tmp_path):
    s = EmbeddingSpace(["new york", "b"], np.eye(2), name="s")
    for fmt in ("word2vec-text", "word2vec-binary"):
        with pytest.raises(FormatError, match="key 1 \\('new york'\\).*a space"):
            write(s, tmp_path / "x", fmt)
    assert write(s, tmp_path / "x.parquet", "parquet")
    with pytest.raises(InvalidParameterError, match="npy"):
        write(s, tmp_path / "x.npy", "npy")


# ------------------------------------------------------------------ gensim interop
def _kv(space: EmbeddingSpace):
    from gensim.models import KeyedVectors

    kv = KeyedVectors(space.dim)
    kv.add_vectors(list(space.keys), np.asarray(space.vectors))
    return kv


@pytest.mark.parametrize("binary", [True, False])
def test_gensim_files_load_identically(tmp_path, space, binary):
    path = tmp_path / ("g.bin" if binary else "g.txt")
    _kv(space).save_word2vec_format(str(path), binary=binary)
    back = read(path)
    assert back.info["format"] == ("word2vec-binary" if binary else "word2vec-text")
    assert back.keys == space.keys
    np.testing.assert_array_equal(back.vectors, space.vectors)


@pytest.mark.parametrize("fmt", ["word2vec-text", "word2vec-binary", "glove-text"])
def test_our_files_load_in_gensim(tmp_path, space, fmt):
    from gensim.models import KeyedVectors

    path = write(space, tmp_path / "ours", fmt)[0]
    kw = {"no_header": True} if fmt == "glove-text" else {}
    kv = KeyedVectors.load_word2vec_format(str(path), binary=fmt.endswith("binary"), **kw)
    assert list(kv.index_to_key) == list(space.keys)
    np.testing.assert_array_equal(kv.vectors, space.vectors)


def test_gensim_shipped_files_match_gensim():
    import gensim
    from gensim.models import KeyedVectors

    data = Path(gensim.__file__).parent / "test" / "test_data"
    for name, binary in [("lee_fasttext.vec", False), ("euclidean_vectors.bin", True)]:
        ours = read(data / name)
        kv = KeyedVectors.load_word2vec_format(str(data / name), binary=binary)
        assert list(ours.keys) == list(kv.index_to_key)
        np.testing.assert_array_equal(ours.vectors, kv.vectors)


# ------------------------------------------------------------------ npy / npz + labels
def test_npy_with_labels(tmp_path, space):
    np.save(tmp_path / "v.npy", space.vectors)
    (tmp_path / "labels.txt").write_text("\ufeff" + "\r\n".join(space.keys) + "\r\n\r\n", encoding="utf-8")
    s = read(tmp_path / "v.npy", labels=tmp_path / "labels.txt")
    assert s.keys == space.keys and s.info["keys_from"] == "labels.txt"
    bare = read(tmp_path / "v.npy")
    assert bare.keys[:2] == ("0", "1") and any("row numbers" in w for w in bare.info["warnings"])


def test_npy_labels_count_mismatch(tmp_path, space):
    np.save(tmp_path / "v.npy", space.vectors)
    (tmp_path / "labels.txt").write_text("a\nb\n")
    with pytest.raises(FormatError, match="labels.txt.*2 labels for 7 vectors"):
        read(tmp_path / "v.npy", labels=tmp_path / "labels.txt")


def test_object_dtype_is_refused_without_unpickling(tmp_path):
    np.save(tmp_path / "obj.npy", np.array([{"a": 1}, None], dtype=object), allow_pickle=True)
    with pytest.raises(FormatError, match="obj.npy.*object dtype"):
        read(tmp_path / "obj.npy")
    np.savez(tmp_path / "obj.npz", vectors=np.eye(2), keys=np.array(["a", None], dtype=object))
    with pytest.raises(FormatError, match="obj.npz.*object dtype"):
        read(tmp_path / "obj.npz")


def test_npy_wrong_shape(tmp_path):
    np.save(tmp_path / "flat.npy", np.arange(5.0))
    with pytest.raises(FormatError, match=r"flat.npy.*shape \(5,\).*2-D"):
        read(tmp_path / "flat.npy")


def test_npz_keys_inside(tmp_path, space):
    np.savez(tmp_path / "v.npz", embeddings=space.vectors, words=np.array(space.keys))
    s = read(tmp_path / "v.npz")
    assert s.keys == space.keys and s.info["keys_from"] == "array 'words'"


# ------------------------------------------------------------------ projector metadata
def test_projector_metadata_repeated_labels_keep_every_row(tmp_path):
    (tmp_path / "vectors.tsv").write_text("1\t0\n0\t1\n1\t1\n")
    (tmp_path / "metadata.tsv").write_text("digit\tsplit\n7\ttrain\n7\ttest\n3\ttrain\n")
    s = read(tmp_path / "vectors.tsv", metadata=tmp_path / "metadata.tsv")
    assert s.keys == ("7", "7#2", "3")
    assert list(s.meta["split"]) == ["train", "test", "train"] and list(s.meta["label"]) == ["7", "7", "3"]
    with pytest.raises(FormatError, match="duplicate key '7' on line 2 and line 3"):
        read(tmp_path / "vectors.tsv", metadata=tmp_path / "metadata.tsv", on_duplicate="error")


def test_projector_metadata_single_column_with_header_and_bad_count(tmp_path):
    (tmp_path / "vectors.tsv").write_text("1\t0\n0\t1\n")
    (tmp_path / "metadata.tsv").write_text("word\ncat\ndog\n")
    assert read(tmp_path / "vectors.tsv", metadata=tmp_path / "metadata.tsv").keys == ("cat", "dog")
    (tmp_path / "metadata.tsv").write_text("a\nb\nc\nd\n")
    with pytest.raises(FormatError, match="metadata.tsv.*4 rows for 2 vectors"):
        read(tmp_path / "vectors.tsv", metadata=tmp_path / "metadata.tsv")
    with pytest.raises(InvalidParameterError, match="carries its own keys"):
        read(tmp_path / "vectors.tsv", "glove-text", metadata=tmp_path / "metadata.tsv")


# ------------------------------------------------------------------ parquet
def test_parquet_one_column_per_dimension(tmp_path):
    df = pd.DataFrame({"word": ["a", "b"], "d0": [1.0, 2.0], "d1": [3.0, 4.0], "freq": [10, 20],
                       "source": ["x", "y"]})
    df.to_parquet(tmp_path / "v.parquet")
    s = read(tmp_path / "v.parquet")
    assert s.keys == ("a", "b") and s.meta_columns == ["freq", "source"]
    np.testing.assert_array_equal(s.vectors, [[1, 3], [2, 4]])


def test_parquet_list_column_ragged(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"token": ["a", "b", "c"], "emb": [[1.0, 2.0], [3.0, 4.0], [5.0]]})
    pq.write_table(table, tmp_path / "r.pq")
    with pytest.raises(FormatError, match="r.pq.*row 3 has 1 values, expected 2"):
        read(tmp_path / "r.pq")


# ------------------------------------------------------------------ uploads
def test_upload_single_file_and_name(space, tmp_path):
    path = write(space, tmp_path / "mine.bin", "word2vec-binary")[0]
    s = read_upload([("mine.bin", path.read_bytes())])
    assert s.name == "mine" and s.keys == space.keys and s.info["source"] == "mine.bin"
    assert read_upload([("mine.bin", path.read_bytes())], name="other").name == "other"


def test_upload_pairs_in_any_order(space, tmp_path):
    vec, meta = write(space, tmp_path / "vectors.tsv", "projector-tsv")
    s = read_upload([("metadata.tsv", meta.read_bytes()), ("vectors.tsv", vec.read_bytes())])
    assert s.keys == space.keys and s.meta_columns == ["rank", "pos"]
    np.save(tmp_path / "emb.npy", space.vectors)
    lab = "\n".join(space.keys).encode()
    s = read_upload([("words.txt", lab), ("emb.npy", (tmp_path / "emb.npy").read_bytes())])
    assert s.keys == space.keys and s.name == "emb"


def test_upload_limits_and_unknown_combinations(tmp_path):
    with pytest.raises(InputTooLargeError, match="big.txt"):
        read_upload([("big.txt", b"a 1 2\n" * 100)], max_bytes=100)
    with pytest.raises(FormatError, match="'a.bin', 'b.bin'.*vectors.tsv \\+ metadata.tsv"):
        read_upload([("a.bin", b"1"), ("b.bin", b"2")])


def test_upload_errors_name_the_uploaded_file(tmp_path):
    with pytest.raises(FormatError) as e:
        read_upload([("my vectors.txt", b"a 1 2\nb 1 oops\n")])
    msg = str(e.value)
    assert msg.startswith("my vectors.txt, line 2:") and "'oops'" in msg and "embedlab-upload" not in msg


def test_parquet_integer_id_column_gives_keys(tmp_path):
    pd.DataFrame({"id": [10, 20], "x": [0.5, 1.5], "y": [2.5, 3.5]}).to_parquet(tmp_path / "ids.parquet")
    s = read(tmp_path / "ids.parquet")
    assert s.keys == ("10", "20") and s.dim == 2 and s.meta is None


def test_upload_zip_of_projector_pair(space, tmp_path):
    import io
    import zipfile

    vec, meta = write(space, tmp_path / "vectors.tsv", "projector-tsv")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.write(vec, "export/vectors.tsv")
        zf.write(meta, "export/metadata.tsv")
    s = read_upload([("export.zip", buf.getvalue())])
    assert s.keys == space.keys and s.name == "export"


def test_upload_refuses_pickles_and_failed_writes_leave_nothing(tmp_path):
    import pickle

    with pytest.raises(FormatError, match="model.pkl.*never unpickles"):
        read_upload([("model.pkl", pickle.dumps({"a": [1.0, 2.0]}))])
    s = EmbeddingSpace(["new york"], np.ones((1, 2)), name="s")
    with pytest.raises(FormatError):
        write(s, tmp_path / "w.txt", "word2vec-text")
    assert list(tmp_path.iterdir()) == []

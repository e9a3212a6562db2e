"""Exports: folders refused up front, Projector metadata found next to the vectors, both Parquet layouts."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from embedlab.errors import FormatError, InvalidParameterError
from embedlab.formats import WRITE_FORMATS, read, read_upload, write
from embedlab.space import EmbeddingSpace

TINY = Path(__file__).parent / "data" / "core" / "tiny.txt"


@pytest.fixture
def space() -> EmbeddingSpace:
    rng = np.random.default_rng(3)
    keys = ["king", "queen", "1.5", "ça", "東京"]
    vecs = rng.normal(size=(len(keys), 4)).astype(np.float32)
    return EmbeddingSpace(keys, vecs, name="toy").with_meta(rank=range(1, 6), score=[0.5, 1.5, 2, 3, 4.25],
                                                            pos=list("nnxnn"))


def _listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


# ------------------------------------------------------------------ a folder as the target
@pytest.mark.parametrize("fmt", WRITE_FORMATS)
def test_writing_to_a_folder_is_refused_before_anything_is_written(tmp_path, space, fmt):
    target = tmp_path / "exports"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    before = _listing(tmp_path)
    with pytest.raises(FormatError) as e:
        write(space, target, fmt)
    example = {"projector-tsv": "vectors.tsv", "parquet": "vectors.parquet",
               "word2vec-binary": "vectors.bin"}.get(fmt, "vectors.txt")
    assert str(e.value) == f"{target} is a folder; give a file name such as {target / example}."
    assert e.value.path == str(target)
    assert _listing(tmp_path) == before  # no temporary file in the folder or its parent


def test_projector_metadata_path_that_is_a_folder_is_refused(tmp_path, space):
    (tmp_path / "metadata.tsv").mkdir()
    with pytest.raises(FormatError, match="metadata.tsv is a folder"):
        write(space, tmp_path / "vectors.tsv", "projector-tsv")
    assert _listing(tmp_path) == ["metadata.tsv"]


def test_layout_option_is_checked(tmp_path, space):
    with pytest.raises(InvalidParameterError, match="columns='wide'.*word2vec-text"):
        write(space, tmp_path / "v.txt", "word2vec-text", columns="wide")
    with pytest.raises(InvalidParameterError, match="columns='tall'"):
        write(space, tmp_path / "v.parquet", "parquet", columns="tall")
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ projector metadata auto-detection
@pytest.mark.parametrize("name, meta_name, with_meta", [
    ("vectors.tsv", "metadata.tsv", True),         # header row (several columns)
    ("emb.tsv", "emb-metadata.tsv", True),
    ("emb.tsv", "emb-metadata.tsv", False),        # keys only: no header row
])
def test_projector_export_reads_back_without_naming_metadata(tmp_path, space, name, meta_name, with_meta):
    s = space if with_meta else EmbeddingSpace(space.keys, space.vectors, name="bare")
    vec, meta = write(s, tmp_path / name, "projector-tsv")
    assert meta.name == meta_name
    back = read(vec)
    assert back.keys == s.keys and back.info["keys_from"] == meta_name
    np.testing.assert_array_equal(back.vectors, s.vectors)
    if with_meta:
        pd.testing.assert_frame_equal(back.meta, s.meta, check_dtype=False)
    assert not any("row numbers" in w for w in back.info["warnings"])


def test_stem_metadata_is_preferred_over_plain_metadata(tmp_path):
    (tmp_path / "emb.tsv").write_text("1\t0\n0\t1\n")
    (tmp_path / "metadata.tsv").write_text("x\ny\n")
    (tmp_path / "emb-metadata.tsv").write_text("cat\ndog\n")
    s = read(tmp_path / "emb.tsv")
    assert s.keys == ("cat", "dog") and s.info["keys_from"] == "emb-metadata.tsv"
    (tmp_path / "emb-metadata.tsv").write_text("cat\ndog\nbird\nfish\n")  # does not fit: the next one does
    s = read(tmp_path / "emb.tsv")
    assert s.keys == ("x", "y") and s.info["keys_from"] == "metadata.tsv"
    assert any("emb-metadata.tsv" in w and "not used" in w for w in s.info["warnings"])


def test_sibling_metadata_with_wrong_row_count_warns_and_keeps_row_numbers(tmp_path):
    (tmp_path / "vectors.tsv").write_text("1\t0\n0\t1\n")
    (tmp_path / "metadata.tsv").write_text("a\nb\nc\nd\n")
    s = read(tmp_path / "vectors.tsv")
    assert s.keys == ("0", "1") and s.info["keys_from"] == "row numbers"
    msg = " ".join(s.info["warnings"])
    assert "metadata.tsv" in msg and "4 rows for 2 vectors" in msg and "row numbers" in msg


def test_sibling_metadata_with_repeated_labels_keeps_every_row(tmp_path):
    (tmp_path / "vectors.tsv").write_text("1\t0\n0\t1\n1\t1\n")
    (tmp_path / "metadata.tsv").write_text("digit\tsplit\n7\ttrain\n7\ttest\n3\ttrain\n")
    s = read(tmp_path / "vectors.tsv")
    assert s.keys == ("7", "7#2", "3") and list(s.meta["label"]) == ["7", "7", "3"]


def test_projector_without_any_metadata_says_to_upload_it(tmp_path):
    (tmp_path / "vectors.tsv").write_text("1\t0\n0\t1\n")
    s = read(tmp_path / "vectors.tsv")
    assert s.keys == ("0", "1")
    assert any("row numbers" in w and "metadata.tsv alongside" in w for w in s.info["warnings"])
    up = read_upload([("vectors.tsv", b"1\t0\n0\t1\n")])
    assert any("metadata.tsv alongside" in w and "embedlab-upload" not in w for w in up.info["warnings"])


def test_cli_projector_export_reads_back_by_itself(capsys, tmp_path):
    from embedlab.cli import main

    out = tmp_path / "vectors.tsv"
    assert main(["export", str(TINY), "--format", "projector-tsv", "--out", str(out), "--json"]) == 0
    files = json.loads(capsys.readouterr().out)["files"]
    back, original = read(out), read(TINY)
    assert back.keys == original.keys and back.info["keys_from"] == Path(files[1]).name
    np.testing.assert_allclose(back.vectors, original.vectors, rtol=1e-6)


# ------------------------------------------------------------------ parquet layouts
@pytest.mark.parametrize("columns, expected", [
    ("list", ["key", "vector", "rank", "score", "pos"]),
    ("wide", ["key", "d0", "d1", "d2", "d3", "rank", "score", "pos"]),
])
def test_parquet_layouts_round_trip(tmp_path, space, columns, expected):
    import pyarrow.parquet as pq

    path = write(space, tmp_path / "v.parquet", "parquet", columns=columns)[0]
    assert pq.read_schema(path).names == expected
    back = read(path)
    assert back.keys == space.keys and back.dim == 4
    np.testing.assert_array_equal(back.vectors, space.vectors)
    pd.testing.assert_frame_equal(back.meta, space.meta, check_dtype=False)  # float 'score' stays metadata


def test_wide_parquet_renames_dimension_like_metadata(tmp_path, space):
    s = space.with_meta(d0=[9.0] * len(space))
    back = read(write(s, tmp_path / "w.parquet", "parquet", columns="wide")[0])
    np.testing.assert_array_equal(back.vectors, space.vectors)
    assert back.meta_columns == ["rank", "score", "pos", "meta_d0"]

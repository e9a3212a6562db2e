"""CSV for people (embedlab/tables.py): formulas in text cells are neutralised, numbers stay numbers."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from embedlab.tables import csv_bytes, safe_cell, spreadsheet_safe

HOSTILE = ['=HYPERLINK("http://x","wildfire") wildfire near Sydney', "=cmd|' /C calc'!A0 fires burn",
           "@SUM(1+1) fire fighters", "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


def _cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_text_gets_a_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["wildfire near Sydney", "a = b", "", " =1+1", "-1", "+0.5", "-2e-3", "-.5",
                                   "-0.25 0.5 1e-3", -3.5, -1, None, True])
def test_plain_values_are_kept(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize("text", ["-1 + 1", "-1e5x", "-E5", "- 1", "-1,2"])
def test_almost_numbers_are_text(text):
    assert safe_cell(text) == "'" + text


def test_csv_bytes_neutralise_text_cells_and_column_names():
    df = pd.DataFrame({"text": HOSTILE, "score": [-0.5, 1.0, -2.0, 3.0, -4.0, 5.0, -6.0],
                       "rank": [-1, 2, 3, 4, 5, 6, 7]})
    df["=label"] = pd.Categorical(["-neg", "pos", "-neg", "pos", "pos", "pos", "pos"])
    rows = _cells(csv_bytes(df))
    assert rows[0] == ["text", "score", "rank", "'=label"]
    assert [r[0] for r in rows[1:]] == ["'" + t for t in HOSTILE]
    assert [r[1] for r in rows[1:]] == ["-0.5", "1.0", "-2.0", "3.0", "-4.0", "5.0", "-6.0"]
    assert [r[2] for r in rows[1:]][:2] == ["-1", "2"]
    assert [r[3] for r in rows[1:]][:2] == ["'-neg", "pos"]


def test_a_carriage_return_inside_a_cell_starts_no_row():
    df = pd.DataFrame({"text": ["fire\r=cmd|' /C calc'!A0", "calm\n@SUM(1)"], "n": [1, 2]})
    rows = _cells(csv_bytes(df))
    assert rows == [["text", "n"], ["fire\r=cmd|' /C calc'!A0", "1"], ["calm\n@SUM(1)", "2"]]


def test_numeric_columns_read_back_as_numbers():
    df = pd.DataFrame({"word": ["=x", "y"], "x": [-1.25, 2.5], "n": [-3, 4]})
    back = pd.read_csv(io.BytesIO(csv_bytes(df)))
    assert back["x"].tolist() == [-1.25, 2.5] and back["n"].tolist() == [-3, 4]
    assert back["word"].tolist() == ["'=x", "y"]


def test_the_input_frame_is_not_changed():
    df = pd.DataFrame({"text": ["=1+1"]})
    spreadsheet_safe(df)
    assert df["text"].tolist() == ["=1+1"]


def test_the_page_download_helper_uses_it():
    from ui import downloads

    df = pd.DataFrame({"text": ["@SUM(1+1) fire fighters"], "score": [-1.0]})
    assert downloads.csv_bytes(df) == b"text,score\r\n'@SUM(1+1) fire fighters,-1.0\r\n"

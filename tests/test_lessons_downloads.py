"""Downloads (ui/downloads.py): every byte format reads back, file names are safe, pages get buttons."""

from __future__ import annotations

import io
import json
import zipfile

import numpy as np
import pandas as pd
import pytest

from ui import downloads


def test_safe_name_keeps_user_data_out_of_paths():
    assert downloads.safe_name("../../etc/passwd") == "etc-passwd"
    assert downloads.safe_name("king - man + woman") == "king-man-woman"
    assert downloads.safe_name("<>") == "embedlab"


def test_table_bytes_round_trip():
    df = pd.DataFrame({"word": ["queen", "a,b", "ünï"], "score": np.float32([0.85, 0.5, 0.1]),
                       "cluster": [0, 1, 1]})
    back = pd.read_csv(io.BytesIO(downloads.csv_bytes(df)))
    assert back["word"].tolist() == df["word"].tolist()
    pq = pd.read_parquet(io.BytesIO(downloads.parquet_bytes(df)))
    pd.testing.assert_frame_equal(pq, df)


def test_json_bytes_handles_numpy():
    obj = {"effect": np.float32(1.5), "p": np.array([0.1, 0.2]), "n": np.int64(3)}
    data = json.loads(downloads.json_bytes(obj))
    assert data == {"effect": 1.5, "p": [0.1, 0.2], "n": 3}


def test_space_exports_read_back(planted_space, tmp_path):
    from embedlab.formats import read

    path = tmp_path / "v.txt"
    path.write_bytes(downloads.word2vec_bytes(planted_space))
    back = read(path)
    assert back.keys == planted_space.keys and np.allclose(back.vectors, planted_space.vectors)
    with zipfile.ZipFile(io.BytesIO(downloads.projector_zip(planted_space))) as zf:
        assert sorted(zf.namelist()) == ["metadata.tsv", "vectors.tsv"]
        rows = zf.read("vectors.tsv").decode().splitlines()
        assert len(rows) == len(planted_space) and len(rows[0].split("\t")) == planted_space.dim
        assert zf.read("metadata.tsv").decode().split() == list(planted_space.keys)


def test_html_figure_is_standalone():
    import plotly.graph_objects as go

    html = downloads.html_bytes(go.Figure(go.Scatter(x=[1, 2], y=[2, 1])))
    assert b"<html" in html and b"Plotly.newPlot" in html
    assert b"<script src=" not in html and len(html) > 1_000_000  # plotly.js inside: works offline


def test_buttons_render_and_hide_in_presenter_mode():
    from streamlit.testing.v1 import AppTest

    def script():
        import pandas as pd
        import plotly.graph_objects as go
        import streamlit as st

        from ui import downloads, presenter
        from ui.state import page_state

        page_state(presenter.PresenterState).on = st.session_state.get("present", False)
        downloads.table(pd.DataFrame({"a": [1]}), "t", key="t")
        downloads.chart(go.Figure(go.Scatter(x=[1], y=[1], marker={"size": 10})), "f", key="f")

    at = AppTest.from_function(script, default_timeout=30).run()
    assert not at.exception
    labels = {b.proto.label for b in at.get("download_button")}
    assert {"CSV", "Parquet"} <= labels and any(lbl.startswith("HTML") for lbl in labels)
    at.session_state["present"] = True
    at.run()
    assert not at.get("download_button")


@pytest.mark.slow
def test_png_through_kaleido_and_local_chromium():
    import plotly.graph_objects as go

    if not downloads.png_available():
        pytest.skip("Kaleido or Chromium is missing: the app offers the chart's camera button instead")
    png = downloads.png_bytes(go.Figure(go.Scatter(x=[1, 2], y=[2, 1])), scale=1.0)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 1000


def test_dataframe_shows_the_table_with_its_downloads():
    from streamlit.testing.v1 import AppTest

    def script():
        import pandas as pd

        from ui import downloads

        df = pd.DataFrame({"score": [0.5, 0.25]}, index=pd.Index(["=cmd", "b"], name="word"))
        event = downloads.dataframe(df.style.format("{:.1f}"), "scores", key="t")
        assert event is not None

    at = AppTest.from_function(script, default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]
    assert list(at.dataframe[0].value["score"]) == [0.5, 0.25]
    assert {b.proto.label for b in at.get("download_button")} == {"CSV", "Parquet"}
    assert {b.key for b in at.get("download_button")} == {"t_dl_csv", "t_dl_parquet"}


def test_the_downloaded_table_is_the_data_behind_what_is_shown():
    df = pd.DataFrame({"score": [0.5, 0.25]}, index=pd.Index(["=cmd", "b"], name="word"))
    got = downloads.table_data(df.style.format("{:.1f}").background_gradient())
    assert list(got.columns) == ["word", "score"] and got["score"].tolist() == [0.5, 0.25]  # raw numbers
    assert downloads.csv_bytes(got).decode().splitlines()[1] == "'=cmd,0.5"  # formula-safe CSV
    assert list(downloads.table_data([{"a": 1}, {"a": 2}])["a"]) == [1, 2]
    plain = pd.DataFrame({"a": [1]})
    assert downloads.table_data(plain) is plain

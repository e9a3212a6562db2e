"""Download buttons for everything a page computes: tables, figures, JSON results and whole spaces.

One helper per kind of thing, each a small "⬇ Download" popover whose files are made only when clicked
(``st.download_button`` with a callable), so offering a download costs nothing on a normal rerun::

    from ui import downloads
    downloads.dataframe(df, "neighbours-of-king", key="nb_table")    # st.dataframe + CSV / Parquet
    downloads.chart(fig, "analogy", key="nb_analogy")                # st.plotly_chart + HTML / PNG
    downloads.table(df, "all-hits", key="hits_dl")                   # CSV + Parquet of a table not shown
    downloads.json_data(result_dict, "weat-results", key="weat_dl")   # JSON
    downloads.space(space, key="map_space_dl")                       # word2vec text + Projector TSV zip

Every table and figure a page shows goes through :func:`dataframe` and :func:`chart` (show and download by
default): they are the only callers of ``st.dataframe`` and ``st.plotly_chart`` in the app, full width.

PNG needs Kaleido, which drives a local Chromium (``/usr/bin/chromium`` or ``BROWSER_PATH``); without one
the PNG button is replaced by a hint to use the camera icon on the chart's own toolbar. In presenter mode
the popovers are hidden (:func:`ui.presenter.presenting`).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import tempfile
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import streamlit as st

from ui.presenter import presenting, style_figure

MAX_SPACE_ROWS = 50_000  # bigger spaces export their first (most frequent) rows; the CLI exports everything


def safe_name(name: str) -> str:
    """A file-name stem made of letters, digits, ``.``, ``_`` and ``-`` (user data never shapes a path)."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", str(name))
    stem = re.sub(r"-{2,}", "-", stem).strip("-.")[:80]
    return stem or "embedlab"


def csv_bytes(df) -> bytes:
    """A table as UTF-8 CSV (no index), text cells that a spreadsheet would run as formulas neutralised
    (:func:`embedlab.tables.csv_bytes`)."""
    from embedlab.tables import csv_bytes as safe_csv

    return safe_csv(df)


def parquet_bytes(df) -> bytes:
    """A table as Parquet (column names made strings, no index)."""
    buf = io.BytesIO()
    df.rename(columns=str).to_parquet(buf, index=False)
    return buf.getvalue()


def json_bytes(obj: Any) -> bytes:
    """Any JSON-able object (numpy scalars and arrays included) as pretty UTF-8 JSON."""
    def default(o):
        if hasattr(o, "tolist"):
            return o.tolist()
        if hasattr(o, "item"):
            return o.item()
        return str(o)

    return json.dumps(obj, indent=2, ensure_ascii=False, default=default).encode("utf-8")


def html_bytes(fig) -> bytes:
    """A standalone, offline HTML page of a Plotly figure (plotly.js included)."""
    return fig.to_html(include_plotlyjs=True, full_html=True).encode("utf-8")


@lru_cache(maxsize=1)
def png_available() -> bool:
    """True when Kaleido is installed and a Chromium it can drive is on this machine."""
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return False
    return bool(os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which("google-chrome")
                or Path("/usr/bin/chromium").exists())


def png_bytes(fig, scale: float = 2.0) -> bytes:
    """The figure as PNG through Kaleido (a few seconds: it starts a headless Chromium)."""
    if not os.environ.get("BROWSER_PATH") and Path("/usr/bin/chromium").exists():
        os.environ["BROWSER_PATH"] = "/usr/bin/chromium"
    return fig.to_image(format="png", scale=scale)


def word2vec_bytes(space) -> bytes:
    """``space`` in word2vec text format, written by :func:`embedlab.formats.writers.write`."""
    from embedlab.formats.writers import write

    with tempfile.TemporaryDirectory() as tmp:
        path = write(space, Path(tmp) / "vectors.txt", "word2vec-text")[0]
        return path.read_bytes()


def projector_zip(space) -> bytes:
    """``vectors.tsv`` + ``metadata.tsv`` (TensorFlow Projector) in one zip."""
    from embedlab.formats.writers import write

    buf = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in write(space, Path(tmp) / "vectors.tsv", "projector-tsv"):
            zf.write(path, path.name)
    return buf.getvalue()


def _button(label: str, data, file_name: str, mime: str, key: str) -> None:
    st.download_button(label, data, file_name=file_name, mime=mime, key=key, on_click="ignore")


def table(df, name: str, key: str, label: str = "⬇ Download table") -> None:
    """CSV and Parquet of a table (``df``: a pandas DataFrame, or a function making one when a file is
    asked for: a big table is then not built, nor held, on every rerun)."""
    if presenting() or df is None:
        return
    stem = safe_name(name)
    frame = df if callable(df) else lambda: df
    with st.popover(label):
        _button("CSV", lambda: csv_bytes(frame()), f"{stem}.csv", "text/csv", f"{key}_csv")
        _button("Parquet", lambda: parquet_bytes(frame()), f"{stem}.parquet",
                "application/vnd.apache.parquet", f"{key}_parquet")


def json_data(obj: Any, name: str, key: str, label: str = "⬇ Download JSON", df=None) -> None:
    """JSON of a result (plus CSV when a table ``df`` of it is given)."""
    if presenting():
        return
    stem = safe_name(name)
    with st.popover(label):
        _button("JSON", lambda: json_bytes(obj), f"{stem}.json", "application/json", f"{key}_json")
        if df is not None:
            _button("CSV", lambda: csv_bytes(df), f"{stem}.csv", "text/csv", f"{key}_csv")


def figure(fig, name: str, key: str, label: str = "⬇ Download figure") -> None:
    """Standalone HTML and (with Kaleido + Chromium) PNG of a Plotly figure."""
    if presenting():
        return
    stem = safe_name(name)
    with st.popover(label):
        _button("HTML (interactive, offline)", lambda: html_bytes(fig), f"{stem}.html", "text/html",
                f"{key}_html")
        if png_available():
            _button("PNG", lambda: png_bytes(fig), f"{stem}.png", "image/png", f"{key}_png")
        else:
            st.caption("PNG: use the camera icon on the chart's toolbar (Kaleido or Chromium is missing).")


def chart(fig, name: str, key: str, **plotly_kwargs) -> Any:
    """``st.plotly_chart`` (full width) in the house presenter style, with the figure's downloads (key
    ``{key}_dl``) under it. Returns what ``st.plotly_chart`` returns (the selection with ``on_select``)."""
    event = st.plotly_chart(style_figure(fig), key=key, **{"width": "stretch", **plotly_kwargs})
    figure(fig, name, key=f"{key}_dl")
    return event


def table_data(data):
    """The pandas DataFrame behind what ``st.dataframe`` shows (a Styler, rows, a frame), its index as
    columns when it carries labels."""
    import pandas as pd

    df = getattr(data, "data", data) if not isinstance(data, pd.DataFrame) else data
    df = df if isinstance(df, pd.DataFrame) else pd.DataFrame(df)
    return df if isinstance(df.index, pd.RangeIndex) else df.reset_index()


def dataframe(data, name: str, key: str, *, download=None, label: str = "⬇ Download table",
              **dataframe_kwargs) -> Any:
    """``st.dataframe`` (full width; presenter mode enlarges it) with the table's CSV and Parquet downloads
    (key ``{key}_dl``) under it. Returns what ``st.dataframe`` returns (the selection with ``on_select``).

    ``data`` is a DataFrame, a pandas Styler (colours, number formats: the file gets the raw numbers) or a
    list of rows; ``download`` is the frame to offer when it is not the one shown (e.g. unrounded).
    """
    shown = st.dataframe(data, key=key, **{"width": "stretch", **dataframe_kwargs})
    table(table_data(data) if download is None else download, name, key=f"{key}_dl", label=label)
    return shown


def _without(space, columns: tuple[str, ...]):
    """``space`` without the metadata ``columns`` (e.g. thumbnails: no use in a TSV)."""
    if space.meta is None or not set(columns) & set(space.meta_columns):
        return space
    from embedlab.space import EmbeddingSpace

    meta = space.meta.drop(columns=[c for c in columns if c in space.meta_columns])
    meta = meta if len(meta.columns) else None
    return EmbeddingSpace(space.keys, space.vectors, meta, space.name, space.info)


def space(space, key: str, label: str = "⬇ Download space", max_rows: int = MAX_SPACE_ROWS,
          exclude: tuple[str, ...] = ("thumb",)) -> None:
    """A space as word2vec text and as a TensorFlow Projector TSV pair (zip); big spaces are cut to
    their first ``max_rows`` rows (most frequent first in frequency-ordered files); metadata columns in
    ``exclude`` (image thumbnails) are left out."""
    if presenting() or space is None:
        return
    part = _without(space if len(space) <= max_rows else space.head(max_rows), exclude)
    stem = safe_name(space.name)
    with st.popover(label):
        if len(part) < len(space):
            st.caption(f"The first {len(part):,} of {len(space):,} keys (for all of them: "
                       "`python -m embedlab export`).")
        _button("word2vec text", lambda: word2vec_bytes(part), f"{stem}.txt", "text/plain", f"{key}_w2v")
        _button("Projector TSV pair (zip)", lambda: projector_zip(part), f"{stem}-projector.zip",
                "application/zip", f"{key}_tsv")
        st.caption("Load the two TSV files at projector.tensorflow.org (Load → vectors, then metadata).")

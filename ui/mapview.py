"""Streamlit pieces of the Map page: controls bound to :class:`MapPage`, cached computations, the
background-projection poller."""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
import streamlit as st

from embedlab.space import EmbeddingSpace
from ui.literal import md_literal
from ui.mapcalc import BACKGROUND, MAX_3D_POINTS, METHODS, MODES, MapPage, too_many_points
from ui.progress import progress_line
from ui.share import bind
from ui.state import set_widget, widget_value

TRUST_SAMPLE = 2000
KMEANS = "k-means clusters"


def _clamp(key: str, lo: int, hi: int) -> None:
    """Keep a remembered number inside the range the current space allows."""
    value = widget_value(key)
    if value is not None and not lo <= int(value) <= hi:
        set_widget(key, max(lo, min(hi, int(value))))


KEEP = "session"  # every Map control keeps its value while the user visits other pages (persist_state)
D = MapPage  # the defaults


def controls(space: EmbeddingSpace, s: MapPage) -> None:
    """Sidebar widgets (remembered across pages; the main ones bound to the URL); every value is written back
    to ``s``."""
    _points(space, s)
    _projection(s)
    _colouring(space, s)
    bind("highlight", "map_highlight", default=D.highlight)
    s.highlight = st.sidebar.text_input("Find and highlight words", key="map_highlight", persist_state=KEEP,
                                        help="One or more words, separated by spaces.")


def _points(space: EmbeddingSpace, s: MapPage) -> None:
    sb, n_max = st.sidebar, len(space)
    _clamp("map_n", min(10, n_max), n_max)
    _clamp("map_k", 5, 500)
    bind("mode", "map_mode", default=D.mode, options=MODES)
    s.mode = sb.radio("Which points", list(MODES), format_func=MODES.get, key="map_mode", persist_state=KEEP)
    if s.mode in ("top", "sample"):
        s.n = int(sb.number_input(f"N (of {n_max:,})", min(10, n_max), n_max, min(D.n, n_max), step=1000,
                                  key="map_n", persist_state=KEEP))
    elif s.mode == "query":
        bind("words", "map_query", default=D.query)
        s.query = sb.text_input("Word(s)", key="map_query", persist_state=KEEP)
        s.k = sb.slider("Neighbours of each word", 5, 500, D.k, key="map_k", persist_state=KEEP)


def _projection(s: MapPage) -> None:
    sb = st.sidebar
    bind("proj", "map_method", default=D.method, options=METHODS)
    s.method = sb.selectbox("Projection", list(METHODS), format_func=METHODS.get, key="map_method",
                            persist_state=KEEP)
    if s.method == "axes":
        c1, c2 = sb.columns(2)
        s.x_from = c1.text_input("x: from", D.x_from, key="map_x_from", persist_state=KEEP)
        s.x_to = c2.text_input("x: to", D.x_to, key="map_x_to", persist_state=KEEP)
        s.y_pca = sb.checkbox("y: first PCA component of the rest", D.y_pca, key="map_y_pca",
                              persist_state=KEEP)
        if not s.y_pca:
            c1, c2 = sb.columns(2)
            s.y_from = c1.text_input("y: from", D.y_from, key="map_y_from", persist_state=KEEP)
            s.y_to = c2.text_input("y: to", D.y_to, key="map_y_to", persist_state=KEEP)
    s.dims = sb.radio("Dimensions", (2, 3), (2, 3).index(D.dims), format_func=lambda n: f"{n}-D",
                      horizontal=True, key="map_dims", persist_state=KEEP)


def _colouring(space: EmbeddingSpace, s: MapPage) -> None:
    sb = st.sidebar
    colours = ["(none)", KMEANS, *space.meta_columns]
    if widget_value("map_colour", "(none)") not in colours:  # another space, other columns
        set_widget("map_colour", "(none)")
    bind("color", "map_colour", default=D.colour if D.colour in colours else "(none)", options=colours)
    s.colour = sb.selectbox("Colour by", colours, key="map_colour", persist_state=KEEP)
    if s.colour == KMEANS:
        s.clusters = sb.slider("Clusters", 2, 30, D.clusters, key="map_clusters", persist_state=KEEP)


@st.cache_resource(show_spinner="Selecting points…", max_entries=8)
def selected_space(_space: EmbeddingSpace, fingerprint: str, mode: str, n: int, query: str, k: int,
                   extra: tuple[str, ...] = ()) -> EmbeddingSpace:
    """The points to draw (kept as one object per setting, so its fingerprint is computed once)."""
    from embedlab.selection import select_points

    words = query.replace(",", " ").split() if mode == "query" else None
    sub = select_points(_space, mode=mode, n=n, query=words, k=k)
    missing = [w for w in extra if w not in sub and w in _space]
    if missing:  # custom-axis words must be in the projected set
        info = sub.info
        sub = _space.subset(list(sub.keys) + missing, name=sub.name)
        sub.info["note"] = info.get("note", "")
        sub.info["selection"] = f"{info.get('selection', '')} (+ the axis words {', '.join(missing)})".strip()
    return sub


@st.cache_data(show_spinner="Projecting…", max_entries=32)
def projected(_sub: EmbeddingSpace, fingerprint: str, method: str, dims: int, params: tuple) -> np.ndarray:
    """Immediate projections (PCA, custom axes); also cached on disk by the library."""
    from embedlab.projection import project

    return project(_sub, method, n_components=dims, **dict(params))


@st.cache_data(show_spinner="Measuring how faithful the map is…", max_entries=32)
def trust(_sub: EmbeddingSpace, fingerprint: str, method: str, dims: int, params: tuple,
          _coords: np.ndarray) -> tuple[float, str]:
    """Trustworthiness of a map (on a stated random sample of at most ``TRUST_SAMPLE`` points) and the
    sentence saying what it was computed on."""
    from embedlab.projection import trustworthiness, trustworthiness_note

    value = float(trustworthiness(_sub, _coords, max_points=TRUST_SAMPLE))
    return value, trustworthiness_note(len(_sub), max_points=TRUST_SAMPLE)


@st.cache_data(show_spinner="Clustering and naming the clusters…", max_entries=16)
def clusters(_sub: EmbeddingSpace, fingerprint: str, k: int) -> np.ndarray:
    """k-means clusters of the selected points, each named (``"cluster 3: king, queen, prince"``)."""
    from embedlab.regions import named_clusters

    return named_clusters(_sub, k)


@st.cache_data(show_spinner="Naming the regions of the map…", max_entries=16)
def regions(_sub: EmbeddingSpace, _coords: np.ndarray, settings: tuple) -> list[dict]:
    """Named regions of a 2-D map at a few levels, coarse to fine (``settings`` identifies the map)."""
    from embedlab.regions import map_regions

    return [r.to_dict() for r in map_regions(_sub, _coords)]


@st.cache_resource(show_spinner="Drawing…", max_entries=8)
def map_figure(_coords: np.ndarray, _labels: tuple[str, ...], _colour: np.ndarray | None,
               colour_name: str | None, highlight: tuple[int, ...], title: str, settings: tuple,
               _regions: list[dict] = ()) -> tuple[Any, str]:
    """The Plotly map (2-D up to ~2,000 points, and 3-D) and its sampling note, built once per setting.

    ``settings`` identifies the data (fingerprint, projection, parameters, colour option); the returned
    figure is shared and must not be modified. 3-D maps draw at most :data:`MAX_3D_POINTS` points.
    """
    from embedlab.plots.maps import scatter_map

    return scatter_map(_coords, _labels, color=_colour, color_name=colour_name, highlight=list(highlight),
                       title=title, max_points=MAX_3D_POINTS, regions=_regions)


@st.cache_resource(show_spinner="Preparing the points…", max_entries=4)
def _point_data(_sub: EmbeddingSpace, _coords: np.ndarray, _colour: np.ndarray | None,
                colour_name: str | None, title: str, settings: tuple, _regions: list[dict]):
    from embedlab.plots.pointmap import PointMapData, colour_codes

    codes, legend = colour_codes(_colour)
    key = hashlib.blake2b(repr(settings).encode(), digest_size=8).hexdigest()
    return PointMapData(key, _coords, list(_sub.keys), codes, legend, str(colour_name or ""), list(_regions),
                        title=title)


def point_view(sub: EmbeddingSpace, coords: np.ndarray, colour: np.ndarray | None, colour_name: str | None,
               highlight: tuple[int, ...], title: str, settings: tuple, find: str) -> np.ndarray:
    """Every point with the WebGL-free point map (:mod:`ui.pointmap`), the highlighted words marked and flown
    to when the words to find change; returns the rows the user selected."""
    from dataclasses import replace

    from ui.pointmap import point_map

    data = _point_data(sub, coords, colour, colour_name, title, settings, regions(sub, coords, settings))
    marks = [{"row": int(r), "text": sub.keys[r]} for r in highlight]
    fly = highlight and find != MapPage.highlight  # the default words are marked, not flown to
    focus = {"token": f"{find}|{highlight}", "rows": [int(r) for r in highlight]} if fly else {}
    return point_map(replace(data, highlight=marks, focus=focus), key="map_points").rows


def job_token(sub: EmbeddingSpace, s: MapPage, params: dict) -> str:
    return f"{sub.fingerprint}:{s.method}:{s.dims}:{sorted(params.items())!r}"


def _retry(s: MapPage, token: str, job_key: str) -> None:
    """Forget a failed background projection so the next run starts it afresh."""
    from embedlab import jobs

    s.failed.pop(token, None)
    jobs.forget(job_key)


def coordinates(sub: EmbeddingSpace, s: MapPage, params: dict) -> tuple[np.ndarray, str, Any]:
    """Coordinates to draw now, what they are, and the background job still running (or None).

    PCA and custom axes are computed at once. UMAP / t-SNE come from the disk cache when they were
    computed before; otherwise they start in the background and PCA is shown meanwhile. A failed job is
    remembered (and not restarted on every rerun) until the user asks to try again. A selection larger
    than the method is offered for (:data:`ui.mapcalc.MAX_POINTS`) gets PCA and a sentence saying why.
    """
    from embedlab.projection import cached_projection, project_in_background

    key = tuple(sorted(params.items()))
    if s.method not in BACKGROUND:
        return projected(sub, sub.fingerprint, s.method, s.dims, key), s.method, None
    too_many = too_many_points(s.method, len(sub))
    if too_many:
        st.info(too_many)
        return projected(sub, sub.fingerprint, "pca", s.dims, ()), "pca", None
    ready = cached_projection(sub, s.method, s.dims, **params)
    if ready is not None:
        return np.asarray(ready, dtype=np.float32), s.method, None
    from embedlab import jobs
    from embedlab.projection.cache import background_key

    token = job_token(sub, s, params)
    job_key = background_key(sub, s.method, s.dims, **params)
    earlier = jobs.get(job_key)
    if token not in s.failed and earlier is not None and earlier.status == "failed":
        s.failed[token] = str(earlier.error)  # failed between reruns: report it, do not restart it
    if token not in s.failed:
        job = project_in_background(sub, s.method, s.dims, **params)
        if job.status == "done" and job.result is not None:
            return np.asarray(job.result, dtype=np.float32), s.method, None
        if job.running:
            return projected(sub, sub.fingerprint, "pca", s.dims, ()), "pca", job
        s.failed[token] = str(job.error)
    st.error(f"{METHODS[s.method].split(' (')[0]} failed: {md_literal(s.failed[token])} Showing PCA instead.")
    st.button("Try again", key="map_retry", on_click=_retry, args=(s, token, job_key))
    return projected(sub, sub.fingerprint, "pca", s.dims, ()), "pca", None


@st.fragment(run_every=1.0)
def progress(job: Any, label: str, s: MapPage, token: str) -> None:
    """Refresh the progress of a background projection every second; swap the map in when it is done."""
    if not job.running:
        if job.status == "failed":
            s.failed[token] = str(job.error)
        st.rerun()
    _, _, message = job.progress
    progress_line(job.fraction, f"Computing {label} in the background ({job.elapsed:.0f} s): "
                  f"{message or 'starting'}. The PCA map is shown meanwhile.")

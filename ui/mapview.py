"""Streamlit pieces of the Map page: controls bound to :class:`MapPage`, cached computations, the
background-projection poller."""

from __future__ import annotations

from typing import Any

import numpy as np
import streamlit as st

from embedlab.space import EmbeddingSpace
from ui.literal import md_literal
from ui.mapcalc import BACKGROUND, METHODS, MODES, MapPage, kmeans_labels, too_many_points
from ui.share import bind

TRUST_SAMPLE = 2000
KMEANS = "k-means clusters"


def _bind(key: str, value: Any, param: str | None = None, **share: Any) -> str:
    """Seed a widget's value from the page state the first time it is drawn on this visit; with ``param``,
    a link's ``?param=`` value wins and the URL follows the widget (``ui.share.bind``)."""
    if param:
        bind(param, key, default=value, **share)
    else:
        st.session_state.setdefault(key, value)
    return key


def _clamp(key: str, lo: int, hi: int) -> None:
    """Keep a remembered number inside the range the current space allows."""
    if key in st.session_state:
        st.session_state[key] = max(lo, min(hi, int(st.session_state[key])))


def controls(space: EmbeddingSpace, s: MapPage) -> None:
    """Sidebar widgets; every value is written back to ``s``."""
    sb = st.sidebar
    n_max = len(space)
    _clamp("map_n", min(10, n_max), n_max)
    _clamp("map_k", 5, 500)
    s.mode = sb.radio("Which points", list(MODES), format_func=MODES.get,
                      key=_bind("map_mode", s.mode, "mode", options=MODES))
    if s.mode in ("top", "sample"):
        s.n = int(sb.number_input(f"N (of {n_max:,})", min(10, n_max), n_max, step=1000,
                                  key=_bind("map_n", min(s.n, n_max))))
    elif s.mode == "query":
        s.query = sb.text_input("Word(s)", key=_bind("map_query", s.query, "words"))
        s.k = sb.slider("Neighbours of each word", 5, 500, key=_bind("map_k", s.k))
    s.method = sb.selectbox("Projection", list(METHODS), format_func=METHODS.get,
                            key=_bind("map_method", s.method, "proj", options=METHODS))
    if s.method == "axes":
        c1, c2 = sb.columns(2)
        s.x_from = c1.text_input("x: from", key=_bind("map_x_from", s.x_from))
        s.x_to = c2.text_input("x: to", key=_bind("map_x_to", s.x_to))
        s.y_pca = sb.checkbox("y: first PCA component of the rest", key=_bind("map_y_pca", s.y_pca))
        if not s.y_pca:
            c1, c2 = sb.columns(2)
            s.y_from = c1.text_input("y: from", key=_bind("map_y_from", s.y_from))
            s.y_to = c2.text_input("y: to", key=_bind("map_y_to", s.y_to))
    s.dims = sb.radio("Dimensions", (2, 3), format_func=lambda d: f"{d}-D", horizontal=True,
                      key=_bind("map_dims", s.dims))
    colours = ["(none)", KMEANS, *space.meta_columns]
    if st.session_state.get("map_colour", "(none)") not in colours:  # another space, other columns
        st.session_state["map_colour"] = "(none)"
    s.colour = sb.selectbox("Colour by", colours,
                            key=_bind("map_colour", s.colour if s.colour in colours else "(none)", "color",
                                      options=colours))
    if s.colour == KMEANS:
        s.clusters = sb.slider("Clusters", 2, 30, key=_bind("map_clusters", s.clusters))
    s.highlight = sb.text_input("Find and highlight words",
                                key=_bind("map_highlight", s.highlight, "highlight"),
                                help="One or more words, separated by spaces.")


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


@st.cache_data(show_spinner="Clustering…", max_entries=16)
def clusters(_sub: EmbeddingSpace, fingerprint: str, k: int) -> np.ndarray:
    """k-means cluster names of the selected points."""
    return kmeans_labels(_sub.normed, k)


@st.cache_resource(show_spinner="Drawing…", max_entries=8)
def map_figure(_coords: np.ndarray, _labels: tuple[str, ...], _colour: np.ndarray | None,
               colour_name: str | None, highlight: tuple[int, ...], title: str, settings: tuple
               ) -> tuple[Any, str]:
    """The map figure and its sampling note, built once per setting (Plotly needs ~2 s for 400k points).

    ``settings`` identifies the data (fingerprint, projection, parameters, colour option); the returned
    figure is shared and must not be modified.
    """
    from embedlab.plots.maps import scatter_map

    return scatter_map(_coords, _labels, color=_colour, color_name=colour_name, highlight=list(highlight),
                       title=title)


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
    st.progress(job.fraction, text=f"Computing {label} in the background ({job.elapsed:.0f} s): "
                f"{message or 'starting'}. The PCA map is shown meanwhile.")

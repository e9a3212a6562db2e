"""Plotly figures for maps and analogies: float32 arrays in, WebGL out, sampling always stated.

Each point trace of :func:`scatter_map` carries its rows in ``customdata`` (int32), so a page can map a
click or lasso selection back to rows of the space (``event.selection.points[i]["customdata"]``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np
import plotly.graph_objects as go

from embedlab.errors import DimensionError, InvalidParameterError
from embedlab.linalg import pca_2d
from embedlab.plots.style import (
    BLUE,
    GREY,
    HIGHLIGHT,
    LABEL_FONT,
    LABEL_FONT_BIG,
    LIGHT_GREY,
    MARKER,
    MARKER_HIGHLIGHT,
    RED,
    SEQUENTIAL,
    house_layout,
    label_positions,
    literal,
    literal_in_template,
    literals,
    pad_for_labels,
    scatter_type,
)
from embedlab.space import EmbeddingSpace

MAX_CATEGORIES = 20
AUTO_TEXT_LABELS = 200  # label every point automatically when a map has at most this many
DENSITY_BINS = 256
MAX_PLACED_LABELS = 400  # up to this many labels are placed apart; past it all sit above their point
MAP_HEIGHT = 620


def _f32(a) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=np.float32)


def _rows_of(items: Iterable, labels: np.ndarray) -> np.ndarray:
    """Rows from ints and/or labels (unknown labels and out-of-range rows are ignored)."""
    items = list(items)
    names = [x for x in items if isinstance(x, str)]
    rows = np.asarray([int(x) for x in items if not isinstance(x, str)], dtype=np.int64)
    rows = rows[(rows >= 0) & (rows < len(labels))]
    if names:
        rows = np.concatenate([rows, np.flatnonzero(np.isin(labels, np.asarray(names, dtype=str)))])
    return np.unique(rows)


def _sample(n: int, max_points: int, keep: np.ndarray, random_state: int) -> np.ndarray:
    """Rows drawn: all when ``n <= max_points``, else a seeded random sample (plus ``keep``)."""
    if n <= max_points:
        return np.arange(n)
    rows = np.random.default_rng(random_state).choice(n, size=max_points, replace=False)
    return np.union1d(rows, keep)


def _density(coords: np.ndarray) -> go.Heatmap:
    """A log-count 2-D histogram of every point (the aggregate layer under a sample)."""
    counts, xe, ye = np.histogram2d(coords[:, 0], coords[:, 1], bins=DENSITY_BINS)
    z = np.log1p(counts.T).astype(np.float32)
    z[z == 0] = np.nan
    return go.Heatmap(x=_f32((xe[:-1] + xe[1:]) / 2), y=_f32((ye[:-1] + ye[1:]) / 2), z=z,
                      colorscale="Greys", showscale=False, hoverinfo="skip", name="density (all points)",
                      zmin=0, opacity=0.6)


def _points(coords: np.ndarray, rows: np.ndarray, labels: np.ndarray, n_drawn: int, **kw):
    """One point trace; ``labels`` are already escaped (:func:`~embedlab.plots.style.literals`).

    2-D traces are SVG or WebGL by ``n_drawn``, the points of the whole figure
    (:func:`~embedlab.plots.style.scatter_type`)."""
    xyz = {"x": _f32(coords[rows, 0]), "y": _f32(coords[rows, 1])}
    kw.setdefault("hovertext", labels[rows])
    if coords.shape[1] == 3:
        return go.Scatter3d(**xyz, z=_f32(coords[rows, 2]), customdata=rows.astype(np.int32), **kw)
    return scatter_type(n_drawn)(**xyz, customdata=rows.astype(np.int32), **kw)


def _label_sides(coords: np.ndarray, labels: np.ndarray, labelled: np.ndarray) -> np.ndarray:
    """Text position of every row: labelled 2-D points placed apart (:func:`label_positions`), when there
    are at most :data:`MAX_PLACED_LABELS`; "top center" otherwise."""
    where = np.full(len(coords), "top center", dtype=object)
    if coords.shape[1] == 2 and 1 < len(labelled) <= MAX_PLACED_LABELS:
        where[labelled] = label_positions(coords[labelled], labels[labelled], height=MAP_HEIGHT,
                                          marker=MARKER)
    return where


def natural_order(text: str) -> list:
    """Sort key that orders the numbers inside names by value: "cluster 2" < "cluster 10"."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part.lower())
            for part in re.split(r"(\d+)", str(text))]


def _categories(values: np.ndarray, rows: np.ndarray, name: str, note: list[str]) -> tuple[np.ndarray, list]:
    """Integer codes per row and category names (the 20 most common among ``rows``, then "other").

    The legend lists the categories shown in natural order ("cluster 2" before "cluster 10").
    """
    import pandas as pd

    codes, uniq = pd.factorize(values.astype(str), sort=True)
    counts = np.bincount(codes[rows], minlength=len(uniq))
    order = np.argsort(-counts, kind="stable")
    order = order[counts[order] > 0]
    if len(order) <= MAX_CATEGORIES:
        return codes, [(str(uniq[c]), c) for c in sorted(order, key=lambda c: natural_order(uniq[c]))]
    note.append(f"{name} has {len(order):,} values; the {MAX_CATEGORIES} most common get their own "
                "colour, the rest are shown as 'other'.")
    top = sorted(order[:MAX_CATEGORIES], key=lambda c: natural_order(uniq[c]))
    remap = np.full(len(uniq), len(uniq), dtype=np.int64)
    remap[top] = top
    return remap[codes], [(str(uniq[c]), c) for c in top] + [("other", len(uniq))]


def _colour_traces(coords, rows, labels, color, color_name, is_text, where, note: list[str], n_drawn: int
                   ) -> list:
    def style(r: np.ndarray) -> dict:
        shown = is_text[r]
        if not shown.any():
            return {"mode": "markers"}
        return {"mode": "markers+text", "text": np.where(shown, labels[r], ""), "textposition": where[r]}

    if color is None:
        return [_points(coords, rows, labels, n_drawn, name="points",
                        marker={"size": MARKER, "opacity": 0.7},
                        hovertemplate="%{hovertext}<extra></extra>", showlegend=False, **style(rows))]
    col = np.asarray(color)
    name = literal(color_name or "colour")
    if col.dtype.kind in "fiub":
        vals = _f32(col)
        return [_points(coords, rows, labels, n_drawn, name=name, showlegend=False,
                        marker={"size": MARKER, "opacity": 0.8, "color": vals[rows], "colorscale": SEQUENTIAL,
                                "colorbar": {"title": {"text": name}}, "showscale": True},
                        hovertemplate=f"%{{hovertext}}<br>{literal_in_template(color_name or 'colour')}: "
                                      "%{marker.color:.3g}<extra></extra>",
                        **style(rows))]
    codes, cats = _categories(col, rows, color_name or "colour", note)
    traces = []
    for cat, code in cats:
        r = rows[codes[rows] == code]
        hover = np.char.add(labels[r], f"<br>{name}: {literal(cat)}") if len(r) else labels[r]
        traces.append(_points(coords, r, labels, n_drawn, name=literal(cat),
                              marker={"size": MARKER, "opacity": 0.8},
                              hovertext=hover, hovertemplate="%{hovertext}<extra></extra>", **style(r)))
    return traces


def region_trace(regions: Sequence[dict], level: int = 0) -> go.Scatter | None:
    """The names of a map's regions at one level (:func:`embedlab.regions.map_regions`), in bold at their
    centres, as a text trace (escaped, bold by the font rather than markup; no hover). None when there are
    none at that level."""
    at = [r for r in regions if r["level"] == level]
    if not at:
        return None
    return go.Scatter(x=_f32([r["x"] for r in at]), y=_f32([r["y"] for r in at]), mode="text",
                      text=[literal(r["name"]) for r in at], name="region names",
                      textfont={"size": LABEL_FONT + 1, "color": "#222", "weight": "bold"}, hoverinfo="skip",
                      showlegend=False)


def group_trace(xy: np.ndarray, groups: Sequence[str], max_groups: int = MAX_CATEGORIES) -> go.Scatter | None:
    """The name of each group of points (at most ``max_groups``, the biggest) in bold at the median of its
    points: names at the centres of a map's named clusters (escaped; no hover). None when there are none."""
    xy, groups = np.asarray(xy, dtype=np.float32)[:, :2], np.asarray(groups).astype(str)
    names, counts = np.unique(groups, return_counts=True)
    keep = [names[i] for i in np.argsort(-counts, kind="stable")[:max_groups] if names[i]]
    if not keep:
        return None
    centres = np.array([np.median(xy[groups == g], axis=0) for g in keep], dtype=np.float32)
    return region_trace([{"level": 0, "x": c[0], "y": c[1], "name": g} for g, c in zip(keep, centres,
                                                                                        strict=True)])


def scatter_map(coords: np.ndarray, labels: Sequence[str], color=None, color_name: str | None = None,
                highlight: Iterable = (), title: str = "", max_points: int = 200_000,
                text_labels: bool | Iterable | None = None, random_state: int = 0,
                regions: Sequence[dict] = ()) -> tuple[go.Figure, str]:
    """A 2-D or 3-D (``Scatter3d``) map and a note saying what was sampled ("" if nothing).

    2-D points are SVG up to :data:`~embedlab.plots.style.SVG_MAX_POINTS` drawn, WebGL past it.

    Parameters
    ----------
    coords : (n, 2) or (n, 3) array
    labels : n strings, shown on hover
    color : n values, optional
        Strings → one legend entry per category (at most 20, the rest as "other"); numbers → colour scale.
    highlight : rows or labels drawn bigger, in red, with their label
    max_points : int
        Past this many points a 2-D map shows a density layer of *all* points plus a seeded random sample
        of ``max_points`` points (highlights always drawn); 3-D maps show the sample only.
    text_labels : None, bool or rows/labels
        Labels printed on the map: ``None`` labels every point when there are at most 200, ``True`` all
        drawn points, ``False`` none, or the given rows/labels.
    regions : named regions (dicts of :class:`embedlab.regions.Region`)
        The coarsest level's names are printed at their centres on 2-D maps whose points are not all
        labelled (a Plotly map cannot refine them with zoom; the point map does).

    Labels, colour names, categories and the title are user data: they are shown literally (escaped).
    """
    coords = np.asarray(coords, dtype=np.float32)
    labels = np.asarray(labels).astype(str)
    if coords.ndim != 2 or coords.shape[1] not in (2, 3):
        raise DimensionError(f"Map coordinates must have shape (n, 2) or (n, 3); got {coords.shape}.")
    if len(labels) != len(coords) or (color is not None and len(color) != len(coords)):
        extra = "" if color is None else f" and {len(color):,} colour values"
        raise DimensionError(f"{len(coords):,} points but {len(labels):,} labels{extra}; they must match.")
    if int(max_points) < 1:
        raise InvalidParameterError(f"max_points must be at least 1; got {max_points}.")
    n, note = len(coords), []
    hl = _rows_of(highlight, labels)
    rows = _sample(n, int(max_points), hl, random_state)
    is_text = np.zeros(n, dtype=bool)
    if text_labels is None or isinstance(text_labels, bool):
        is_text[:] = bool(text_labels) or (text_labels is None and n <= AUTO_TEXT_LABELS)
    else:
        is_text[_rows_of(text_labels, labels)] = True
    traces: list = []
    if len(rows) < n:
        layer = "a density layer of all of them plus " if coords.shape[1] == 2 else ""
        plus = " plus the highlighted points" if len(rows) > int(max_points) else ""
        note.insert(0, f"{n:,} points: showing {layer}a random sample of {int(max_points):,}{plus} "
                       f"(seed {random_state}); zoom in for detail.")
        if coords.shape[1] == 2:
            traces.append(_density(coords))
    shown = literals(labels)
    n_drawn = len(rows) + len(hl)
    where = _label_sides(coords, labels, np.union1d(rows[is_text[rows]], hl))
    traces += _colour_traces(coords, rows, shown, color, color_name, is_text, where, note, n_drawn)
    if len(hl):
        traces.append(_points(coords, hl, shown, n_drawn, mode="markers+text", text=shown[hl],
                              name="highlighted", textposition=where[hl],
                              hovertemplate="%{hovertext}<extra></extra>",
                              marker={"size": MARKER_HIGHLIGHT, "color": HIGHLIGHT,
                                      "line": {"width": 1, "color": "white"}},
                              textfont={"color": HIGHLIGHT, "size": LABEL_FONT + 1}))
    names = region_trace(regions) if coords.shape[1] == 2 and not is_text.all() else None
    if names is not None:
        traces.append(names)
    fig = house_layout(go.Figure(traces), title=title or None, height=MAP_HEIGHT)
    fig.update_layout(uirevision="map", legend={"itemsizing": "constant"})
    if coords.shape[1] == 2 and n and (is_text.any() or len(hl)):
        pad_for_labels(fig, coords)
    return fig, " ".join(note)


def project_keys_for_analogy(space: EmbeddingSpace, keys: Sequence[str], context: Sequence[str] = ()
                             ) -> dict[str, np.ndarray]:
    """2-D PCA coordinates (float32) of the analogy words and context words, fitted on just those words."""
    words = list(dict.fromkeys(space.resolve(k) for k in [*keys, *context]))
    if len(words) < 2:
        raise InvalidParameterError(f"An analogy picture needs at least two different words; got {words}.")
    coords = pca_2d(space.normed[space.indices(words)])  # two words: one line, y = 0
    return {w: _f32(c) for w, c in zip(words, coords, strict=True)}


def _arrow(p: np.ndarray, q: np.ndarray, colour: str) -> dict:
    return {"x": float(q[0]), "y": float(q[1]), "ax": float(p[0]), "ay": float(p[1]),
            "xref": "x", "yref": "y", "axref": "x", "ayref": "y", "showarrow": True, "arrowhead": 3,
            "arrowsize": 1.4, "arrowwidth": 2, "arrowcolor": colour, "text": ""}


def analogy_figure(coords_by_key: dict[str, np.ndarray], a: str, b: str, c: str, d: str,
                   context_keys: Sequence[str] = ()) -> go.Figure:
    """The parallelogram of "a is to b as c is to d": arrows a→b and c→d, dashed a→c and b→d."""
    missing = [k for k in (a, b, c, d, *context_keys) if k not in coords_by_key]
    if missing:
        raise InvalidParameterError(f"No coordinates for {', '.join(map(repr, missing))}; "
                                    "project them with project_keys_for_analogy first.")
    pt = {k: np.asarray(coords_by_key[k], dtype=np.float32) for k in (a, b, c, d, *context_keys)}
    traces = []
    ctx = [k for k in context_keys if k not in (a, b, c, d)]
    if ctx:
        xy = np.array([pt[k] for k in ctx], dtype=np.float32)
        traces.append(go.Scatter(x=xy[:, 0], y=xy[:, 1], mode="markers+text", text=literals(ctx),
                                 name="context", textposition="top center",
                                 marker={"size": MARKER + 2, "color": LIGHT_GREY}, textfont={"color": GREY},
                                 hovertemplate="%{text}<extra></extra>"))
    for p, q in ((a, c), (b, d)):
        seg = np.array([pt[p], pt[q]], dtype=np.float32)
        traces.append(go.Scatter(x=seg[:, 0], y=seg[:, 1], mode="lines", showlegend=False, hoverinfo="skip",
                                 line={"dash": "dash", "color": GREY, "width": 1.5}))
    four = np.array([pt[k] for k in (a, b, c, d)], dtype=np.float32)
    traces.append(go.Scatter(x=four[:, 0], y=four[:, 1], mode="markers+text", text=literals([a, b, c, d]),
                             name="analogy", textposition="top center",
                             hovertemplate="%{text}<extra></extra>",
                             marker={"size": MARKER_HIGHLIGHT + 1, "color": [BLUE, BLUE, RED, RED]},
                             textfont={"size": LABEL_FONT_BIG}))
    fig = house_layout(go.Figure(traces), title=f"{a} → {b}  ≈  {c} → {d}", height=480)
    fig.update_layout(
        showlegend=False, annotations=[_arrow(pt[a], pt[b], BLUE), _arrow(pt[c], pt[d], RED)],
        xaxis={"title": "PC 1"}, yaxis={"title": "PC 2", "scaleanchor": "x", "scaleratio": 1},
    )
    return fig

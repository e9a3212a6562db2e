"""Maps of every point, past what Plotly draws well: the bytes that the app's WebGL point map
(``ui/pointmap.js``) reads, and a drawn selection (a box, a lasso) turned back into rows.

Why not Plotly past ~2,000 points: a Plotly figure of 400,000 points is 25-40 MB of JSON and hover strings,
2 s to build on the server and 10-20 s to draw in a browser without a GPU; the comparison of renderers is
``benchmarks/bench_map_renderers.py``. Here the points travel as float32 coordinates, one byte of colour
code a point and the labels as UTF-8 with offsets (about 20 bytes a word), and the browser draws them as
one WebGL vertex each.

The payload: ``b"EMBM"``, the header's length (uint32, little-endian), the header (JSON), zero padding to a
multiple of 8, then each array the header lists under ``arrays`` as ``[dtype, offset, count]`` (offset from
the end of the padding; dtype ``f4``, ``u1`` or ``u4``). A payload without arrays names points the browser
already holds (``key``).
"""

from __future__ import annotations

import json
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from embedlab.errors import DimensionError, InvalidParameterError
from embedlab.plots.style import POINT, QUALITATIVE

MAGIC = b"EMBM"
MAX_LABEL = 160  # characters of a label sent for hover (sentences are cut, with "…")
#: Most points one map sends (about 25 bytes each: 50 MB); past it a stated seeded sample is drawn.
MAX_POINTS = 2_000_000
PALETTE = QUALITATIVE + ["#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2",
                         "#dbdb8d", "#9edae5", "#393b79"]
OTHER = "#bbbbbb"


@dataclass
class PointMapData:
    """Everything one map draws: the points (heavy, sent once) and what goes with them (light)."""

    key: str  # identifies coords + labels + colours: the browser keeps the points under this key
    coords: np.ndarray  # (n, 2) float32
    labels: Sequence[str]
    codes: np.ndarray | None = None  # (n,) uint8 category per point, or None (one colour)
    categories: list[dict] = field(default_factory=list)  # {"name", "color"} per code, in legend order
    legend: str = ""
    regions: list[dict] = field(default_factory=list)  # {"level", "x", "y", "name", "size"}
    highlight: list[dict] = field(default_factory=list)  # {"row", "text"}
    focus: dict = field(default_factory=dict)  # {"token", "rows"}: fly there when the token is new
    title: str = ""
    height: int = 620


def _check(coords: np.ndarray, labels: Sequence[str], codes: np.ndarray | None) -> np.ndarray:
    xy = np.ascontiguousarray(coords, dtype=np.float32)
    if xy.ndim != 2 or xy.shape[1] != 2:
        raise DimensionError(f"A point map takes (n, 2) coordinates; got shape {xy.shape}. Use a 2-D "
                             "projection (3-D maps are drawn with Plotly).")
    if len(labels) != len(xy) or (codes is not None and len(codes) != len(xy)):
        raise DimensionError(f"{len(xy):,} points but {len(labels):,} labels"
                             + ("" if codes is None else f" and {len(codes):,} colour codes")
                             + "; they must match.")
    if len(xy) > MAX_POINTS:
        raise InvalidParameterError(f"A point map draws at most {MAX_POINTS:,} points; got {len(xy):,}. "
                                    "Draw a sample (embedlab.selection.select_points mode='sample').")
    return xy


def _label_arrays(labels: Sequence[str]) -> tuple[np.ndarray, bytes]:
    """UTF-8 bytes of every label (cut to :data:`MAX_LABEL` characters) and the n + 1 offsets into them."""
    cut = [s if len(s) <= MAX_LABEL else s[: MAX_LABEL - 1] + "…" for s in map(str, labels)]
    encoded = [s.encode("utf-8") for s in cut]
    offsets = np.zeros(len(encoded) + 1, dtype=np.uint32)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    return offsets, b"".join(encoded)


def _bounds(xy: np.ndarray) -> list[float]:
    finite = xy[np.isfinite(xy).all(axis=1)]
    if not len(finite):
        return [-1.0, 1.0, -1.0, 1.0]
    lo, hi = finite.min(axis=0), finite.max(axis=0)
    return [float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])]


def view_header(data: PointMapData, instance: str, have: str | None = None) -> dict:
    """The light part of a map: what the browser needs besides the points (see :func:`payload`)."""
    return {"id": instance, "key": data.key, "have": have, "n": len(data.coords), "title": data.title,
            "height": int(data.height), "legend": data.legend, "categories": data.categories,
            "color": POINT, "regions": data.regions, "highlight": data.highlight, "focus": data.focus}


def payload(data: PointMapData, instance: str, have: str | None = None) -> bytes:
    """The bytes ``ui/pointmap.js`` reads: the header, and the points unless the browser holds them
    already (``have == data.key``). ``instance`` names the map on the page (its view survives reruns)."""
    header = view_header(data, instance, have)
    blobs: list[bytes] = []
    if have != data.key:
        xy = _check(data.coords, data.labels, data.codes)
        offsets, text = _label_arrays(data.labels)
        header["bounds"] = _bounds(xy)
        arrays = {"xy": ("f4", xy.tobytes(), xy.size), "loff": ("u4", offsets.tobytes(), len(offsets)),
                  "ltext": ("u1", text, len(text))}
        if data.codes is not None:
            codes = np.ascontiguousarray(data.codes, dtype=np.uint8)
            arrays["code"] = ("u1", codes.tobytes(), len(codes))
        header["arrays"], at = {}, 0
        for name, (dtype, raw, count) in arrays.items():
            header["arrays"][name] = [dtype, at, int(count)]
            blobs.append(raw + b"\0" * (-len(raw) % 8))
            at += len(blobs[-1])
    text = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    head = MAGIC + struct.pack("<I", len(text)) + text
    return b"".join([head, b"\0" * (-len(head) % 8), *blobs])


def read_payload(data: bytes) -> tuple[dict, dict[str, np.ndarray]]:
    """The header and the arrays of a :func:`payload` (as ``ui/pointmap.js`` reads it; for tests)."""
    if data[:4] != MAGIC:
        raise InvalidParameterError("Not a point-map payload: it does not start with b'EMBM'.")
    (length,) = struct.unpack("<I", data[4:8])
    header = json.loads(data[8: 8 + length].decode("utf-8"))
    start = -(-(8 + length) // 8) * 8
    dtypes = {"f4": np.float32, "u1": np.uint8, "u4": np.uint32}
    arrays = {name: np.frombuffer(data, dtype=dtypes[dt], count=count, offset=start + offset)
              for name, (dt, offset, count) in header.get("arrays", {}).items()}
    return header, arrays


def category_codes(values: Sequence, names: dict[str, str] | None = None, max_categories: int = 20
                   ) -> tuple[np.ndarray, list[dict]]:
    """Colour codes (uint8) and legend entries for categorical ``values``: the ``max_categories`` most
    common get a colour each (legend in their natural order), the rest share "other" in grey.

    ``names`` renames categories in the legend (``{"cluster 3": "cluster 3 · king, queen, prince"}``).
    """
    from embedlab.plots.maps import natural_order

    vals = np.asarray(values).astype(str)
    uniq, inverse, counts = np.unique(vals, return_inverse=True, return_counts=True)
    top = np.argsort(-counts, kind="stable")[:max_categories]
    top = sorted(top, key=lambda c: natural_order(uniq[c]))
    remap = np.full(len(uniq), len(top), dtype=np.uint8)
    remap[top] = np.arange(len(top), dtype=np.uint8)
    names = names or {}
    legend = [{"name": names.get(str(uniq[c]), str(uniq[c])), "color": PALETTE[i % len(PALETTE)]}
              for i, c in enumerate(top)]
    if len(top) < len(uniq):
        legend.append({"name": f"other ({len(uniq) - len(top):,} values)", "color": OTHER})
    return remap[inverse], legend


def numeric_codes(values: Sequence, bins: int = 8) -> tuple[np.ndarray, list[dict]]:
    """Colour codes for numbers: ``bins`` quantile bins on a sequential scale, named by their ranges."""
    import plotly.colors as pc

    v = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(v)
    edges = np.unique(np.quantile(v[finite], np.linspace(0, 1, bins + 1))) if finite.any() else np.zeros(2)
    edges = edges if len(edges) > 1 else np.array([edges[0], edges[0]])
    codes = np.clip(np.searchsorted(edges, v, side="right") - 1, 0, len(edges) - 2).astype(np.uint8)
    colours = pc.sample_colorscale("Viridis", max(1, len(edges) - 1), colortype="tuple")
    legend = [{"name": f"{edges[i]:.3g} – {edges[i + 1]:.3g}",
               "color": "#{:02x}{:02x}{:02x}".format(*(round(255 * c) for c in colours[i]))}
              for i in range(len(edges) - 1)]
    if not finite.all():
        codes[~finite] = len(legend)
        legend.append({"name": "missing", "color": OTHER})
    return codes, legend


def colour_codes(values: Sequence | None) -> tuple[np.ndarray | None, list[dict]]:
    """Codes and legend for a map's colour values: none, numbers (:func:`numeric_codes`) or categories
    (:func:`category_codes`)."""
    if values is None:
        return None, []
    arr = np.asarray(values)
    return numeric_codes(arr) if arr.dtype.kind in "fiub" else category_codes(arr)


def rows_in_polygon(coords: np.ndarray, polygon: Sequence[Sequence[float]]) -> np.ndarray:
    """Rows of the 2-D points inside ``polygon`` (a box or a lasso, in data coordinates; closed or not),
    by the even-odd rule, in row order."""
    poly = np.asarray(polygon, dtype=np.float64)
    if poly.ndim != 2 or poly.shape[1] != 2 or len(poly) < 3:
        raise InvalidParameterError(f"A selection polygon needs at least 3 (x, y) vertices; got shape "
                                    f"{poly.shape}.")
    xy = np.asarray(coords, dtype=np.float64)[:, :2]
    lo, hi = poly.min(axis=0), poly.max(axis=0)
    cand = np.flatnonzero(((xy >= lo) & (xy <= hi)).all(axis=1))
    a, b = poly, np.roll(poly, -1, axis=0)
    inside, chunk = [], max(1024, 4_000_000 // len(poly))  # rows x vertices per step: ~100 MB at most
    for start in range(0, len(cand), chunk):
        rows = cand[start: start + chunk]
        x, y = xy[rows, 0:1], xy[rows, 1:2]
        crosses = (a[:, 1] > y) != (b[:, 1] > y)
        dy = np.where(b[:, 1] == a[:, 1], 1e-300, b[:, 1] - a[:, 1])
        x_at = a[:, 0] + (y - a[:, 1]) * (b[:, 0] - a[:, 0]) / dy
        odd = np.count_nonzero(crosses & (x < x_at), axis=1) % 2 == 1
        inside.append(rows[odd])
    return np.concatenate(inside) if inside else np.zeros(0, dtype=np.int64)

"""A 2-D map of any space on any page: Plotly SVG up to ~2,000 points, the point map past it (every point),
its clusters named in the legend and its regions named on the map (:mod:`embedlab.regions`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import streamlit as st

from embedlab.space import EmbeddingSpace
from ui import downloads


@st.cache_data(show_spinner="Naming the regions of the map…", max_entries=32)
def named_regions(_space: EmbeddingSpace, _coords: np.ndarray, key: tuple) -> list[dict]:
    """Named regions of a 2-D map of ``_space`` at a few levels (``key``: the space's fingerprint and what
    made the coordinates)."""
    from embedlab.regions import map_regions

    return [r.to_dict() for r in map_regions(_space, _coords)]


@st.cache_data(show_spinner="Clustering and naming the clusters…", max_entries=32)
def named_clusters(_space: EmbeddingSpace, fingerprint: str, k: int) -> np.ndarray:
    """k-means clusters of the space, each named (``"cluster 2: recipe, flour, eggs"``)."""
    from embedlab.regions import named_clusters as clusters

    return clusters(_space, k)


def space_map(space: EmbeddingSpace, xy: np.ndarray, key: str, name: str, coords_key: tuple,
              labels: Sequence[str] | None = None, colour: np.ndarray | None = None, colour_name: str = "",
              title: str = "", text_labels: bool | None = None) -> np.ndarray:
    """Draw ``space`` at ``xy`` (Plotly SVG up to ~2,000 points, the point map past it); return the rows the
    user selected (the point map's box / lasso / click; none on a Plotly map).

    ``labels`` are the hover texts (default: the keys); ``colour`` one value a point (named clusters from
    :func:`named_clusters`, or metadata); ``coords_key`` identifies how ``xy`` was made (for the caches);
    ``name`` names the figure's downloads.
    """
    from embedlab.plots.style import SVG_MAX_POINTS
    from ui.literal import md_literal

    labels = list(space.keys) if labels is None else list(labels)
    regions = named_regions(space, xy, (space.fingerprint, *coords_key))
    if len(space) <= SVG_MAX_POINTS:
        from embedlab.plots.maps import scatter_map

        fig, note = scatter_map(xy, labels, color=colour, color_name=colour_name, title=title,
                                text_labels=text_labels, regions=regions)
        if note:
            st.caption(md_literal(note))
        downloads.chart(fig, name, key=key)
        return np.zeros(0, dtype=np.int64)
    import hashlib

    from embedlab.plots.pointmap import PointMapData, colour_codes
    from ui.pointmap import point_map

    codes, legend = colour_codes(colour)
    data_key = hashlib.blake2b(repr((space.fingerprint, coords_key, colour_name)).encode(),
                               digest_size=8).hexdigest()
    return point_map(PointMapData(data_key, xy, labels, codes, legend, colour_name, regions, title=title),
                     key=key).rows

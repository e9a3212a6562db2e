"""Map: the space's points flattened to 2-D or 3-D, coloured, searchable, selectable, its regions named.

Up to ~2,000 points (2-D) a Plotly SVG map; past it every point, up to the whole space, with the point map
(``ui/pointmap.py``); 3-D maps are Plotly WebGL, up to 100,000 points."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from embedlab.plots.style import SVG_MAX_POINTS
from ui import downloads
from ui.common import space_picker, user_errors
from ui.literal import md_literal
from ui.mapcalc import (
    EXPLAIN,
    METHODS,
    MapPage,
    axis_words,
    highlight_lookup,
    projection_params,
    selected_rows,
)
from ui.mapview import (
    KMEANS,
    clusters,
    controls,
    coordinates,
    job_token,
    map_figure,
    point_view,
    progress,
    regions,
    selected_space,
    trust,
)
from ui.state import page_state

MAX_CHOICES = 1000  # selected words offered in the neighbours picker
LISTED = 40  # selected words written out under the map (all are in the table)


def colouring(sub, state: MapPage):
    """Colour values and their name for the chosen option (None: one colour)."""
    if state.colour == KMEANS:
        return clusters(sub, sub.fingerprint, state.clusters), f"k-means ({state.clusters} clusters)"
    if state.colour in sub.meta_columns:
        return sub.meta_column(state.colour), state.colour
    return None, None


def highlight_rows(space, sub, state: MapPage) -> list[int]:
    """Rows of the words to highlight; unknown words are an error (suggestions for the first), the map
    still draws."""
    found = highlight_lookup(space, sub, state.highlight)
    if found.note:
        st.warning(f"Find and highlight: {md_literal(found.note)}")
    if found.unknown:
        with user_errors():
            space.resolve(found.unknown[0])  # the message with spelling suggestions
    if len(found.unknown) > 1:
        more = found.unknown[1:]
        listed = ", ".join(more[:10]) + (f" and {len(more) - 10:,} more" if len(more) > 10 else "")
        st.error(f"Not in {md_literal(space.name)} either: {md_literal(listed)}.")
    if found.absent:
        st.info(f"{md_literal(', '.join(found.absent))}: in {md_literal(space.name)} but not among the "
                "points shown. Pick 'A word and its neighbours' in the sidebar to map them.")
    return found.rows


def selection_panel(space, keys: list[str]) -> None:
    """List what was clicked / boxed / lassoed, and the nearest neighbours of one chosen point."""
    if not keys:
        st.caption("Click a point, or drag a box / lasso (the map's buttons) to list the words there.")
        return
    first = ", ".join(keys[:LISTED]) + (f" and {len(keys) - LISTED:,} more" if len(keys) > LISTED else "")
    st.caption(f"Selected: {md_literal(first)}")
    left, right = st.columns(2)
    left.markdown(f"**{len(keys):,} selected**")
    with left:
        downloads.dataframe(pd.DataFrame({"word": keys}), "map-selection", key="map_sel", hide_index=True,
                            height=300, label="⬇ Download the selection")
    chosen = right.selectbox("Nearest neighbours of", keys[:MAX_CHOICES], key="map_sel_word",
                             help=f"The first {MAX_CHOICES:,} selected words." if len(keys) > MAX_CHOICES
                             else None)
    with user_errors():
        nb = space.most_similar(chosen, topn=10)
        with right:
            downloads.dataframe(pd.DataFrame(nb, columns=["word", "score"]), f"neighbours-{chosen}",
                                key="map_sel_nb", hide_index=True, column_config={
                                    "score": st.column_config.ProgressColumn(
                                        "cosine similarity", format="%.3f", min_value=0.0, max_value=1.0)})


def coordinate_table(sub, coords, colour, colour_name, state: MapPage) -> pd.DataFrame:
    """Keys, metadata, coordinates and colour / cluster ids of the points on the map."""
    table = sub.to_frame()
    for i, axis in enumerate("xyz"[:coords.shape[1]]):
        table[axis] = coords[:, i]
    if colour is not None and colour_name not in table.columns:
        table["cluster" if state.colour == KMEANS else str(colour_name)] = colour
    return table


def map_downloads(sub, coords, colour, colour_name, state: MapPage) -> None:
    """Coordinates with keys, metadata and colour / cluster ids (CSV, Parquet; the table is made when a file
    is asked for); the points (the figure's own downloads sit under it)."""
    c1, c2 = st.columns(2)
    with c1:
        downloads.table(lambda: coordinate_table(sub, coords, colour, colour_name, state), f"{sub.name}-map",
                        key="map_coords_dl", label="⬇ Download coordinates")
    with c2:
        downloads.space(sub, key="map_space_dl", label="⬇ Download these points' vectors")


def draw(space, state: MapPage) -> None:
    """The map of the selected points with the chosen projection, its trustworthiness and the selection."""
    params = projection_params(state)
    query = (state.query, state.k) if state.mode == "query" else ("", 0)  # only what matters is the key
    sub = selected_space(space, space.fingerprint, state.mode, state.n, *query, tuple(axis_words(state)))
    selection = md_literal(sub.info.get("selection", f"{len(sub):,} points"))
    if sub.info.get("note"):
        st.warning(f"Word(s): {md_literal(sub.info['note'])}")
    st.caption(f"Showing {selection} {EXPLAIN[state.method]}")
    coords, shown, job = coordinates(sub, state, params)
    if job is not None:
        progress(job, METHODS[state.method].split(" (")[0], state, job_token(sub, state, params))
    colour, colour_name = colouring(sub, state)
    title = f"{space.name}: {len(sub):,} points, {METHODS[shown].split(' (')[0]}, {state.dims}-D"
    key_params = tuple(sorted(params.items())) if shown == state.method else ()
    settings = (sub.fingerprint, shown, state.dims, key_params, state.colour, state.clusters)
    marked = tuple(highlight_rows(space, sub, state))
    if state.dims == 2 and len(sub) > SVG_MAX_POINTS:  # every point, with the renderer built for it
        rows = point_view(sub, coords, colour, colour_name, marked, title, settings, state.highlight)
        keys = [sub.keys[r] for r in rows]
    else:
        named = regions(sub, coords, settings) if state.dims == 2 else []
        fig, note = map_figure(coords, sub.keys, colour, colour_name, marked, title, settings, named)
        if note:
            st.info(md_literal(note))
        event = downloads.chart(fig, f"{sub.name}-map", key="map_chart", on_select="rerun",
                                selection_mode=("points", "box", "lasso"))
        points = (event or {}).get("selection", {}).get("points", []) if event else []
        keys = [sub.keys[r] for r in selected_rows(points, fig, len(sub))]
    map_downloads(sub, coords, colour, colour_name, state)
    t, how = trust(sub, sub.fingerprint, shown, state.dims, key_params, coords)
    st.metric("Trustworthiness", f"{t:.3f}")
    st.caption("Are points that look close on the map really close in the full space? Below about 0.9, "
               f"groups on the map may mislead. {how}")
    selection_panel(space, keys)


def main() -> None:
    st.title("Map")
    space = space_picker()
    state = page_state(MapPage)
    controls(space, state)
    with user_errors():
        draw(space, state)


main()

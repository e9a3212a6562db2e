"""Images: embed pictures with a CNN, map them as thumbnails, cluster, find similar ones, search by text."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import streamlit as st

from embedlab.catalog import unique_name
from embedlab.errors import EmbedlabError
from embedlab.images.conse import EXPLANATION
from embedlab.images.datasets import DEFAULT_IMAGE_SET, IMAGE_SETS
from embedlab.images.io import IMAGE_SUFFIXES, MAX_FILES, check_picked
from embedlab.images.thumbs import MAX_DRAWN, uri_bytes
from embedlab.pixels import MAX_PIXELS
from embedlab.space import EmbeddingSpace
from embedlab.uploads import MAX_FILES_AT_ONCE
from ui import downloads
from ui.common import add_session_space, get_space, space_picker, user_errors
from ui.literal import md_literal
from ui.models import image_encoder
from ui.progress import progress_bar
from ui.server_store import compute_once
from ui.share import bind, from_link, tabs
from ui.state import app_state, page_state, set_widget, widget_value
from ui.upload import as_pairs

GRID_MAX = 24  # thumbnails per cluster in the grid view
SOURCES = {"bundled": "Bundled image set", "upload": "Your pictures"}
VIEWS = {"Map": "Map", "Clusters": "Clusters", "Search": "Text search"}


@dataclass
class ImagesPage:
    """The image space being explored, its original files (for large views) and what was refused."""

    space_name: str | None = None
    originals: dict[str, bytes] = field(default_factory=dict)
    refused: list[tuple[str, str]] = field(default_factory=list)
    selected: str | None = None


def bundled_space(set_name: str, _progress=None) -> EmbeddingSpace:
    """A bundled set embedded once per server (``ui.server_store``: a cache hit must not replay the first
    session's progress bar; features are also cached on disk per file)."""
    from embedlab.images.datasets import load_image_set
    from embedlab.images.pipeline import embed_batch

    def embed() -> EmbeddingSpace:
        image_encoder()
        return embed_batch(load_image_set(set_name), f"images-{set_name}", progress=_progress)[0]

    return compute_once("image-sets", set_name, embed)


@st.cache_data(show_spinner="Projecting…", max_entries=16)
def coords(_space: EmbeddingSpace, fingerprint: str, method: str) -> np.ndarray:
    from embedlab.projection import project

    return project(_space, method, 2)


@st.cache_data(show_spinner="Clustering…", max_entries=16)
def clustering(_space: EmbeddingSpace, fingerprint: str, method: str, k: int | None,
               k_range: tuple[int, int]):
    from embedlab.images.cluster import cluster_space

    return cluster_space(_space, method, k=k, k_range=k_range)


def choose_source(state: ImagesPage) -> None:
    """Bundled set or upload; each embeds into a new session space (nothing the user has is replaced)."""
    source, tab = tabs(SOURCES, key="img_source", param="source")
    with tab:
        (bundled_source if source == "bundled" else upload_source)(state)


def bundled_source(state: ImagesPage) -> None:
    """A bundled set, embedded when asked (or when a link names it)."""
    bind("set", "img_set", default=DEFAULT_IMAGE_SET, options=IMAGE_SETS)
    name = st.selectbox("Image set", list(IMAGE_SETS), format_func=lambda n: IMAGE_SETS[n].title,
                        key="img_set", persist_state="page")
    st.caption(f"{IMAGE_SETS[name].description} Licence: {IMAGE_SETS[name].licence}.")
    if st.button("Embed this set", key="img_embed_set", type="primary") or from_link("img_set"):
        with user_errors():
            from embedlab.images.datasets import load_image_set

            bar, report = progress_bar(f"Embedding the {name} images…")
            space = bundled_space(name, report)
            bar.empty()
            state.originals = {it.key: it.data for it in load_image_set(name).items}
            _adopt(state, space, [])


def upload_source(state: ImagesPage) -> None:
    """The user's pictures (files or one zip), embedded when asked."""
    files = st.file_uploader(
        f"Images ({', '.join(s.lstrip('.') for s in IMAGE_SUFFIXES)}), at most {MAX_FILES_AT_ONCE} files "
        f"at a time; more pictures: one .zip of up to {MAX_FILES:,} (sub-folders = labels)",
        type=[s.lstrip(".") for s in IMAGE_SUFFIXES] + ["zip"], accept_multiple_files=True,
        key="img_files")
    st.caption(f"At most {MAX_FILES:,} images, {MAX_PIXELS / 1e6:.0f} million pixels each. Files "
               "that are not images are listed and skipped; the rest are embedded.")
    too_many = len(files or ()) > MAX_FILES_AT_ONCE
    if too_many:
        with user_errors():
            check_picked(len(files))
    if st.button("Embed my pictures", key="img_embed_upload", disabled=not files or too_many):
        with user_errors():
            embed_upload(state, as_pairs(files))


def embed_upload(state: ImagesPage, pairs: list[tuple[str, bytes]]) -> None:
    from embedlab.images.io import read_uploads
    from embedlab.images.pipeline import embed_batch

    batch = read_uploads(pairs)
    image_encoder()
    name = unique_name("my-images", app_state().session_spaces)
    bar, report = progress_bar("Embedding your pictures…")
    space, refused = embed_batch(batch, name, progress=report)
    bar.empty()
    state.originals = {it.key: it.data for it in batch.items}
    _adopt(state, space, refused)


def _adopt(state: ImagesPage, space: EmbeddingSpace, refused: list[tuple[str, str]]) -> None:
    add_session_space(space, select=False)  # Map and Neighbours pages can use it too
    state.space_name, state.refused, state.selected = space.name, list(refused), None


def show_refused(state: ImagesPage) -> None:
    if state.refused:
        with st.expander(f"{len(state.refused)} file(s) skipped", expanded=True):
            downloads.dataframe(pd.DataFrame(state.refused, columns=["file", "reason"]), "skipped-files",
                                key="img_refused", hide_index=True)


def cluster_controls(space: EmbeddingSpace):
    """Sidebar: clustering method and k; returns the clustering result."""
    st.sidebar.subheader("Clusters")
    method = st.sidebar.radio("Method", ["kmeans", "hdbscan"], key="img_cl_method",
                              format_func={"kmeans": "k-means", "hdbscan": "HDBSCAN"}.get)
    k = None
    hi = max(2, min(15, len(space) - 1))
    if method == "kmeans" and not st.sidebar.toggle("Choose k by silhouette", value=True, key="img_auto_k"):
        k = st.sidebar.slider("k", 2, hi, min(6, hi), key="img_k")
    res = clustering(space, space.fingerprint, method, k, (2, hi))
    names = [res.names.get(int(c), f"cluster {c}") for c in res.labels]
    tag = [f"{int(c)}: {n}" if c >= 0 else "noise" for c, n in zip(res.labels, names, strict=True)]
    add_session_space(space.with_meta(cluster=tag), select=False)
    return res, tag


def show_scores(res) -> None:
    cols = st.columns(4)
    cols[0].metric("Clusters (k)", res.k)
    cols[1].metric("Silhouette", "–" if res.silhouette is None else f"{res.silhouette:.3f}")
    cols[2].metric("ARI vs labels", "–" if res.ari is None else f"{res.ari:.3f}")
    cols[3].metric("NMI vs labels", "–" if res.nmi is None else f"{res.nmi:.3f}")
    if res.silhouette_by_k:
        st.caption("Silhouette by k: " + ", ".join(f"{k}: {v:.3f}" for k, v in res.silhouette_by_k.items())
                   + f" → k = {res.k}. ARI / NMI compare the clusters with the folder labels "
                   "(1 = identical, 0 = chance).")


def show_map(space: EmbeddingSpace, tag: list[str]) -> str | None:
    from embedlab.plots.images import thumbnail_map

    bind("proj", "img_proj", default="pca", options=["pca", "umap"], short=True)
    method = st.radio("Projection", ["pca", "umap"], horizontal=True, key="img_proj", persist_state="page",
                      format_func={"pca": "PCA (fast)", "umap": "UMAP (clusters)"}.get)
    xy = coords(space, space.fingerprint, method)
    labels = space.meta_column("label") if "label" in space.meta_columns else [""] * len(space)
    hover = [[f"predicted: {p}", f"label: {lab}" if lab else ""]
             for p, lab in zip(space.meta_column("predicted"), labels, strict=True)]
    fig, drawn = thumbnail_map(xy, list(space.keys), list(space.meta_column("thumb")), tag, hover, MAX_DRAWN)
    st.caption(f"{drawn} of {len(space):,} pictures drawn (spread out so they do not overlap, at most "
               f"{MAX_DRAWN}); every image is a point coloured by cluster. Zoom in, hover for names, click "
               "an image's point to see it large with its most similar images.")
    event = downloads.chart(fig, f"{space.name}-map-{method}", key="img_map", on_select="rerun",
                            selection_mode="points")
    table = space.to_frame().drop(columns=["thumb"], errors="ignore").assign(x=xy[:, 0], y=xy[:, 1],
                                                                              cluster=tag)
    c1, c2 = st.columns(2)
    with c1:
        downloads.table(table, f"{space.name}-map-{method}", key="img_map_table",
                        label="⬇ Download coordinates, labels, clusters")
    with c2:
        downloads.space(space.with_meta(cluster=tag), key="img_space_dl", label="⬇ Download image vectors")
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    keys = [p.get("customdata") for p in points if p.get("customdata")]
    return str(keys[0][0] if isinstance(keys[0], list) else keys[0]) if keys else None


def image_bytes(state: ImagesPage, space: EmbeddingSpace, key: str) -> bytes:
    return state.originals.get(key) or uri_bytes(str(space.meta_column("thumb")[space.index(key)]))


def thumb_grid(space: EmbeddingSpace, keys: list[str], captions: list[str], ncols: int = 8) -> None:
    thumbs = space.meta_column("thumb")
    cols = st.columns(ncols)
    for i, (k, cap) in enumerate(zip(keys, captions, strict=True)):
        picture = uri_bytes(str(thumbs[space.index(k)]))
        cols[i % ncols].image(picture, caption=md_literal(cap), width="stretch")


def show_selected(state: ImagesPage, space: EmbeddingSpace, clicked: str | None) -> None:
    from embedlab.neighbours import most_similar

    keys = list(space.keys)
    if clicked in space:
        state.selected = clicked
    if state.selected not in space:
        state.selected = keys[0]
    if widget_value("img_pick") not in space or clicked in space:
        set_widget("img_pick", state.selected)
    state.selected = st.selectbox("Image", keys, key="img_pick", persist_state="page")
    row = space.index(state.selected)
    left, right = st.columns([1, 2])
    with left:
        st.image(image_bytes(state, space, state.selected), caption=md_literal(state.selected),
                 width="stretch")
        st.markdown(f"**Predicted:** {md_literal(space.meta_column('top_classes')[row])}")
        if "label" in space.meta_columns:
            st.markdown(f"**Label:** {md_literal(space.meta_column('label')[row])}")
    with right:
        st.markdown("**Most similar images** (cosine similarity of CNN features)")
        with user_errors():
            nb = most_similar(space, state.selected, topn=min(8, len(space) - 1))
            thumb_grid(space, [k for k, _ in nb], [f"{k.split('/')[-1]} · {s:.2f}" for k, s in nb], ncols=4)


def show_cluster_grid(space: EmbeddingSpace, tag: list[str]) -> None:
    groups: dict[str, list[str]] = {}
    for k, t in zip(space.keys, tag, strict=True):
        groups.setdefault(t, []).append(k)
    for t in sorted(groups, key=lambda g: (g == "noise", -len(groups[g]))):
        members = groups[t]
        shown = members[:GRID_MAX]
        more = f" — showing {len(shown)} of {len(members)}" if len(members) > len(shown) else ""
        with st.expander(f"Cluster {md_literal(t)} ({len(members)} images){more}"):
            thumb_grid(space, shown, [k.split("/")[-1] for k in shown])


def show_search(space: EmbeddingSpace) -> None:
    from embedlab.images.conse import search

    st.markdown(EXPLANATION)
    c1, c2 = st.columns([3, 1])
    text = c1.text_input("Describe what you are looking for", "a red fruit", key="img_query",
                         persist_state="page")
    t = c2.slider("Classes per image (T)", 1, 10, 5, key="img_t", persist_state="page")
    if st.button("Search", key="img_search", type="primary"):
        with user_errors(), st.spinner("Embedding the query and 1,000 class names (once)…"):
            rows = search(space, text, k=min(16, len(space)), t=t)
            thumb_grid(space, [k for k, _ in rows], [f"{k.split('/')[-1]} · {s:.2f}" for k, s in rows])


def explore(state: ImagesPage) -> None:
    try:
        space = get_space(state.space_name)
    except EmbedlabError:  # the session space is gone (e.g. a new session): start again
        state.space_name = None
        return
    st.subheader(f"{md_literal(space.name)}: {len(space):,} images, {space.dim} d")
    res, tag = cluster_controls(space)
    show_scores(res)
    name, tab = tabs(VIEWS, key="img_view")
    with tab:
        if name == "Map":
            show_selected(state, space, show_map(space, tag))
        elif name == "Clusters":
            show_cluster_grid(space, tag)
        else:
            show_search(space)


def main() -> None:
    st.title("Image embeddings")
    st.caption("A CNN trained on ImageNet (EfficientNet-Lite0) turns each picture into 1,280 numbers; "
               "pictures with similar content get similar vectors. Try a bundled set, or drop in your own "
               "photos.")
    page = page_state(ImagesPage)
    space_picker()
    st.sidebar.caption("This page works on the image sets below; the space picked above is kept for the "
                       "other pages. Image spaces you add here appear in that list.")
    choose_source(page)
    show_refused(page)
    if page.space_name:
        with user_errors():
            explore(page)


main()

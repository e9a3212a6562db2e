"""The Images page in Streamlit's AppTest: embed a bundled set, map, clusters, similar images, errors."""

from __future__ import annotations

import pytest
from conftest import open_page, open_tab, shown


@pytest.fixture(scope="module")
def embedded():
    at = open_page("images", 180)
    at.selectbox(key="img_set").set_value("skimage-photos")
    at.button(key="img_embed_set").click().run()
    assert not at.exception, at.exception
    return at


def test_page_starts_with_a_choice_of_sets():
    at = open_page("images", 60)
    assert any(o.startswith("Emoji") for o in at.selectbox(key="img_set").options)
    assert not at.error


def test_embedding_a_bundled_set_shows_scores_map_and_similar(embedded):
    at = embedded
    assert not at.error
    labels = [m.label for m in at.metric]
    assert {"Clusters (k)", "Silhouette", "ARI vs labels", "NMI vs labels"} <= set(labels)
    assert at.selectbox(key="img_pick").value in at.selectbox(key="img_pick").options
    assert any("pictures drawn" in shown(c.value) for c in at.caption)
    state = at.session_state["_embedlab_state"]
    assert "images-skimage-photos" in state.session_spaces  # Map / Neighbours pages can use it
    assert "cluster" in state.session_spaces["images-skimage-photos"].meta_columns


def test_fixed_k_override(embedded):
    at = embedded
    at.toggle(key="img_auto_k").set_value(False).run()
    at.slider(key="img_k").set_value(3).run()
    assert not at.exception
    assert next(m for m in at.metric if m.label == "Clusters (k)").value == "3"


def test_empty_text_search_shows_an_error_not_a_traceback(embedded):
    at = open_tab(embedded, "Search")
    at.text_input(key="img_query").set_value("   ")
    at.button(key="img_search").click().run()
    assert not at.exception
    assert any("Type a description" in shown(e.value) for e in at.error)


def test_a_second_session_gets_the_shared_set_without_replaying_the_first_ones_progress(embedded):
    """The set is embedded once per server; a second session (new AppTest, same process) reuses it and
    must not crash replaying the first session's progress bar (as st.cache_resource would)."""
    at = open_page("images", 180)
    at.selectbox(key="img_set").set_value("skimage-photos")
    at.button(key="img_embed_set").click().run()
    assert not at.exception, at.exception
    assert "images-skimage-photos" in at.session_state["_embedlab_state"].session_spaces


def test_picking_more_files_than_the_uploader_takes_says_so_and_asks_for_a_zip():
    import io

    from PIL import Image

    from embedlab.uploads import MAX_FILES_AT_ONCE

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 90, 200)).save(buf, "PNG")
    at = open_tab(open_page("images", 60), "upload", param="source")
    uploader = at.file_uploader(key="img_files")
    assert f"at most {MAX_FILES_AT_ONCE} files at a time" in uploader.label and ".zip" in uploader.label
    for i in range(MAX_FILES_AT_ONCE + 1):
        uploader.upload(f"p{i}.png", buf.getvalue(), "image/png")
    at.run()
    assert not at.exception, at.exception
    assert any(f"{MAX_FILES_AT_ONCE + 1} files were picked at once" in shown(e.value) and ".zip" in e.value
               for e in at.error)
    assert at.button(key="img_embed_upload").disabled

"""Home: what embeddings are, pick or upload a space, and what the chosen space holds."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from embedlab import workspace
from embedlab.catalog import read_uploaded, space_rows, space_summary
from embedlab.errors import EmbedlabError
from embedlab.formats.upload import ACCEPTED, MAX_UPLOAD_MB
from embedlab.registry import DEFAULT_SPACE
from ui import about, downloads
from ui.common import add_session_space, load_named_space, space_choices, space_picker, user_errors
from ui.literal import md_literal
from ui.state import app_state, forget_widget, page_state, widget_value
from ui.upload import as_pairs

PICKER_KEY = "space_picker"


@dataclass
class HomePage:
    """Home-page memory: a pending delete (asks first) and the last upload/save/delete outcome."""

    pending_delete: str | None = None
    flash: str = ""
    flash_error: str = ""


def _reselect() -> None:
    """Let the space picker follow ``state.space_name`` after an upload or delete (drop its old value)."""
    forget_widget(PICKER_KEY)


def _on_upload() -> None:
    files = widget_value("home_upload") or []
    page = page_state(HomePage)
    page.flash = page.flash_error = ""
    try:
        wanted = widget_value("home_upload_name")
        space = read_uploaded(as_pairs(files), taken=space_choices(), name=wanted)
    except EmbedlabError as exc:
        page.flash_error = str(exc)
        return
    add_session_space(space)
    _reselect()
    page.flash = (f"Loaded **{md_literal(space.name)}**: {len(space):,} keys × {space.dim} dimensions. It is "
                  "selected now, and only kept for this session unless you save it below.")


def _on_save(name: str) -> None:
    page = page_state(HomePage)
    page.flash = page.flash_error = ""
    space = app_state().session_spaces.get(name)
    target = (widget_value("home_save_name") or name).strip()
    try:
        workspace.save(space, target)
    except EmbedlabError as exc:
        page.flash_error = str(exc)
        return
    load_named_space.clear(target)
    where = workspace.spaces_dir() / target
    page.flash = f"Saved **{md_literal(target)}** to the workspace ({md_literal(where)})."


def _on_delete(name: str) -> None:
    page, state = page_state(HomePage), app_state()
    page.pending_delete = None
    try:
        workspace.delete(name)
    except EmbedlabError as exc:
        page.flash_error = str(exc)
        return
    load_named_space.clear(name)
    if state.space_name == name and name not in state.session_spaces:
        state.space_name = DEFAULT_SPACE
        _reselect()
    page.flash = f"Deleted **{md_literal(name)}** from the workspace."


def intro() -> None:
    st.title("embedlab: see what embeddings are made of")
    left, right = st.columns([3, 2])
    left.markdown(about.INTRO)
    with user_errors():
        fig = about.example_figure(load_named_space(DEFAULT_SPACE))
        if fig is not None:
            with right:
                downloads.chart(fig, "embedding-example", key="home_example")


def choose() -> None:
    st.header("Choose a space")
    space = space_picker("Space to explore", sidebar=False)
    rows = space_rows(app_state().session_spaces, {space.name: space})
    downloads.dataframe(rows, "spaces", key="home_spaces", hide_index=True,
                        column_config={"about": st.column_config.TextColumn(width="large")})
    about_picked = rows.loc[rows["name"] == space.name, "about"]
    if len(about_picked) and about_picked.iloc[0]:  # the table cuts long descriptions: the whole one here
        st.caption(f"**{md_literal(space.name)}**: {md_literal(about_picked.iloc[0])}")
    summary(space)


def summary(space) -> None:
    s = space_summary(space)
    c1, c2, c3 = st.columns(3)
    c1.metric("Keys (words)", f"{s['words']:,}")
    c2.metric("Dimensions", s["dim"])
    c3.metric("Metadata columns", len(s["meta_columns"]))
    if s["meta_columns"]:
        st.caption("Metadata: " + md_literal(", ".join(s["meta_columns"])))
    if s["source"]:
        st.caption(f"Source: {md_literal(s['source'])}")
    if s["licence"]:
        st.caption(f"Licence: {md_literal(s['licence'])}")
    for w in s["warnings"]:
        st.warning(md_literal(w))
    if s["details"]:
        with st.expander("More about this space"):
            st.json(s["details"])
    downloads.space(space, key="home_space_dl", label="⬇ Download this space (word2vec text / Projector TSV)")
    if space.name in app_state().session_spaces:
        st.text_input("Save as", value=space.name, key="home_save_name")
        st.button("Save to workspace", on_click=_on_save, args=(space.name,), key="home_save")


def saved() -> None:
    names = workspace.list_names()
    if not names:
        return
    st.header("Saved spaces")
    st.caption(f"In {md_literal(workspace.spaces_dir())}. Spaces you train or save appear here.")
    page = page_state(HomePage)
    for name in names:
        with st.expander(md_literal(name)):
            with user_errors():
                st.json({k: v for k, v in workspace.read_info(name).items() if k != "warnings"}, expanded=1)
            if page.pending_delete == name:
                st.warning(f"Delete **{md_literal(name)}** permanently? This cannot be undone.")
                a, b = st.columns(2)
                a.button("Yes, delete", key=f"home_del_yes_{name}", on_click=_on_delete, args=(name,),
                         type="primary")
                b.button("Cancel", key=f"home_del_no_{name}",
                         on_click=lambda: setattr(page, "pending_delete", None))
            else:
                st.button("Delete…", key=f"home_del_{name}",
                          on_click=lambda n=name: setattr(page, "pending_delete", n))


def upload_box() -> None:
    st.header("Upload your own vectors")
    st.markdown(f"Accepted: {ACCEPTED}. The format is recognised from the content. "
                f"**Limit: {MAX_UPLOAD_MB} MB per file.** Files are read here and never executed.")
    st.file_uploader("Vectors file (and its labels or metadata file)", accept_multiple_files=True,
                     key="home_upload", max_upload_size=MAX_UPLOAD_MB)
    st.text_input("Name (optional; default: the file name)", key="home_upload_name")
    st.button("Load upload", on_click=_on_upload, type="primary", key="home_upload_go")


def flash() -> None:
    page = page_state(HomePage)
    if page.flash_error:
        st.error(md_literal(page.flash_error))
    if page.flash:
        st.success(page.flash)
    page.flash = page.flash_error = ""  # shown once


def main() -> None:
    intro()
    flash()
    choose()
    upload_box()
    saved()


main()

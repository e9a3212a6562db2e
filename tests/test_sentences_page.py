"""The sentence lab page (AppTest, no browser)."""

from __future__ import annotations

import pytest
from conftest import open_page, open_tab, shown

pytestmark = pytest.mark.slow


@pytest.fixture
def at():
    return open_page("sentences")


def test_example_sentences_search_and_demo(at):
    open_tab(at, "Search")
    assert not at.error
    hits = at.dataframe[0].value
    assert hits.iloc[0]["sentence"] in {"Someone performs music with a guitar.",
                                        "A man is playing a guitar on stage."}
    open_tab(at, "Order")
    at.button(key="sl_demo").click().run()
    demo = at.dataframe[-1].value
    assert demo.iloc[0]["cosine"] == pytest.approx(1.0) and bool(demo.iloc[0]["identical"])
    assert demo.iloc[1]["cosine"] < 0.99


def test_baseline_model_and_add_space(at):
    from ui.state import AppState

    at.radio(key="sl_model").set_value("averaged").run()
    assert not at.exception and not at.error
    at.button(key="sl_add").click().run()
    state: AppState = at.session_state["_embedlab_state"]
    (space,) = state.session_spaces.values()
    assert len(space) == 8 and space.info["words"] == "glove-50d"


def test_empty_and_duplicate_lines_are_reported(at):
    at.text_area(key="sl_text").set_value("One line.\n\n\nOne line.\nAnother line here.\nThird.").run()
    assert not at.exception
    infos = " ".join(shown(i.value) for i in at.info)
    assert "2 empty line(s)" in infos and "1 duplicate" in infos
    at.text_area(key="sl_text").set_value("\n \n").run()
    assert not at.exception and "no sentences found" in shown(at.error[0].value)


def test_past_the_cap_is_refused_with_the_limit(at):
    at.text_area(key="sl_text").set_value("\n".join(f"line {i}" for i in range(10_001))).run()
    assert not at.exception
    assert "10,001 sentences; the limit is 10,000" in shown(at.error[0].value)


def test_csv_upload_with_column_and_progress(at):
    at.radio(key="sl_how").set_value("upload").run()
    assert not at.exception and at.info  # asks for a file
    rows = "\n".join(f"{i},Sentence number {i} is about topic {i % 7}." for i in range(250))
    at.file_uploader(key="sl_upload").upload("s.csv", f"id,text\n{rows}\n".encode(), "text/csv").run()
    assert not at.exception and not at.error
    assert at.selectbox(key="sl_column").value == "text"  # picked by name, not the first (id) column
    from ui.state import AppState

    state: AppState = at.session_state["_embedlab_state"]
    (space,) = state.pages["SentencesPage"].spaces.values()
    assert len(space) == 250 and space.keys[0] == "Sentence number 0 is about topic 0."


def test_binary_upload_is_refused_clearly(at):
    at.radio(key="sl_how").set_value("upload").run()
    at.file_uploader(key="sl_upload").upload("s.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "text/plain").run()
    assert not at.exception
    assert "binary file" in shown(at.error[0].value)


def compared(at):
    """The comparison table the page shows."""
    (table,) = [d.value for d in at.dataframe if "role swaps cosine" in d.value.columns]
    return table


def test_compare_encoders_tab_shows_the_table_and_the_chart_once_per_server():
    from ui.server_store import clear
    from ui.state import AppState

    clear("sentence-compare")
    at = open_tab(open_page("sentences", run=False), "Compare")
    note = shown(" ".join(c.value for c in at.caption))
    assert "elmo-small" in note and "not the published weights" in note and "2.3M words" in note
    assert any("Model card" in e.label for e in at.expander)
    at.multiselect(key="sl_cmp_encoders").set_value(["glove-50d-mean", "use-dan-small"]).run()
    at.button(key="sl_cmp_run").click().run()
    assert not at.exception and not at.error
    table = compared(at)
    assert list(table["encoder"]) == ["bag of vectors (GloVe-50d mean)", "USE DAN (small)"]
    assert table["role swaps cosine"].iloc[0] == pytest.approx(1.0)  # a bag of words cannot see the order
    assert "sl_cmp_chart" in [c.key for c in at.get("plotly_chart")]
    assert {"sl_cmp_table_dl_csv", "sl_cmp_table_dl_parquet"} <= {b.key for b in at.get("download_button")}
    state: AppState = at.session_state["_embedlab_state"]
    assert state.pages["SentencesPage"].compared == (("glove-50d-mean", "use-dan-small"), 3)
    at.radio(key="sl_model").set_value("averaged").run()  # a rerun: the result stays, no second click
    assert compared(at).equals(table)
    again = open_page("sentences", run=False)  # another session: the shared result, no button
    again.session_state["sl_cmp_encoders"] = ["glove-50d-mean", "use-dan-small"]
    again.session_state["_embedlab_state"] = other = AppState()
    other.pages["SentencesPage"] = type(state.pages["SentencesPage"])(compared=(("glove-50d-mean",
                                                                                  "use-dan-small"), 3))
    assert compared(open_tab(again, "Compare")).equals(table)


def test_a_small_encoder_embeds_the_sentences_with_its_note():
    at = open_page("sentences", run=False)
    at.session_state["sl_model"] = "use-dan-small"
    at.run()
    assert not at.exception and not at.error
    assert any("use-dan-small is a small model" in shown(c.value) for c in at.caption)
    assert open_tab(at, "Search").dataframe[0].value.iloc[0]["sentence"]  # the search still answers


def test_the_map_names_its_clusters_by_keywords(at):
    """Issue 25: clusters of the example sentences are named by TF-IDF keywords in the map's legend."""
    import json

    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    legend = [t["name"] for t in spec["data"] if t.get("showlegend") is not False and t.get("name")]
    assert any(name.startswith("cluster") for name in legend), legend
    words = {w for name in legend if ": " in name for w in name.split(": ", 1)[1].split(", ")}
    assert words & {"guitar", "music", "stock", "market", "dog", "park", "recipe", "flour", "eggs", "prices"}

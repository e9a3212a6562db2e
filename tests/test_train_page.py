"""The Train page in Streamlit's AppTest: corpus stats, a tiny live run, bad input as st.error."""

from __future__ import annotations

import pytest
from conftest import open_page, open_tab, shown
from streamlit.testing.v1 import AppTest

from embedlab import jobs


def _app() -> AppTest:
    at = open_page("train", 60)
    at.radio(key="train_source").set_value("sample").run()
    return at


def _job(at: AppTest):
    return jobs.get(at.session_state["_embedlab_state"].pages["TrainPage"].job_key)


@pytest.mark.slow
def test_train_page_tiny_run_shows_neighbours_and_saves():
    at = _app()
    assert not at.exception
    assert any(m.label == "Vocabulary" for m in at.metric)
    at.number_input(key="train_dim_skipgram").set_value(10)
    at.number_input(key="train_epochs_skipgram").set_value(2)
    at.text_input(key="train_name").set_value("page-sg")
    at.button(key="train_go").click().run()
    assert not at.exception and not at.error
    job = _job(at)
    job.wait(120)
    at.run()
    assert not at.exception, at.exception
    assert job.status == jobs.DONE, job.error_trace
    assert any("Saved **page-sg**" in shown(s.value) for s in at.success)
    assert any("page-sg" in str(df.value) for df in at.dataframe)  # listed under "your trained spaces"
    # the space just saved is not flagged as someone else's that training would overwrite
    assert not any("exists; training will replace it" in shown(w.value) for w in at.warning)
    assert any("is the space trained below" in shown(c.value) for c in at.caption)


def test_train_page_bad_input_shows_error_not_exception():
    at = _app()
    at.number_input(key="train_min_count").set_value(10_000).run()  # no word in the sample occurs that often
    assert not at.exception
    at.button(key="train_go").click().run()
    assert not at.exception
    assert any("vocabulary is empty" in shown(e.value) for e in at.error)
    assert _job(at) is None  # nothing started
    at.text_input(key="train_name").set_value("bad/name").run()
    at.number_input(key="train_min_count").set_value(5).run()
    at.button(key="train_go").click().run()
    assert any("not a valid space name" in shown(e.value) for e in at.error) and not at.exception


def test_word_vector_settings_survive_a_visit_to_the_sentence_encoder_tab():
    """The tabs are lazy (only the open one runs): the Word vectors settings are kept while it is closed."""
    at = _app()
    at.radio(key="train_method").set_value("glove").run()
    at.text_input(key="train_watch").set_value("river, bank").run()
    open_tab(at, "Encoder")
    assert not any(r.key == "train_method" for r in at.radio)  # the closed tab did not run
    open_tab(at, "Words")
    assert at.radio(key="train_method").value == "glove" and at.radio(key="train_source").value == "sample"
    assert at.text_input(key="train_watch").value == "river, bank"


@pytest.mark.slow
def test_compare_section_shows_tables_for_a_saved_space():
    from test_train_glove import planted

    from embedlab.train.live import make_params, run

    run(None, planted(200), make_params("cbow", dim=8, window=3, epochs=2, min_count=1, workers=1), ["cat"],
        "cmp-cbow")
    at = open_page("train", 60)
    at.multiselect(key="train_compare").set_value(["cmp-cbow"]).run()
    at.toggle(key="train_compare_on").set_value(True).run()
    assert not at.exception, at.exception
    table = at.dataframe[-3].value  # comparison, per-category, failures
    assert list(table["space"]) == ["cmp-cbow"] and table["method"][0] == "cbow"
    assert any("wrong answers" in shown(c.value) for c in at.caption)


STORY = ("The storm reached the coast at night. Fishermen pulled their boats onto the sand. Rain fell for "
         "three days. The river rose above the bridge. Schools closed and shops stayed dark. "
         "On the fourth day the sun came out. People walked to the harbour to see the damage. ")


def _encoder_tab(files=()) -> AppTest:
    from ui.state import AppState

    state = AppState()
    at = open_page("train", 60, state=state, run=False)
    at.run()  # the Word vectors tab, which makes the page's state
    state.pages["TrainPage"].encoder.files = tuple(files)
    open_tab(at, "Encoder")
    return at, state.pages["TrainPage"].encoder


@pytest.mark.slow
def test_sentence_encoder_tab_trains_on_uploaded_text_and_saves_a_usable_encoder():
    from embedlab.encoders import get_encoder
    from ui.small_encoders import sentence_encoders

    at, page = _encoder_tab([("story.txt", (STORY * 30).encode())])
    at.radio(key="tenc_kind").set_value("use-dan").run()
    at.radio(key="tenc_source").set_value("upload").run()
    assert any("story.txt" in shown(c.value) for c in at.caption)
    at.text_input(key="tenc_name").set_value("page-dan").run()
    at.button(key="tenc_go").click().run()
    assert not at.exception and not at.error
    job = jobs.get(page.job_key)
    job.wait(300)
    at.run()
    assert job.status == jobs.DONE, job.error_trace
    assert any("Saved the encoder **page-dan**" in shown(s.value) for s in at.success)
    assert "tenc_loss" in [c.key for c in at.get("plotly_chart")]  # the loss curve
    assert "page-dan" in sentence_encoders()  # the Sentence lab offers it
    assert get_encoder("page-dan").encode(["The river rose."]).shape == (1, get_encoder("page-dan").dim)


@pytest.mark.slow
def test_sentence_encoder_tab_stop_keeps_what_is_trained():
    from embedlab.encoders.saved import exists

    at, page = _encoder_tab()
    at.radio(key="tenc_kind").set_value("elmo").run()
    at.radio(key="tenc_source").set_value("sample").run()
    at.text_input(key="tenc_name").set_value("page-elmo").run()
    at.button(key="tenc_go").click().run()
    assert not at.exception
    at.button(key="tenc_stop").click().run()
    job = jobs.get(page.job_key)
    job.wait(300)
    at.run()
    assert job.status == jobs.CANCELLED and job.result is not None and job.result.stopped
    assert any("stopped early" in shown(s.value) for s in at.success)
    assert exists("page-elmo")
    poly = open_page("polysemy", run=False)  # an ELMo the user trained gets the per-layer view too
    poly.session_state["poly_encoder"] = "page-elmo"
    poly.run()
    assert not poly.exception and not poly.error and poly.slider(key="poly_layer").max == 3
    assert any("page-elmo is a small model" in shown(c.value) for c in poly.caption)


@pytest.mark.slow
def test_sentence_encoder_tab_refuses_a_built_in_name():
    at, _ = _encoder_tab()
    at.radio(key="tenc_source").set_value("sample").run()
    at.text_input(key="tenc_name").set_value("elmo-small").run()
    at.button(key="tenc_go").click().run()
    assert not at.exception and "built-in encoder" in shown(at.error[0].value)

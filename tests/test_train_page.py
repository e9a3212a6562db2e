"""The Train page in Streamlit's AppTest: corpus stats, a tiny live run, bad input as st.error."""

from __future__ import annotations

import pytest
from conftest import open_page, shown
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

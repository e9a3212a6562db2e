"""The polysemy explorer page (AppTest, no browser)."""

from __future__ import annotations

import pytest
from conftest import open_page, shown

pytestmark = pytest.mark.slow


@pytest.fixture
def at():
    return open_page("polysemy")


def test_bundled_word_renders_map_heatmap_and_layer_scores(at):
    assert not at.error
    assert any("20 occurrence(s) of 'bank'" in shown(c.value) for c in at.caption)
    assert any("one** 50-d vector for every sense" in shown(c.value) for c in at.caption)
    assert at.metric[0].value == "1.00"  # last layer separates river from money banks
    at.slider(key="poly_layer").set_value(0).run()
    assert not at.exception and float(at.metric[0].value) < 0.5


def test_add_occurrences_as_a_space(at):
    from ui.state import AppState

    at.button(key="poly_add").click().run()
    assert not at.exception and at.success
    state: AppState = at.session_state["_embedlab_state"]
    space = next(iter(state.session_spaces.values()))
    assert space.keys[0] == "bank #1" and "sense" in space.meta_columns
    at.button(key="poly_add").click().run()
    assert len(state.session_spaces) == 2  # a second add never replaces the first


def test_typed_sentences_and_bad_input(at):
    at.radio(key="poly_mode").set_value("typed").run()
    assert not at.exception and not at.error
    assert at.metric  # the labelled example has ARI
    at.text_area(key="poly_text").set_value("The bank is open.\nNo word here.").run()
    assert not at.exception
    assert "sentence 2" in shown(at.error[0].value) and "No word here." in shown(at.error[0].value)
    at.text_area(key="poly_text").set_value("sentence,sense\nA bank.,money\nThe bank.,\n").run()
    assert not at.exception and "sense column is empty" in shown(at.error[0].value)


def test_all_words_table(at):
    at.button(key="poly_all").click().run()
    assert not at.exception
    table = at.dataframe[0].value
    assert "bank" in table.index and "mean" in table.index and "layer 6" in table.columns


def test_elmo_small_gives_its_per_layer_view(at):
    at.radio(key="poly_encoder").set_value("elmo-small").run()
    assert not at.exception and not at.error
    assert any("model elmo-small" in shown(c.value) for c in at.caption)
    assert any("not the published weights" in shown(c.value) for c in at.caption)
    slider = at.slider(key="poly_layer")
    assert slider.max == 3 and slider.value == 3  # char-CNN, LSTM 1, LSTM 2, scalar mix
    assert "scalar mix" in at.metric[0].label and "character CNN" in slider.label
    top = float(at.metric[0].value)
    at.slider(key="poly_layer").set_value(0).run()
    assert not at.exception and "char-CNN" in at.metric[0].label
    assert float(at.metric[0].value) < top  # context separates the senses; the character layer cannot
    at.radio(key="poly_encoder").set_value("minilm-l6").run()
    assert not at.exception and at.slider(key="poly_layer").max == 6

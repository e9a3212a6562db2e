"""The Map page under hostile input (issue 22): word lists are deduplicated and capped with a message, and
looking up many highlight words stays cheap."""

from __future__ import annotations

import numpy as np
from conftest import open_page, shown

from embedlab.plots.pointmap import read_payload
from embedlab.selection import MAX_QUERY_WORDS, select_points, word_list
from embedlab.space import EmbeddingSpace


def _words(n: int) -> list[str]:
    from embedlab.registry import load

    return [w for w in load("glove-50d").keys[:2 * n] if w.isalpha()][:n]


def _messages(at, kind: str) -> str:
    return " ".join(shown(m.value) for m in getattr(at, kind))


# ------------------------------------------------------------------ the library
def test_word_list_keeps_each_word_once_and_at_most_the_cap():
    assert word_list("king, queen,king") == (["king", "queen"], "3 words were given, 2 of them distinct; "
                                                                 "each is used once.")
    words, note = word_list([f"w{i}" for i in range(MAX_QUERY_WORDS + 70)] * 2)
    assert words == [f"w{i}" for i in range(MAX_QUERY_WORDS)]
    assert f"At most {MAX_QUERY_WORDS} words are used" in note and "70 dropped" in note
    assert word_list(["a", "b"]) == (["a", "b"], "")


def test_select_query_searches_each_word_once_and_at_most_the_cap():
    keys = [f"w{i}" for i in range(300)]
    space = EmbeddingSpace(keys, np.random.default_rng(0).normal(size=(300, 8)).astype(np.float32))
    once = select_points(space, "query", query=["w1"] * 20_000 + ["W1"], k=2)
    assert once.keys[0] == "w1" and len(once) == 3
    assert "20,001 words were given, 2 of them distinct" in once.info["note"]
    capped = select_points(space, "query", query=keys[:120], k=1)
    assert set(capped.meta_column("selected_by")) == set(keys[:MAX_QUERY_WORDS])
    assert "70 dropped" in capped.info["note"]


# ------------------------------------------------------------------ the page
def test_map_box_with_more_words_than_the_cap_maps_the_first_and_says_so():
    at = open_page("map", run=False)
    at.query_params["mode"] = "query"
    at.run()
    at.text_input(key="map_query").set_value(" ".join(_words(MAX_QUERY_WORDS + 10) * 3)).run()
    assert not at.exception, [e.value for e in at.exception]
    warned = _messages(at, "warning")
    assert f"{3 * (MAX_QUERY_WORDS + 10)} words were given, {MAX_QUERY_WORDS + 10} of them distinct" in warned
    assert f"At most {MAX_QUERY_WORDS} words are used" in warned and "10 dropped" in warned
    assert at.get("plotly_chart"), "the map of the first words is drawn"


def test_map_highlight_of_many_unknown_words_is_two_messages_not_one_each():
    at = open_page("map")
    unknown = " ".join(f"zzqx{i}" for i in range(MAX_QUERY_WORDS + 5))
    at.text_input(key="map_highlight").set_value(f"king {unknown}").run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 2, [e.value for e in at.error]
    errors = _messages(at, "error")
    assert "'zzqx0' is not in the vocabulary" in errors and "zzqx10 and 38 more" in errors  # 49 unknown kept
    assert "6 dropped" in _messages(at, "warning")
    header, _ = read_payload(at.get("bidi_component")[0].proto.bytes)  # 5,000 points: the point map
    assert [h["text"] for h in header["highlight"]] == ["king"]

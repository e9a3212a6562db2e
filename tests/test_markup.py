"""Words and file names are data: markup in them is shown literally in figures and in the app's messages.

Plotly renders ``<b>``, ``<i>``, ``<br>`` and ``<a href>`` inside text; Streamlit renders markdown
(``**bold**``, ``$x$``, ``:red[...]``, links) in errors, warnings, successes, captions and labels.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import open_page, shown

from embedlab.space import EmbeddingSpace
from ui.literal import md_literal

HTML_KEYS = ["<b>bold</b>", "<i>it</i>", '<a href="https://evil.example">click</a>', "a<br>b"]
MD_KEYS = ["**bold**", "$x$", ":red[red]", "[x](javascript:alert(1))", "_em_", "<b>b</b>", ":smile:"]


def _no_live_html(texts) -> None:
    """Every string is escaped: no raw tag Plotly would render, the tag visible as text instead."""
    for t in texts:
        t = str(t)
        assert "<b>" not in t and "<i>" not in t and "<a " not in t and "a<br>b" not in t, t


def _texts(fig) -> list[str]:
    out = []
    for tr in fig.data:
        for attr in ("text", "hovertext", "name"):
            v = getattr(tr, attr, None)
            if v is not None:
                out += [v] if isinstance(v, str) else [str(x) for x in v]
    title = fig.layout.title.text
    return out + ([title] if title else [])


# ------------------------------------------------------------------------------------------- figures
def test_scatter_map_escapes_labels_categories_and_title():
    from embedlab.plots.maps import scatter_map

    coords = np.arange(8, dtype=np.float32).reshape(4, 2)
    fig, _ = scatter_map(coords, HTML_KEYS, color=["<i>c</i>", "x", "x", "x"], color_name="<b>col</b>",
                         highlight=[HTML_KEYS[2]], title="map of <b>mine</b>")
    texts = _texts(fig)
    _no_live_html(texts)
    assert "&lt;b&gt;bold&lt;/b&gt;" in texts and "map of &lt;b&gt;mine&lt;/b&gt;" in texts
    hl = fig.data[-1]
    assert hl.name == "highlighted" and list(hl.text) == ['&lt;a href="https://evil.example"&gt;click&lt;/a&gt;']


def test_analogy_and_word_plots_escape_words():
    from embedlab.plots.maps import analogy_figure
    from embedlab.plots.words import labelled_scatter

    pts = {k: np.array([i, i % 2], np.float32) for i, k in enumerate(HTML_KEYS + ["ctx<i>"])}
    fig = analogy_figure(pts, *HTML_KEYS, context_keys=["ctx<i>"])
    _no_live_html(_texts(fig))
    assert "&lt;b&gt;bold&lt;/b&gt;" in list(fig.data[-1].text)
    fig = labelled_scatter(HTML_KEYS, np.eye(4, 2, dtype=np.float32), title="'<b>q</b>' nearby",
                           highlight=[HTML_KEYS[0]], scores=[1.0, 0.5, 0.4, 0.3])
    _no_live_html(_texts(fig))
    assert any("&lt;i&gt;it&lt;/i&gt;<br>score 0.500" == h for h in _texts(fig))  # our <br> stays


def test_other_figures_escape_words():
    from embedlab.bias.directions import Direction
    from embedlab.plots.bias import before_after_figure, cluster_figure, projection_figure, weat_figure
    from embedlab.plots.images import thumbnail_map
    from embedlab.plots.similarity import similarity_heatmap

    d = Direction(np.eye(3)[0], "<b>he</b>", "she", "pair")
    frame = pd.DataFrame({"word": HTML_KEYS, "x": [0.1, 0.2, -0.1, 0.0], "y": [0.0] * 4,
                          "before": [0.1] * 4, "after": [0.0] * 4, "lean": [0, 1, 0, 1],
                          "cluster": [0, 1, 0, 1], "pc1": [0.0] * 4, "pc2": [1.0] * 4})
    assoc = pd.DataFrame({"list": ["<i>X</i>", "Y", "<i>X</i>", "Y"], "word": HTML_KEYS,
                          "association": [0.1, 0.2, 0.3, 0.4]})
    figs = [projection_figure(frame, d), before_after_figure(frame, d), cluster_figure(frame),
            weat_figure(assoc, ("<i>X</i>", "Y", "A", "B"))]
    figs.append(thumbnail_map(np.eye(4, 2), HTML_KEYS, [""] * 4, groups=["<b>g</b>"] * 4,
                              hover=[["predicted: <i>cat</i>"]] * 4)[0])
    heat = similarity_heatmap(np.eye(4), HTML_KEYS)
    for fig in figs:
        _no_live_html(_texts(fig))
        _no_live_html([fig.layout.xaxis.title.text or ""])
    _no_live_html(list(heat.data[0].x) + list(heat.data[0].y))


# ------------------------------------------------------------------------------------------- the app
def _markup_space() -> EmbeddingSpace:
    """Normal words near each other, each markup key far away (so it is the odd one out)."""
    rng = np.random.default_rng(0)
    base = rng.normal(size=8)
    vecs = {w: base + 0.05 * rng.normal(size=8) for w in ("apple", "pear", "plum")}
    for i, k in enumerate(MD_KEYS + HTML_KEYS[:2] + ["w"]):
        vecs[k] = rng.normal(size=8) * 3 + (i + 1) * np.eye(8)[i % 8]
    warning = "Row 3: key **bold** [x](javascript:1)"
    return EmbeddingSpace.from_dict(vecs, name="markup", info={"warnings": [warning]})


def _open(page: str):
    from ui.state import AppState

    space = _markup_space()
    state = AppState(space_name=space.name, session_spaces={space.name: space})
    at = open_page(page, 60, state, run=False)
    if page == "neighbours":
        at.query_params["q"] = "apple"  # a word of the markup space (a link's ?q=)
    return at.run()


@pytest.mark.parametrize("odd", MD_KEYS)
def test_odd_one_out_shows_the_word_literally(odd):
    at = _open("neighbours")
    at.text_input(key="nb_odd").input(f"apple pear plum {odd}").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    body = at.success[0].value
    assert body == f"**{md_literal(odd)}** does not fit with the others."
    assert shown(body) == f"**{odd}** does not fit with the others."


def test_neighbours_plot_and_analogy_plot_escape_keys():
    at = _open("neighbours")
    at.text_input(key="nb_query").input("<b>bold</b>").run()
    assert not at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    texts = [t for tr in spec["data"] for t in tr.get("text", [])]
    assert "&lt;b&gt;bold&lt;/b&gt;" in texts
    _no_live_html(texts + [spec["layout"]["title"]["text"]])
    at.text_input(key="nb_query").input("<b>bold</b> - <i>it</i> + w").run()
    assert not at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    texts = [t for tr in spec["data"] for t in tr.get("text", [])]
    _no_live_html(texts + [spec["layout"]["title"]["text"]])
    assert "&lt;i&gt;it&lt;/i&gt;" in texts


def test_unknown_word_error_and_suggestions_are_literal():
    at = _open("neighbours")
    at.text_input(key="nb_query").input("**bolt**").run()
    assert not at.exception and at.error
    body = at.error[0].value
    assert "**bolt**" not in body and "**bolt**" in shown(body)
    labels = [b.label for b in at.button if b.key and b.key.startswith("nb_suggest_")]
    assert md_literal("**bold**") in labels


def test_home_warnings_and_upload_errors_are_literal():
    at = _open("home")
    assert any(shown(w.value) == "Row 3: key **bold** [x](javascript:1)" for w in at.warning)
    assert not any("**bold**" in w.value for w in at.warning)
    name = "**evil**[x](javascript:alert(1))$x$.txt"
    at.file_uploader(key="home_upload").upload(name, b"apple 1 0\nbanana zero 1\n")
    at.button(key="home_upload_go").click().run()
    assert not at.exception and at.error
    body = at.error[0].value
    assert name in shown(body) and name not in body and "](javascript" not in body

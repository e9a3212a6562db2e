"""The bilingual map of the Compare page's "Map A → B" tab: words of two languages in one picture after
the map, each source word joined to its translation.

Input is :func:`embedlab.compare.diagnosis.bilingual_points`. Words, space names and languages go through
:func:`~embedlab.plots.style.literal`.
"""

from __future__ import annotations

import numpy as np

from embedlab.plots.style import (
    BLUE,
    GREEN,
    GREY,
    LABEL_FONT,
    MARKER_QUERY,
    ORANGE,
    RED,
    house_layout,
    label_positions,
    literal,
    literals,
    pad_for_labels,
    scatter_type,
)

# the three kinds of line: (right, legend name, colour, dash)
LINKS = ((True, "line to its translation: the map's first guess", GREEN, "solid"),
         (False, "line to its translation: the map guessed another word (in brackets)", RED, "dash"),
         (None, "line to the map's guess (the word is not in the dictionary)", GREY, "dot"))


def _words(language: str, space: str) -> str:
    """"English words", or "words of X" without a language."""
    return f"words of {space}" if language in ("", "unknown") else f"{language} words"


def _side(language: str, space: str) -> str:
    """A legend name: "English words (word2vec-gnews-bolukbasi)", or "words of X" without a language."""
    words = _words(language, space)
    return words if words.startswith("words of") else f"{words} ({space})"


def _links(src: np.ndarray, tgt: np.ndarray, mask: np.ndarray) -> tuple[list, list]:
    """x and y of line segments from ``src`` to ``tgt`` rows in ``mask``, separated by gaps (None)."""
    xs, ys = [], []
    for i in np.flatnonzero(mask):
        xs += [float(src[i, 0]), float(tgt[i, 0]), None]
        ys += [float(src[i, 1]), float(tgt[i, 1]), None]
    return xs, ys


def bilingual_map(points, title: str | None = None, presenter: bool = False, height: int = 620):
    """Source words (blue, after the map) and their translations (orange) in one plane, each pair joined:
    green when the map's first guess is that translation, red dashes when it guesses another word (shown
    in brackets after the source word), grey dots for a word the dictionary lacks (the line then goes to
    the map's guess)."""
    import plotly.graph_objects as go

    n = len(points.source)
    src, tgt = np.asarray(points.source_xy, np.float32), np.asarray(points.target_xy, np.float32)
    right = np.array(points.right, dtype=object)
    scatter = scatter_type(2 * n)
    fig = go.Figure()
    for rank, (value, name, colour, dash) in enumerate(LINKS, 3):
        mask = np.array([r is value for r in right], dtype=bool)
        if mask.any():
            xs, ys = _links(src, tgt, mask)
            fig.add_trace(scatter(x=xs, y=ys, mode="lines", name=name, hoverinfo="skip", legendrank=rank,
                                  line={"color": colour, "width": 2, "dash": dash}))
    labels = [w if r is not False else f"{w} ({g})"
              for w, g, r in zip(points.source, points.guess, points.right, strict=True)]
    where = label_positions(np.vstack([src, tgt]), [*labels, *points.target], height=height,
                            marker=MARKER_QUERY) if n else np.array([])
    verdict = {True: "right", False: "wrong", None: "not in the dictionary"}
    src_hover = [f"{literal(w)} ({literal(points.source_language)}) → the map's first guess: {literal(g)} "
                 f"({verdict[r]})" for w, g, r in zip(points.source, points.guess, points.right, strict=True)]
    for rank, (words, xy, colour, name, hover, pos) in enumerate((
            (labels, src, BLUE, _side(points.source_language, points.source_name) + ", after the map",
             src_hover, where[:n]),
            (points.target, tgt, ORANGE, _side(points.target_language, points.target_name),
             [f"{literal(w)} ({literal(points.target_language)})" for w in points.target], where[n:])), 1):
        fig.add_trace(scatter(x=xy[:, 0] if n else [], y=xy[:, 1] if n else [], mode="markers+text",
                              name=literal(name), text=literals(words), textposition=list(pos),
                              textfont={"color": colour, "size": LABEL_FONT + 1}, hovertext=hover,
                              hoverinfo="text", marker={"size": MARKER_QUERY - 4, "color": colour},
                              legendrank=rank))
    if n:
        pad_for_labels(fig, np.vstack([src, tgt]))
    fig.update_xaxes(showticklabels=False, title=None, zeroline=False)
    fig.update_yaxes(showticklabels=False, title=None, zeroline=False)
    fig.update_layout(legend={"orientation": "h", "y": -0.02, "yanchor": "top"})
    house_layout(fig, title, height, presenter)
    fig.update_layout(title_subtitle_text=literal(
        f"Each line joins one of the {_words(points.source_language, points.source_name)} to its translation "
        f"among the {_words(points.target_language, points.target_name)}: the shorter the line, the closer "
        "the map put the word to its translation."), margin_t=80 if title else 40)
    return fig

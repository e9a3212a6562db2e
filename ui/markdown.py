"""User data inside Streamlit markdown, shown literally (plain functions, no Streamlit).

Streamlit renders markdown in ``st.markdown``, ``st.error/warning/success/info``, ``st.caption``,
``st.metric`` labels, button and expander labels: ``**bold**``, ``[x](javascript:...)``, ``$x$`` (LaTeX),
``:red[x]`` (colour), ``<b>`` (shown as text) and emoji shortcodes such as ``:smile:``. Words, file names,
space names and messages that quote them are data, so a page either shows them with ``st.text``,
``st.code`` or a dataframe, or passes each piece through :func:`md` before it goes into markdown::

    st.success(f"**{md(word)}** does not fit with the others.")
    st.error(md(str(exc)))
"""

from __future__ import annotations

import re
import string

_PUNCT = re.compile("([" + re.escape(string.punctuation) + "])")
_SHORTCODE_START = re.compile(r":(?=[\w+-]+:)")  # a colon that opens an emoji shortcode such as :smile:
WORD_JOINER = "\u2060"


def md(text) -> str:
    """``text`` escaped for Streamlit markdown: every ASCII punctuation character gets a backslash.

    CommonMark lets any ASCII punctuation be backslash-escaped and shows it as the character itself, so
    the escaped text reads exactly like the input: no emphasis, links, HTML, LaTeX, colour directives,
    headings or lists. A colon that opens an emoji shortcode (``:smile:``) also gets an invisible word
    joiner after it (the emoji plugin runs on the unescaped text). Newlines become spaces (one paragraph).
    """
    s = str(text).replace("\r", " ").replace("\n", " ")
    s = _SHORTCODE_START.sub(":" + WORD_JOINER, s)
    return _PUNCT.sub(r"\\\1", s)

"""User data inside Streamlit text elements, shown literally (pure helpers, no Streamlit import).

``st.error``, ``st.warning``, ``st.success``, ``st.info``, ``st.caption``, ``st.markdown``, metric, button,
expander, tab and image-caption labels and progress text render Markdown, Streamlit directives
(``:red[...]``), LaTeX (``$x$``) and emoji shortcodes (``:smile:``). Words, file names, labels and error
messages that quote them are data: wrap them in :func:`md_literal` before they enter such a string::

    st.success(f"**{md_literal(word)}** does not fit with the others.")
    st.error(md_literal(str(exc)))

Or show them with ``st.text``, ``st.code`` or a dataframe, which render nothing.
"""

from __future__ import annotations

import string

_PUNCT = frozenset(string.punctuation)


def md_literal(text) -> str:
    """``text`` with every ASCII punctuation character backslash-escaped (CommonMark allows that for all of
    them), so no Markdown, HTML, directive, emoji shortcode or LaTeX in it renders; line breaks become
    spaces. The escaped text reads exactly like the input (``tests/test_browser_markup.py`` checks that in
    Chromium).
    """
    s = " ".join(str(text).splitlines())
    return "".join("\\" + c if c in _PUNCT else c for c in s)

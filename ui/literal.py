"""User data inside Streamlit text elements, shown literally (pure helpers, no Streamlit import).

``st.error``, ``st.warning``, ``st.success``, ``st.info``, ``st.caption`` and ``st.markdown`` render
Markdown, Streamlit directives (``:red[...]``) and LaTeX (``$x$``). Words, file names, labels and error
messages that quote them are data: wrap them in :func:`md_literal` before they enter such a string.
"""

from __future__ import annotations

import string

_PUNCT = frozenset(string.punctuation)


def md_literal(text) -> str:
    """``text`` with every ASCII punctuation character backslash-escaped (CommonMark allows that for all of
    them), so no Markdown, HTML, directive or LaTeX in it renders; line breaks become spaces."""
    s = " ".join(str(text).splitlines())
    return "".join("\\" + c if c in _PUNCT else c for c in s)

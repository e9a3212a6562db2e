"""The last line of defence around every page (``app.py`` runs each page inside :func:`page_guard`).

Pages show the errors people can cause (:class:`embedlab.errors.EmbedlabError`) as sentences through
``ui.common.user_errors()``. Anything else that escapes a page is a bug: instead of Streamlit's traceback the
reader gets one sentence, and the traceback sits in a closed "Details for a bug report" expander (and in
the server log).

Streamlit's own control flow (``st.rerun()``, ``st.stop()``, ``st.switch_page()``) raises exceptions that
derive from ``BaseException``, not ``Exception`` (checked by ``tests/test_guard.py``), so they pass through
untouched, as do ``KeyboardInterrupt`` and ``SystemExit``.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from embedlab.errors import EmbedlabError, one_line
from ui.literal import md_literal

log = logging.getLogger("embedlab.app")


def bug_report(exc: BaseException) -> str:
    """The text to paste into a bug report: versions, then the traceback of ``exc``."""
    from embedlab import __version__

    versions = (f"embedlab {__version__}, Python {sys.version.split()[0]}, Streamlit {st.__version__}, "
                f"{sys.platform}")
    return versions + "\n\n" + "".join(traceback.format_exception(exc)).rstrip()


def show_unexpected(exc: Exception) -> None:
    """One sentence about an unexpected error, and its traceback in a closed expander."""
    log.error("unexpected error in a page", exc_info=exc)
    st.error(md_literal(f"Something went wrong that embedlab did not expect ({one_line(exc)}). Changing the "
                        "input or reloading the page may help; if it happens again, please report it with "
                        "the details below."))
    with st.expander("Details for a bug report"):
        st.code(bug_report(exc), language="text")


@contextmanager
def page_guard() -> Iterator[None]:
    """Run a page: errors people can cause become a sentence, anything else :func:`show_unexpected`."""
    try:
        yield
    except EmbedlabError as exc:
        st.error(md_literal(str(exc)))
    except Exception as exc:  # noqa: BLE001 - the last line of defence; Streamlit's control flow is not an Exception
        show_unexpected(exc)

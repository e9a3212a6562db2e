"""Small string helpers every layer shares (standard library only: the lowest floor).

* :func:`split_list` — a comma-separated value (a CLI option, a text box, a URL value) as a list.
"""

from __future__ import annotations


def split_list(text: str | None, sep: str = ",") -> list[str]:
    """The items of ``text`` separated by ``sep``, each stripped, empty ones dropped, in order.

    ``"cat, dog,,  bird "`` → ``["cat", "dog", "bird"]``; ``None`` or ``""`` → ``[]``. Repeats are kept
    (callers that need distinct items say so, e.g. :func:`embedlab.selection.word_list`).
    """
    if not text:
        return []
    return [t.strip() for t in text.split(sep) if t.strip()]

"""Small string helpers every layer shares (standard library only: the lowest floor).

* :func:`split_list` — a comma-separated value (a CLI option, a text box, a URL value) as a list.
* :func:`is_number` — whether a token is a number (a vector value, a weight, a numeric label).
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


def is_number(token: str) -> bool:
    """True if ``token`` parses as a float (``"3"``, ``"-0.5"``, ``"1e-3"``, ``" 2 "``, ``"nan"``)."""
    try:
        float(token)
    except ValueError:
        return False
    return True

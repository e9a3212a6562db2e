"""Small string helpers every layer shares (standard library only: the lowest floor).

* :func:`split_list` — a comma-separated value (a CLI option, a text box, a URL value) as a list.
* :func:`is_number` — whether a token is a number (a vector value, a weight, a numeric label).
* :func:`human_bytes` — a size in bytes for people (``"195.3 KB"``), in the binary units the upload limits
  use (1 KB = 1,024 bytes, 1 MB = 1,024 KB: ``embedlab.uploads.MB``).
* :func:`ordinal` — a rank in words for people (``"3rd"``, ``"1,002nd"``).
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


_UNITS = ("B", "KB", "MB", "GB", "TB")


def human_bytes(nbytes: float) -> str:
    """``nbytes`` for people: ``"512 B"``, ``"1.0 KB"``, ``"195.3 MB"``, ``"1,024.0 TB"``.

    Binary units (a KB is 1,024 bytes), as every size limit in embedlab is counted: the Lessons page and
    the Use page show the same text for the same matrix. Whole bytes below 1 KB, one decimal above.
    """
    size = float(nbytes)
    for unit in _UNITS[:-1]:
        if abs(size) < 1024:
            return f"{size:,.0f} {unit}" if unit == "B" else f"{size:,.1f} {unit}"
        size /= 1024
    return f"{size:,.1f} {_UNITS[-1]}"


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st, 961st, 1,002nd (thousands separated)."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n:,}{suffix}"

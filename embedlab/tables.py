"""Tables for people: CSV that a spreadsheet opens as data, never as formulas.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel, LibreOffice
and Google Sheets as a formula (CSV injection: ``=HYPERLINK(...)``, ``=cmd|' /C calc'!A0``). Following
OWASP's guidance (https://owasp.org/www-community/attacks/CSV_Injection) such *text* cells, and column
names, get a leading single quote, which spreadsheets show as text. Numbers stay numbers: numeric columns
are not touched, and neither is a text cell made only of plain decimal numbers (``-1``, ``+0.5``,
``-0.25 0.5 1e-3``: a class label, a vector written as text), in which a spreadsheet can find no function,
reference or command.

Every CSV embedlab writes for people goes through :func:`csv_bytes` (the pages' downloads, and any CLI
output of CSV).
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_PLAIN_NUMBERS = re.compile(rf"{_NUMBER}(?: +{_NUMBER})*")  # "-1", "-0.5 0.25 1e-3" (a vector as text)


def safe_cell(value: Any) -> Any:
    """``value`` with a leading ``'`` when it is text a spreadsheet would run as a formula; else as it is.

    >>> safe_cell("=1+1"), safe_cell("-1"), safe_cell("fire"), safe_cell(-3.5)
    ("'=1+1", '-1', 'fire', -3.5)
    """
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBERS.fullmatch(value):
        return "'" + value
    return value


def spreadsheet_safe(df):
    """A copy of the DataFrame ``df`` whose text cells and column names pass through :func:`safe_cell`.

    Numeric, boolean and date columns are returned as they are; only columns that can hold text (object,
    string, categorical) are looked at.
    """
    import pandas as pd

    out = df.copy(deep=False)
    for i, (_, col) in enumerate(out.items()):
        if pd.api.types.is_object_dtype(col) or pd.api.types.is_string_dtype(col) \
                or isinstance(col.dtype, pd.CategoricalDtype):
            out.isetitem(i, col.astype(object).map(safe_cell))
    if not isinstance(out.columns, pd.MultiIndex):
        out.columns = [safe_cell(c) for c in out.columns]
    return out


def csv_bytes(df) -> bytes:
    """The DataFrame ``df`` as UTF-8 CSV without its index, safe to open in a spreadsheet.

    Rows end in CRLF (RFC 4180), so a cell holding a carriage return is quoted: with ``\n`` line ends
    Python's writer leaves a lone CR bare, a spreadsheet starts a new row there, and the text after it
    (``"x\r=cmd|..."``) would become a first cell that no quote protects.
    """
    return spreadsheet_safe(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8")

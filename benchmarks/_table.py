"""Shared table printing for the benchmark scripts."""

from __future__ import annotations


def print_table(rows: list[tuple[str, str, str]], value_width: int = 10) -> None:
    """Print ``(measure, value, note)`` rows as a Markdown table."""
    w = max(len(r[0]) for r in rows)
    print(f"\n| {'measure':<{w}} | {'value':>{value_width}} | note |")
    print(f"|{'-' * (w + 2)}|{'-' * (value_width + 2)}|------|")
    for what, value, note in rows:
        print(f"| {what:<{w}} | {value:>{value_width}} | {note} |")

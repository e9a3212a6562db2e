"""Shared table printing for the benchmark scripts."""

from __future__ import annotations


def print_table(rows: list[tuple[str, str, str]], value_width: int = 10) -> None:
    """Print ``(measure, value, note)`` rows as a Markdown table."""
    w = max(len(r[0]) for r in rows)
    print(f"\n| {'measure':<{w}} | {'value':>{value_width}} | note |")
    print(f"|{'-' * (w + 2)}|{'-' * (value_width + 2)}|------|")
    for what, value, note in rows:
        print(f"| {what:<{w}} | {value:>{value_width}} | {note} |")


def print_grid(headers: list[str], rows: list[list]) -> None:
    """Print a Markdown table with any number of columns (values right-aligned)."""
    cells = [[str(c) for c in r] for r in rows]
    w = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    print("\n| " + " | ".join(h.ljust(w[i]) for i, h in enumerate(headers)) + " |")
    print("|" + "|".join("-" * (x + 2) for x in w) + "|")
    for r in cells:
        print("| " + " | ".join(c.rjust(w[i]) for i, c in enumerate(r)) + " |")

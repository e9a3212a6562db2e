"""Reference cases: an ordinary command, and a bad file name (the cost of starting Python and the CLI)."""

from __future__ import annotations

from hostile import cli

CASES = [
    cli("reference: neighbours glove king", "neighbours", "glove-50d", "king", "--k", "3"),
    cli("slices a missing file", "slices", "a.txt", "nope.txt", "--prefix", "x",
        setup=lambda w: (w / "a.txt").write_text("the cat sat on the mat\n" * 50)),
]

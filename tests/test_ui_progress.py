"""ui/progress.py: progress text is shown literally (messages can quote file, node or word names)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _script():
    from ui.progress import progress_bar, progress_line

    _, report = progress_bar("Reading **x**.txt")
    report(5, 0, "")  # no total: done
    progress_line(1.5, "Embedding [a](javascript:1)")


def test_progress_text_is_literal_and_fractions_are_clamped():
    at = AppTest.from_function(_script, default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]
    bars = at.get("progress")
    texts = [b.proto.text for b in bars]
    assert "**x**" not in texts[0] and "](javascript" not in texts[1]
    assert [b.proto.value for b in bars] == [100, 100]

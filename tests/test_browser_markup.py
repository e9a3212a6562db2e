"""In the real browser, words with markup in them read exactly as typed (issue 9 item 6).

AppTest shows the markdown source a page sends; only a browser shows what Streamlit's renderer makes of it
(emphasis, LaTeX, colour directives, emoji shortcodes, links). A saved space whose keys are markup is
opened with ``?space=``; the Odd-one-out answer must show each key literally, and the neighbourhood plot
its labels as text.
"""

from __future__ import annotations

import numpy as np
import pytest
from browser_util import app_url, browser  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WAIT_MS = 120_000
KEYS = ["**bold**", "$x$", ":red[red]", ":smile:", "[x](javascript:alert(1))", "<b>b</b>"]


@pytest.fixture(scope="module")
def markup_space_saved():
    from embedlab import workspace
    from embedlab.space import EmbeddingSpace

    rng = np.random.default_rng(0)
    base = rng.normal(size=8)
    vecs = {w: base + 0.05 * rng.normal(size=8) for w in ("apple", "pear", "plum")}
    for i, k in enumerate(KEYS):
        vecs[k] = rng.normal(size=8) * 3 + (i + 1) * np.eye(8)[i]
    workspace.save(EmbeddingSpace.from_dict(vecs, name="markup"), "markup")
    return "markup"


def _settled(page) -> None:
    page.wait_for_timeout(300)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=WAIT_MS)


def test_odd_one_out_reads_exactly_as_typed(browser, app_url, markup_space_saved):  # noqa: F811
    ctx = browser.new_context(viewport={"width": 1400, "height": 950})
    page = ctx.new_page()
    page.set_default_timeout(WAIT_MS)
    try:
        page.goto(f"{app_url}/neighbours?space={markup_space_saved}")
        box = page.get_by_role("textbox", name="Words separated by spaces")
        box.wait_for()
        _settled(page)
        for key in KEYS:
            box.fill(f"apple pear plum {key}")
            box.press("Enter")
            _settled(page)
            expected = f"{key} does not fit with the others."
            alert = page.locator('[data-testid="stAlertContentSuccess"]', has_text=expected).first
            alert.wait_for()  # this answer (not the previous one) is on the page
            assert alert.inner_text().strip() == expected, key
            assert alert.locator("strong").inner_text() == key  # our own bold stays bold
            assert alert.locator("a, img, .katex, em").count() == 0, key
        query = page.get_by_role("textbox", name="Word or expression")
        query.fill("<b>b</b>")
        query.press("Enter")
        _settled(page)
        page.locator(".js-plotly-plot text", has_text="<b>b</b>").first.wait_for()  # the tag, as text
        assert page.locator(".js-plotly-plot text b, .js-plotly-plot a").count() == 0
        assert page.locator('a[href^="javascript"]').count() == 0
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        ctx.close()

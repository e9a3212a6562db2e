"""A table download in Chromium: sentences that are spreadsheet formulas come back as text (CSV injection).

Use embeddings → Search over uploaded sentences, "Download the hits" → CSV; the downloaded file's bytes
must hold every formula-like sentence with a leading single quote (OWASP), and the scores as plain numbers.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from browser_util import app_url, browser, settle  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WAIT_MS = 300_000
HOSTILE = ['=HYPERLINK("http://x","wildfire") wildfire near Sydney', "=cmd|' /C calc'!A0 fires burn",
           "@SUM(1+1) fire fighters"]
CALM = ["a quiet afternoon at the beach", "the council met on tuesday"]


def test_search_hits_csv_holds_no_formula(browser, app_url, tmp_path):  # noqa: F811 - fixtures
    upload = tmp_path / "hostile.txt"
    upload.write_text("\n".join(HOSTILE + CALM) + "\n", encoding="utf-8")
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = ctx.new_page()
    page.set_default_timeout(WAIT_MS)
    try:
        page.goto(f"{app_url}/use?tab=Search&collection=upload&search=wildfire")
        page.locator('[data-testid="stFileUploader"] input[type="file"]').first.wait_for(state="attached")
        settle(page)
        page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(str(upload))
        page.get_by_text("Download the hits").first.wait_for()
        settle(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        page.get_by_text("Download the hits").first.click()
        with page.expect_download() as got:
            page.get_by_role("button", name="CSV").first.click()
        data = (tmp_path / "hits.csv")
        got.value.save_as(data)
        raw = data.read_bytes()
    finally:
        ctx.close()
    assert not re.search(rb'(^|[\r\n,])"?[=@]', raw), raw  # no cell starts a formula
    for text in HOSTILE:
        assert ("'" + text).encode() in raw.replace(b'""', b'"'), text
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    texts = {r["text"] for r in rows}
    assert texts & {"'" + t for t in HOSTILE} and not texts & set(HOSTILE)
    assert all(not r["text"].startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows)
    assert all(float(r["score"]) == float(r["score"].lstrip("'")) and not r["score"].startswith("'")
               for r in rows)

"""Picking spaces as a user does (issue 9.1), in Chromium against `streamlit run app.py`.

A bundled space, a space trained with ``embedlab train`` and a space uploaded on Home are picked in the
sidebar of every page in turn; each pick must stick (the box keeps it after the page reruns), change what
the page shows, and still be selected on the next page the user opens from the navigation.
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

import pytest
from browser_util import ROOT, browser, run_app  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WAIT_MS = 180_000
TRAINED = "class-skipgram"
UPLOADED = "my-vectors"
# (navigation title, whether the main area must change with the space)
PAGES = [("Map", True), ("Neighbours & analogies", True), ("Train your own", True),
         ("Polysemy explorer", True), ("Sentence lab", True), ("Bias lab", True), ("Image embeddings", False),
         ("Graphs", False), ("Use embeddings", False)]  # Use offers the picked space as one more feature


def _settled(page) -> None:
    page.wait_for_timeout(400)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=WAIT_MS)
    page.wait_for_timeout(300)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=WAIT_MS)


def _picked(page, sidebar: bool = True) -> str:
    """The space the picker shows (Streamlit's selectbox is a combobox input)."""
    where = '[data-testid="stSidebar"] ' if sidebar else '[data-testid="stMain"] '
    return page.locator(where + '[data-testid="stSelectbox"] input[role="combobox"]').first.input_value()


def _pick(page, name: str, sidebar: bool = True) -> None:
    where = '[data-testid="stSidebar"] ' if sidebar else '[data-testid="stMain"] '
    page.locator(where + '[data-testid="stSelectbox"] button[aria-label="Open"]').first.click()
    page.locator('[role="option"]', has_text=name).first.click()
    _settled(page)


def _main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def _train_space(home: Path) -> None:
    """A small skip-gram space, trained and saved by the CLI (as a user would outside the app)."""
    corpus = home / "corpus.txt"
    with gzip.open(ROOT / "sample_data" / "corpus" / "default.txt.gz", "rt", encoding="utf-8") as f:
        corpus.write_text("".join(line for _, line in zip(range(4000), f, strict=False)), encoding="utf-8")
    env = {**os.environ, "EMBEDLAB_HOME": str(home)}
    subprocess.run([sys.executable, "-m", "embedlab", "train", "word2vec", "--corpus", str(corpus), "--out",
                    TRAINED, "--dim", "16", "--epochs", "1", "--min-count", "2", "--workers", "1"],
                   cwd=ROOT, env=env, check=True, capture_output=True)


def _vectors_file(path: Path) -> Path:
    """A GloVe-style text file of 3,000 real GloVe words (so every page has something to show)."""
    import embedlab

    glove = embedlab.load("glove-50d")
    words = list(dict.fromkeys([*glove.keys[:3000], "bank", "bat", "queen", "king", "woman", "man"]))
    sub = glove.subset(words)
    lines = [w + " " + " ".join(f"{x:.4f}" for x in v) for w, v in zip(sub.keys, sub.vectors, strict=True)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    home = tmp_path_factory.mktemp("picker-home")
    _train_space(home)
    log = tmp_path_factory.mktemp("picker-log") / "streamlit.log"
    with run_app(env={"EMBEDLAB_HOME": str(home)}, log=log) as url:
        yield url


def test_pick_bundled_trained_and_uploaded_spaces_on_every_page(browser, app, tmp_path):  # noqa: F811
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(WAIT_MS)
    page.goto(app)
    page.get_by_text("Upload your own vectors").wait_for()
    _settled(page)
    # upload on Home, as a user: choose the file, name it, press Load
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        str(_vectors_file(tmp_path / "my-vectors.txt")))
    page.get_by_label("Name (optional; default: the file name)").fill(UPLOADED)
    page.get_by_label("Name (optional; default: the file name)").press("Enter")
    _settled(page)
    page.get_by_role("button", name="Load upload").click()
    _settled(page)
    assert _picked(page, sidebar=False) == UPLOADED
    assert page.locator('[data-testid="stException"]').count() == 0

    cycle = ["word2vec-gnews-bolukbasi", TRAINED, UPLOADED]
    current = UPLOADED
    for i, (title, changes) in enumerate(PAGES):
        page.locator('[data-testid="stSidebarNav"] a', has_text=title).first.click()
        page.locator("h1").first.wait_for()
        _settled(page)
        assert _picked(page) == current, f"{title} did not keep {current}"
        if title == "Sentence lab":  # the sidebar space feeds the averaged-vectors model: choose it
            page.get_by_text("Averaged word vectors").first.click()
            _settled(page)
        before = _main_text(page)
        wanted = cycle[i % len(cycle)] if cycle[i % len(cycle)] != current else cycle[(i + 1) % len(cycle)]
        _pick(page, wanted)
        page.wait_for_timeout(500)
        _settled(page)
        assert _picked(page) == wanted, f"{title}: the picker snapped back from {wanted}"
        assert f"space={wanted}" in page.url
        if changes:
            assert _main_text(page) != before, f"{title}: nothing changed after picking {wanted}"
        assert page.locator('[data-testid="stException"]').count() == 0, title
        current = wanted
    # and Home, reached from the navigation, shows the last pick
    page.locator('[data-testid="stSidebarNav"] a', has_text="Home").first.click()
    page.get_by_text("Choose a space").wait_for()
    _settled(page)
    assert _picked(page, sidebar=False) == current
    page.close()


def test_a_second_tab_keeps_its_own_space(browser, app):  # noqa: F811
    """Two tabs are two users: a pick in one does not move the other."""
    a = browser.new_page(viewport={"width": 1400, "height": 1000})
    b = browser.new_page(viewport={"width": 1400, "height": 1000})
    for p in (a, b):
        p.set_default_timeout(WAIT_MS)
        p.goto(f"{app}/neighbours")
        p.get_by_role("textbox", name="Word or expression").wait_for()
        _settled(p)
    _pick(a, "word2vec-gnews-bolukbasi")
    b.reload()
    b.get_by_role("textbox", name="Word or expression").wait_for()
    _settled(b)
    assert _picked(a) == "word2vec-gnews-bolukbasi"
    assert _picked(b) == "glove-50d"
    a.close()
    b.close()


def test_a_pick_stays_shown_across_pages_visited_without_picking(browser, app):  # noqa: F811
    """Pick once, then only follow sidebar links: every page must show (and use) that pick, not its list's
    first entry. The picker widget kept from one page to the next once came back drawn at its first option
    on every second page."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(WAIT_MS)
    page.goto(f"{app}/map")
    page.locator("h1").first.wait_for()
    _settled(page)
    _pick(page, "word2vec-gnews-bolukbasi")
    for title in ["Bias lab", "Graphs", "Polysemy explorer", "Use embeddings", "Neighbours & analogies",
                  "Sentence lab", "Train your own"]:
        page.locator('[data-testid="stSidebarNav"] a', has_text=title).first.click()
        page.locator("h1", has_text=title.split(" ")[0]).first.wait_for()
        _settled(page)
        assert _picked(page) == "word2vec-gnews-bolukbasi", f"{title} shows {_picked(page)}"
        assert "space=word2vec-gnews-bolukbasi" in page.url, title
        assert page.locator('[data-testid="stException"]').count() == 0, title
    page.close()

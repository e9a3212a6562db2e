"""A bookmarked page URL on a freshly started server gets embedlab's navigation from the first frame on.

The page files live in ``app_pages/``: with a ``pages/`` folder beside ``app.py``, a fresh server first ran
the linked file alone under Streamlit's legacy page-folder mode (raw file names in the sidebar, no frame).
"""

from __future__ import annotations

import pytest
from browser_util import browser, run_app  # noqa: F811, F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# every sidebar text the page ever shows, sampled on each DOM change from the first frame on
RECORD_NAV = """
window.__navs = [];
new MutationObserver(() => {
  const nav = document.querySelector('[data-testid="stSidebarNav"]');
  const text = nav ? nav.innerText : '';
  if (text && window.__navs[window.__navs.length - 1] !== text) window.__navs.push(text);
}).observe(document, {childList: true, subtree: true, characterData: true});
"""
RAW_NAMES = ("app\n", "bias\n", "compare\n", "neighbours\n", "polysemy\n", "sentences\n")


@pytest.mark.parametrize("path, landmark", [("neighbours", "Odd one out"), ("map", "Which points")])
def test_direct_link_on_fresh_server_routes_through_app(browser, tmp_path, path, landmark):  # noqa: F811
    with run_app(env={"EMBEDLAB_HOME": str(tmp_path)}, log=tmp_path / "streamlit.log") as url:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.set_default_timeout(120_000)
        page.add_init_script(RECORD_NAV)
        page.goto(f"{url}/{path}")  # nobody has opened "/" on this server yet
        page.get_by_text(landmark).first.wait_for()
        navs = page.evaluate("window.__navs")
        page.close()
    assert navs, "no sidebar navigation was ever shown"
    assert all("Neighbours & analogies" in nav and "Explore" in nav for nav in navs), navs
    assert not any(raw in nav.lower() + "\n" for nav in navs for raw in RAW_NAMES), navs

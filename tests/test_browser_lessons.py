"""Lessons in a real browser: every "Try it" link opens its page with the preset shown, a shared link works
in a fresh session on a fresh server, and two tabs work at the same time."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from browser_util import app_url, browser, settle  # noqa: F401 - fixtures
from playwright.sync_api import expect

VALUE_MS = 60_000  # a value bound from the link can land a rerun after the page first settles

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LAST = "9. Latest advancements"
LINK = 'a[data-testid="stPageLink-NavLink"]'
N_LINKS = 24  # the Try-it links on the Lessons page
TITLES = {"neighbours": "Neighbours & analogies", "map": "Map", "train": "Train your own",
          "polysemy": "Polysemy explorer", "sentences": "Sentence lab", "bias": "Bias lab",
          "images": "Image embeddings", "graphs": "Graphs", "compare": "Compare spaces",
          "use": "Use embeddings"}
TAB_LABELS = {"Map": "🧭 Map A → B", "Compare": "Compare encoders"}  # a tab's label where it is not its name


def _new_page(browser):  # noqa: F811 - fixture
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(180_000)
    return page


def _links(page) -> list[tuple[str, str]]:
    """(label, href) of every "Try it" link on the Lessons page (label: "Try it: ...", without the icon)."""
    page.get_by_text(LAST).first.wait_for()
    settle(page)
    page.wait_for_function(  # every link drawn (each appears twice, one copy hidden: count distinct ones)
        f"() => new Set([...document.querySelectorAll('{LINK}')].map(a => a.href + a.textContent)).size"
        f" >= {N_LINKS}")
    found = []  # each link is drawn twice (one copy hidden): keep one of each
    for a in page.locator(LINK).filter(has_text="Try it").all():
        item = ("Try it:" + a.text_content().split("Try it:")[-1], a.get_attribute("href"))
        if item not in found:
            found.append(item)
    return found


def _input(page, label: str):
    return page.get_by_label(label, exact=True).first


def _choice(page, label: str) -> str:
    """The option a selectbox labelled ``label`` shows (its search input holds the chosen option's label)."""
    return _input(page, label).input_value()


def _cells(page) -> list[str]:
    return [c.text_content() for c in page.locator('[data-testid="stDataFrame"] [role="gridcell"]').all()]


def _check_preset(page, path: str, params: dict[str, str]) -> None:
    """Assert that the page at ``path`` shows what ``params`` asked for."""
    page.get_by_role("heading", name=TITLES[path]).first.wait_for()
    settle(page)
    for name, value in params.items():
        if name == "q":
            box = _input(page, "Word or expression")
            box.wait_for()
            expect(box).to_have_value(value, timeout=VALUE_MS)
            expected = {"king - man + woman": "queen", "hot": "cold", "cat": "dog"}
            page.locator('[data-testid="stDataFrame"] [role="gridcell"]').first.wait_for(state="attached")
            if value in expected:
                page.locator('[data-testid="stDataFrame"] [role="gridcell"]').filter(
                    has_text=expected[value]).first.wait_for(state="attached")
                assert expected[value] in _cells(page)
        elif name == "odd":
            expect(_input(page, "Words separated by spaces")).to_have_value(value, timeout=VALUE_MS)
            page.get_by_text("does not fit with the others").first.wait_for()
        elif name == "word":
            assert value in _choice(page, "Ambiguous word")
        elif name == "query":
            box = _input(page, "Find sentences like this one")
            box.wait_for(state="attached")
            expect(box).to_have_value(value, timeout=VALUE_MS)
        elif name == "set":
            from embedlab.images.datasets import IMAGE_SETS

            assert IMAGE_SETS[value].title in _choice(page, "Image set")
        elif name == "test":
            assert value in _choice(page, "Test")
        elif name == "proj":
            assert _choice(page, "Projection").startswith(value.upper())
        elif name == "graph":
            from embedlab.graphs.datasets import BUNDLED_GRAPHS

            box = page.locator('[data-testid="stSelectbox"]', has_text="Bundled graph").locator("input").first
            expect(box).to_have_value(BUNDLED_GRAPHS[value], timeout=VALUE_MS)
        elif name == "method" and path == "graphs":
            checked = page.locator('[data-testid="stRadio"]', has_text="Method").locator(
                'label:has(input:checked)').first.text_content()
            assert checked.lower().startswith(value)
        elif name in ("a", "b"):
            assert _choice(page, "Space A" if name == "a" else "Space B (reference)") == value
        elif name == "tab":
            label = page.locator('[role="tab"][aria-selected="true"]').first.text_content()
            assert label == TAB_LABELS.get(value, value), label
            if (path, value) == ("compare", "Map"):  # the English ↔ French map, fitted: chat → cat
                box = _input(page, "Translate a word from French into English")
                expect(box).to_have_value("chat", timeout=VALUE_MS)
                page.locator('[data-testid="stDataFrame"] [role="gridcell"]').filter(
                    has_text="cat").first.wait_for(state="attached")
        elif name == "encoder":  # the Polysemy explorer's encoder (elmo-small)
            checked = page.locator('[data-testid="stRadio"]', has_text="Encoder").locator(
                'label:has(input:checked)').first.text_content()
            assert checked.startswith("ELMo") and value == "elmo-small"
        elif name == "search":
            box = _input(page, "Query")
            box.wait_for()
            expect(box).to_have_value(value, timeout=VALUE_MS)
        else:
            raise AssertionError(f"no check for the query parameter {name!r}; add one")


def test_every_try_it_link_opens_its_page_set_up(app_url, browser):  # noqa: F811 - fixtures
    page = _new_page(browser)
    page.goto(f"{app_url}/lessons")
    links = _links(page)
    assert len(links) == N_LINKS, links
    assert {urlparse(h).path.strip("/") for _, h in links} >= set(TITLES)
    for i, (label, href) in enumerate(links):  # click each link from the Lessons page (same session)
        if i:
            page.goto(f"{app_url}/lessons")
            _links(page)
        page.get_by_text(label, exact=True).first.click()
        url = urlparse(href)
        params = {k: v[-1] for k, v in parse_qs(url.query).items()}
        _check_preset(page, url.path.strip("/"), params)
        shown = {k: v[-1] for k, v in parse_qs(urlparse(page.url).query).items()}
        assert all(shown.get(k) == v for k, v in params.items()), (label, page.url)  # the URL keeps them
    page.close()


def test_shared_link_in_a_fresh_session_and_two_tabs_at_once(app_url, browser):  # noqa: F811 - fixtures
    ctx_a = browser.new_context(viewport={"width": 1400, "height": 1000})
    ctx_b = browser.new_context(viewport={"width": 1400, "height": 1000})
    a, b = ctx_a.new_page(), ctx_b.new_page()
    for p in (a, b):
        p.set_default_timeout(180_000)
    a.goto(f"{app_url}/lessons")
    b.goto(f"{app_url}/neighbours?q=king+-+man+%2B+woman")  # opened while tab A is still rendering
    _check_preset(b, "neighbours", {"q": "king - man + woman"})
    assert len(_links(a)) == N_LINKS
    b.goto(f"{app_url}/neighbours?q=zzzqqq")  # an unknown word: a message, not a traceback
    b.get_by_text("zzzqqq").first.wait_for()
    assert b.locator('[data-testid="stException"]').count() == 0
    assert b.locator('[data-testid="stAlert"]').count() >= 1
    ctx_a.close()
    ctx_b.close()

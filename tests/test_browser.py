"""The built site in a real browser: Debian's chromium, driven by Playwright.

One browser (pytest-playwright's `browser`) and one server (the harness's
`site_url`) for the session. Every HTML page of the site is opened once, in
one of two tabs, as a new visitor: all that the tests check of a page is read
during that one visit, then the tests assert on it.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.base import AXE_SCRIPT, AxeResults
from mkdocs.config import load_config
from playwright.sync_api import Browser, BrowserContext, Page, expect

from harness import CHROMIUM, CHROMIUM_ARGS, REPO, Site, fences, shown

# Any URL but the local server's: aborted, so that no request leaves.
ELSEWHERE = re.compile(r"^(?!http://127\.0\.0\.1[:/])")
# Each page starts as a first visit: no palette chosen, nothing cached.
NEW_VISITOR = "localStorage.clear(); sessionStorage.clear();"
AXE_RUN = "options => axe.run(options)"
AXE_OPTIONS = {"resultTypes": ["violations"]}
# The rules a palette can change.
DARK_AXE_OPTIONS = {
    **AXE_OPTIONS,
    "runOnly": ["color-contrast", "link-in-text-block"],
}
# Click each copy button, as a reader does, and read the clipboard back.
COPY_EVERY_BLOCK = """async () => {
    const copied = [];
    for (const button of document.querySelectorAll("[data-md-type=copy]")) {
        button.click();
        copied.push(await navigator.clipboard.readText());
    }
    return copied;
}"""
# The header's links to the repository, and the look of the first Note and
# the first Todo the page has.
PAGE_FACTS = """() => {
    const style = admonition => {
        if (!admonition) return null;
        const title = admonition.querySelector(".admonition-title");
        const icon = getComputedStyle(title, "::before");
        return {
            border: getComputedStyle(admonition).borderLeftColor,
            title: getComputedStyle(title).backgroundColor,
            icon: icon.maskImage,
            icon_colour: icon.backgroundColor,
        };
    };
    return {
        source_links: [...document.querySelectorAll("a.md-source")].map(
            link => link.getAttribute("href")
        ),
        note: style(document.querySelector(".admonition.note")),
        todo: style(document.querySelector(".admonition.todo")),
    };
}"""
# Choose a palette with the header's toggle; the scheme the body then has.
CHOOSE_PALETTE = """scheme => {
    document.querySelector(`input[data-md-color-scheme=${scheme}]`).click();
    return document.body.getAttribute("data-md-color-scheme");
}"""


@dataclass
class Visit:
    """What one page did and showed in the browser."""

    requests: list[str]
    facts: dict[str, Any]
    axe: AxeResults
    dark_axe: AxeResults
    copied: list[str]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Debian's chromium: Playwright cannot download a browser here."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="module")
def reader(browser: Browser, site_url: str) -> Iterator[BrowserContext]:
    """A browser context on the local site, allowed to use the clipboard."""
    context = browser.new_context(
        base_url=site_url, permissions=["clipboard-read", "clipboard-write"]
    )
    context.route(ELSEWHERE, lambda route: route.abort())
    yield context
    context.close()


def in_every(tabs: list[Page], script: str, arg: object = None) -> list:
    """Run a script in every tab at once; its results, in the tabs' order."""
    for tab in tabs:
        tab.evaluate(f"arg => {{ window.guideRun = ({script})(arg); }}", arg)
    return [tab.evaluate("window.guideRun") for tab in tabs]


@pytest.fixture(scope="module")
def visits(reader: BrowserContext, site: Site) -> dict[str, Visit]:
    """Every HTML page of the site, each visited once, in one of two tabs.

    The tabs take the pages in turns, two at a time: each keeps a core busy
    when the other pytest run leaves one free. A page's requests are those
    its tab makes from its navigation to the next: through both axe runs
    (light, then dark palette) and the copy buttons.
    """
    tabs = [reader.new_page() for _ in range(2)]
    requests: dict[Page, list[str]] = {}
    for tab in tabs:
        tab.add_init_script(NEW_VISITOR)
        tab.add_init_script(AXE_SCRIPT)
        tab.on("request", lambda r, tab=tab: requests[tab].append(r.url))
    pages = site.html_pages()
    visits = {}
    for start in range(0, len(pages), len(tabs)):
        turn = list(zip(tabs, pages[start : start + len(tabs)], strict=False))
        for tab, html in turn:
            requests[tab] = []
            tab.goto(
                f"./{html.removesuffix('index.html')}", wait_until="commit"
            )
        for tab, _ in turn:
            tab.wait_for_load_state()
        open_tabs = [tab for tab, _ in turn]
        facts = in_every(open_tabs, PAGE_FACTS)
        light = in_every(open_tabs, AXE_RUN, AXE_OPTIONS)
        schemes = in_every(open_tabs, CHOOSE_PALETTE, "slate")
        assert schemes == ["slate"] * len(turn), turn
        dark = in_every(open_tabs, AXE_RUN, DARK_AXE_OPTIONS)
        found = zip(turn, facts, light, dark, strict=True)
        for (tab, html), page_facts, light_axe, dark_axe in found:
            # Last: the "Copied" dialog fades in, which axe would catch.
            tab.bring_to_front()  # the clipboard serves the focused tab
            visits[html] = Visit(
                requests[tab],
                page_facts,
                AxeResults(light_axe),
                AxeResults(dark_axe),
                tab.evaluate(COPY_EVERY_BLOCK),
            )
    for tab in tabs:
        tab.close()
    return visits


def test_copy_buttons_copy_exactly_the_tested_sources(
    visits: dict[str, Visit], site: Site
) -> None:
    for html, visit in visits.items():
        page = site.page_of(html)
        expected = (
            [shown(source) for _, source in fences(page)] if page else []
        )
        assert visit.copied == expected, html


def test_no_page_requests_a_host_but_127_0_0_1(
    visits: dict[str, Visit],
) -> None:
    """Not even GitHub's API, which Material asks for repo_url's stars."""
    repo_url = load_config(str(REPO / "mkdocs.yml")).repo_url
    for html, visit in visits.items():
        assert visit.requests, f"{html}: no request recorded"
        elsewhere = [
            url
            for url in visit.requests
            if urlsplit(url).hostname != "127.0.0.1"
            and not url.startswith("data:")
        ]
        assert not elsewhere, html
        links = visit.facts["source_links"]
        assert links, f"{html}: no link to the repository"
        assert set(links) == {repo_url}, html


def assert_no_violation(results: dict[str, AxeResults]) -> None:
    """axe-core reported no violation on any page."""
    reports = [
        f"{html}: {result.generate_report()}"
        for html, result in results.items()
        if result.violations_count
    ]
    assert not reports, "\n".join(reports)


def test_axe_finds_no_violation_on_any_page(visits: dict[str, Visit]) -> None:
    assert_no_violation({html: v.axe for html, v in visits.items()})


def test_dark_palette_keeps_axe_colour_rules_on_any_page(
    visits: dict[str, Visit],
) -> None:
    assert_no_violation({html: v.dark_axe for html, v in visits.items()})


def test_note_and_todo_admonitions_have_their_own_colours_and_icons(
    visits: dict[str, Visit],
) -> None:
    styles = {}
    for kind in ("note", "todo"):
        shown_on = [v.facts[kind] for v in visits.values() if v.facts[kind]]
        assert shown_on, f"no page shows a {kind}"
        styles[kind] = shown_on[0]
    note, todo = styles["note"], styles["todo"]
    assert note["icon"].startswith('url("data:image/svg+xml'), note
    assert todo["icon"].startswith('url("data:image/svg+xml'), todo
    for style in note:
        assert note[style] != todo[style], style


def test_search_finds_render_as_string_and_leads_to_its_page(
    reader: BrowserContext,
) -> None:
    page = reader.new_page()
    page.goto("./")
    query = page.locator("input.md-search__input")
    query.fill("render_as_string")
    query.press("End")  # Material searches on keyup: once, for all of it
    found = page.locator("mark", has_text="render_as_string")
    result = page.locator("a.md-search-result__link", has=found).first
    href = result.get_attribute("href")
    result.click()
    page.wait_for_url(href)
    expect(page.locator("article")).to_contain_text("render_as_string")
    page.close()

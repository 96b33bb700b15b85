"""The built site in a real browser: Debian's chromium, driven by Playwright.

One browser (pytest-playwright's `browser`) and one server (the harness's
`site_url`) for the session. Every HTML page of the site is opened once, all
pages at the same time, and each request a page makes is recorded.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.base import AXE_SCRIPT, AxeResults
from mkdocs.config import load_config
from playwright.sync_api import Browser, BrowserContext, Page, expect

from harness import CHROMIUM, CHROMIUM_ARGS, REPO, Site, fences, shown

# Any URL but the local server's: aborted, so that no request leaves.
ELSEWHERE = re.compile(r"^(?!http://127\.0\.0\.1[:/])")
AXE_RUN = "options => { window.axeResults = axe.run(options); }"
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
# Click each copy button, as a reader does, and read the clipboard back.
COPY_EVERY_BLOCK = """async () => {
    const copied = [];
    for (const button of document.querySelectorAll("[data-md-type=copy]")) {
        button.click();
        copied.push(await navigator.clipboard.readText());
    }
    return copied;
}"""
ADMONITION_STYLE = """admonition => {
    const title = admonition.querySelector(".admonition-title");
    const icon = getComputedStyle(title, "::before");
    return {
        border: getComputedStyle(admonition).borderLeftColor,
        title: getComputedStyle(title).backgroundColor,
        icon: icon.maskImage,
        icon_colour: icon.backgroundColor,
    };
}"""


@dataclass
class Visit:
    page: Page
    requests: list[str]


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
    context.add_init_script(AXE_SCRIPT)
    yield context
    context.close()


@pytest.fixture(scope="module")
def visits(reader: BrowserContext, site: Site) -> dict[str, Visit]:
    """Every HTML page of the site, loaded until the network is idle."""
    visits = {}
    for html in site.html_pages():
        visit = visits[html] = Visit(reader.new_page(), [])
        visit.page.on("request", lambda r, v=visit: v.requests.append(r.url))
        visit.page.goto(
            f"./{html.removesuffix('index.html')}", wait_until="commit"
        )
    for visit in visits.values():
        visit.page.wait_for_load_state("networkidle")
    return visits


def test_copy_buttons_copy_exactly_the_tested_sources(
    visits: dict[str, Visit], site: Site
) -> None:
    for html, visit in visits.items():
        page = site.page_of(html)
        expected = (
            [shown(source) for _, source in fences(page)] if page else []
        )
        visit.page.bring_to_front()
        assert visit.page.evaluate(COPY_EVERY_BLOCK) == expected, html


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
        for link in visit.page.locator("a.md-source").all():
            expect(link).to_have_attribute("href", repo_url)


def assert_axe_passes(visits: dict[str, Visit], rules: list[str]) -> None:
    """axe-core, run in every page at once, reports no violation."""
    options = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = rules
    for visit in visits.values():
        visit.page.evaluate(AXE_RUN, options)
    reports = []
    for html, visit in visits.items():
        results = AxeResults(visit.page.evaluate("window.axeResults"))
        if results.violations_count:
            reports.append(f"{html}: {results.generate_report()}")
    assert not reports, "\n".join(reports)


def test_axe_finds_no_violation_on_any_page(visits: dict[str, Visit]) -> None:
    assert_axe_passes(visits, rules=[])


def choose_palette(visits: dict[str, Visit], scheme: str) -> None:
    """Choose a palette with the header's toggle, in every page."""
    for visit in visits.values():
        option = visit.page.locator(f"input[data-md-color-scheme={scheme}]")
        option.evaluate("radio => radio.click()")
        expect(visit.page.locator("body")).to_have_attribute(
            "data-md-color-scheme", scheme
        )


def test_dark_palette_keeps_axe_colour_rules_on_any_page(
    visits: dict[str, Visit],
) -> None:
    choose_palette(visits, "slate")
    try:
        assert_axe_passes(visits, COLOUR_RULES)
    finally:
        choose_palette(visits, "default")


def test_note_and_todo_admonitions_have_their_own_colours_and_icons(
    visits: dict[str, Visit],
) -> None:
    styles = {}
    for kind in ("note", "todo"):
        admonitions = (
            visit.page.locator(f".admonition.{kind}")
            for visit in visits.values()
        )
        first = next(a.first for a in admonitions if a.count())
        styles[kind] = first.evaluate(ADMONITION_STYLE)
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

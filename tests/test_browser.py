"""The built site in a real browser: Debian's chromium, driven by Playwright.

One browser and one server (the harness's `site_url`) for the session. Every
HTML page of the site is opened once, in one of two tabs, as a new visitor:
all that the tests check of a page is read during that one visit, then the
tests assert on it. `pytest tests/test_browser.py --page recipes/batch-mode`
visits that page alone (and leaves out the tests marked `every_page`).

What each visit checks, and where:

- on every page: each copy button copies exactly the tested source; no
  request goes to a host but 127.0.0.1, and the header links to the
  repository; the first Note and the first Todo it shows look different;
- on every page, in both palettes: axe-core finds no violation in what is
  the page's own, everything but the parts that every page of its template
  shares (the header, the navigation that lists every page, the footer's
  meta line): every rule in the light palette, the colour rules
  (`color-contrast`, `link-in-text-block`) in the dark one;
- on the first page of each template (`main.html`, `404.html`, or a page's
  `template:`): the same axe runs on the whole page, shared parts included;
- on every page: the search index is not requested (it waits for search to
  open);
- once: search requests the index when it opens, finds `render_as_string`
  and leads to its page.

A code token (a `<span>` of a code block, with a class and no element inside)
that has the same class, text style, kind of text and backgrounds as one
already checked on the same page, and that nothing positioned lies over, is
not checked again: axe gives it the same result. A block's `code` element
with no attribute and nothing but such tokens in it is left out of axe's
context (its tokens to check put back): no rule of axe applies to it. So
every element is checked once; `test_checks_find_what_is_wrong_where_they_look`
proves, on a copy of the site with defects put in, that a contrast violation
in an article (in either palette, in prose or in a repeated code token) and
an external image still fail, and that axe checks nothing in a code element
it leaves out.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.base import AXE_SCRIPT, AxeResults
from mkdocs.config import load_config
from playwright.sync_api import Browser, BrowserContext, Page, expect

from harness import REPO, Site, fences, serve, shown, site_path

# Any URL but the local server's: aborted, so that no request leaves.
ELSEWHERE = re.compile(r"^(?!http://127\.0\.0\.1[:/])")
# Each page starts as a first visit: no palette chosen, nothing cached.
NEW_VISITOR = "localStorage.clear(); sessionStorage.clear();"
AXE_OPTIONS = {"resultTypes": ["violations"]}
# The rules a palette can change.
DARK_AXE_OPTIONS = {
    **AXE_OPTIONS,
    "runOnly": ["color-contrast", "link-in-text-block"],
}
# What every page of a template shares, checked on its first page only.
SHARED = ".md-header, .md-sidebar--primary, .md-footer-meta"
# A code token: an element with one attribute (a span's class) and none inside.
IS_TOKEN = "el => !el.children.length && el.attributes.length === 1"
# A block's code element with no attribute and nothing in it but tokens and
# white space.
TOKENS_ONLY = (
    """code => !code.attributes.length
    && [...code.children].every(el => el.tagName === "SPAN" && ("""
    + IS_TOKEN
    + """)(el))
    && [...code.childNodes].every(
        n => n.nodeType !== Node.TEXT_NODE || !n.textContent.trim()
    )"""
)
# axe on the page, less the code tokens that repeat one already checked
# (see the module's docstring) and, unless `whole`, the shared parts. What
# could lie over a token: what is positioned in the content, and the
# theme's fixed and sticky parts. A code element of TOKENS_ONLY is left
# out, and its tokens to check put back: axe tests every node against every
# entry of the context, so a short context is cheaper than one that lists
# each repeated token.
AXE_RUN = (
    """({options, whole, shared}) => {
    const positioned = [
        ...document.querySelectorAll(".md-content *"),
        ...document.querySelectorAll(".md-header, .md-sidebar, .md-dialog"),
    ].filter(
        el => getComputedStyle(el).position !== "static"
            && !el.querySelector("code") && !el.closest("code")
    ).map(el => el.getBoundingClientRect());
    const backgrounds = new Map();
    const behind = el => {
        if (!el) return "";
        if (!backgrounds.has(el)) {
            const s = getComputedStyle(el);
            backgrounds.set(el, [
                s.backgroundColor, s.backgroundImage, s.opacity,
                s.mixBlendMode, s.filter, behind(el.parentElement),
            ].join(" "));
        }
        return backgrounds.get(el);
    };
    const isToken = ("""
    + IS_TOKEN
    + """);
    const seen = new Set();
    const repeats = token => {
        const box = token.getBoundingClientRect();
        const pre = token.closest("pre").getBoundingClientRect();
        const inView = box.left >= pre.left && box.right <= pre.right
            && box.top >= pre.top && box.bottom <= pre.bottom;
        const under = positioned.some(p => box.left < p.right
            && p.left < box.right && box.top < p.bottom && p.top < box.bottom);
        if (!inView || under) return false;
        const s = getComputedStyle(token);
        const key = [
            token.className, s.color, s.fontSize, s.fontWeight, s.fontStyle,
            s.textShadow, s.webkitTextStroke, s.opacity,
            /[\\p{L}\\p{N}]/u.test(token.textContent), behind(token),
        ].join("|");
        const repeated = seen.has(key);
        seen.add(key);
        return repeated;
    };
    const include = [document];
    const exclude = whole ? [] : [...document.querySelectorAll(shared)];
    for (const code of document.querySelectorAll("pre code")) {
        const tokensOnly = ("""
    + TOKENS_ONLY
    + """)(code);
        if (tokensOnly) exclude.push(code);
        for (const token of code.querySelectorAll("span")) {
            if (!isToken(token)) continue;
            const repeated = repeats(token);
            if (tokensOnly && !repeated) include.push(token);
            if (!tokensOnly && repeated) exclude.push(token);
        }
    }
    return axe.run({include, exclude}, options);
}"""
)
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
SEARCH_INDEX = "/search/search_index.json"
# Choose a palette with the header's toggle; the scheme the body then has.
CHOOSE_PALETTE = """scheme => {
    document.querySelector(`input[data-md-color-scheme=${scheme}]`).click();
    return document.body.getAttribute("data-md-color-scheme");
}"""
# A visit's checks in the page: its facts, axe in the light palette, the dark
# palette chosen with the header's toggle, axe in it. Each step is a task of
# its own, as a reader's clicks would be; and as an evaluation returns only
# once its microtasks are done (axe's run is nothing but microtasks), the
# evaluation that starts this returns at once.
CHECK_PAGE = (
    """async ({light, dark}) => {
    const step = f => new Promise(resolve => setTimeout(() => resolve(f())));
    const facts = await step("""
    + PAGE_FACTS
    + """);
    const lightAxe = await step(() => ("""
    + AXE_RUN
    + """)(light));
    const scheme = await step(() => ("""
    + CHOOSE_PALETTE
    + """)("slate"));
    const darkAxe = await step(() => ("""
    + AXE_RUN
    + """)(dark));
    return {facts, lightAxe, scheme, darkAxe};
}"""
)


@dataclass
class Visit:
    """What one page did and showed in the browser."""

    whole: bool  # checked in full, as the first page of its template
    requests: list[str]
    facts: dict[str, Any]
    axe: AxeResults
    dark_axe: AxeResults
    copied: list[str]


@contextmanager
def new_reader(browser: Browser, url: str) -> Iterator[BrowserContext]:
    """A browser context on a local site, allowed to use the clipboard."""
    context = browser.new_context(
        base_url=url, permissions=["clipboard-read", "clipboard-write"]
    )
    context.route(ELSEWHERE, lambda route: route.abort())
    yield context
    context.close()


@pytest.fixture(scope="module")
def reader(browser: Browser, site_url: str) -> Iterator[BrowserContext]:
    """A browser context on the site under test."""
    with new_reader(browser, site_url) as context:
        yield context


def visit(
    reader: BrowserContext, site: Site, pages: list[str]
) -> dict[str, Visit]:
    """Each of these HTML files of `site`, visited once, in one of two tabs.

    The tabs take the pages in turns: while one checks its page (the
    renderer of each tab keeps a core busy), the other clicks its copy
    buttons and loads its next page. Only one tab at a time uses the
    clipboard, which the whole browser shares. A page's requests are those
    its tab makes from its navigation to the next: through both axe runs
    (light, then dark palette) and the copy buttons. The first page of each
    template is checked whole.
    """
    tabs = [reader.new_page() for _ in range(2)]
    requests: dict[Page, list[str]] = {}
    for tab in tabs:
        tab.add_init_script(NEW_VISITOR)
        tab.add_init_script(AXE_SCRIPT)
        tab.on("request", lambda r, tab=tab: requests[tab].append(r.url))
    first: dict[str, str] = {}  # {template: the first page made with it}
    for html in pages:
        first.setdefault(site.template(html), html)
    in_full = set(first.values())  # the pages checked whole
    options = {"light": AXE_OPTIONS, "dark": DARK_AXE_OPTIONS}
    to_visit = iter(pages)
    checking: dict[Page, str] = {}  # {tab: the page its checks run on}
    visits = {}

    def load_and_check(tab: Page) -> None:
        html = next(to_visit, None)
        if html is None:
            return
        requests[tab] = []
        tab.goto(f"./{html.removesuffix('index.html')}")
        tab.evaluate(
            f"arg => {{ window.guideRun = ({CHECK_PAGE})(arg); }}",
            {k: axe_arg(o, html in in_full) for k, o in options.items()},
        )
        checking[tab] = html

    def copy_and_record(tab: Page) -> None:
        html = checking.pop(tab)
        found = tab.evaluate("window.guideRun")
        assert found["scheme"] == "slate", html
        # Last: the "Copied" dialog fades in, which axe would catch.
        tab.bring_to_front()  # the clipboard serves the focused tab
        visits[html] = Visit(
            html in in_full,
            requests[tab],
            found["facts"],
            AxeResults(found["lightAxe"]),
            AxeResults(found["darkAxe"]),
            tab.evaluate(COPY_EVERY_BLOCK),
        )

    for tab in tabs:
        load_and_check(tab)
    while checking:
        for tab in tabs:
            if tab in checking:
                copy_and_record(tab)
                load_and_check(tab)
    for tab in tabs:
        tab.close()
    return visits


def axe_arg(options: dict, whole: bool) -> dict:
    """AXE_RUN's argument: the whole page, or the page's own parts."""
    return {"options": options, "whole": whole, "shared": SHARED}


@pytest.fixture(scope="module")
def visits(
    reader: BrowserContext, site: Site, request: pytest.FixtureRequest
) -> dict[str, Visit]:
    """Every HTML page of the site, or those of `--page`, visited."""
    chosen = request.config.getoption("page")
    pages = [
        html
        for html in site.html_pages()
        if not chosen or site.page_of(html) in chosen
    ]
    assert pages, f"no page of the site is {chosen}"
    return visit(reader, site, pages)


def test_copy_buttons_copy_exactly_the_tested_sources(
    visits: dict[str, Visit], site: Site
) -> None:
    for html, page_visit in visits.items():
        page = site.page_of(html)
        expected = (
            [shown(source) for _, source in fences(page)] if page else []
        )
        assert page_visit.copied == expected, html


def requests_elsewhere(visits: dict[str, Visit]) -> list[str]:
    """Each page's requests to another host, and pages that made none."""
    return [
        f"{html}: {url or 'no request recorded'}"
        for html, page_visit in visits.items()
        for url in page_visit.requests or [""]
        if not url
        or (
            urlsplit(url).hostname != "127.0.0.1"
            and not url.startswith("data:")
        )
    ]


def test_no_page_requests_a_host_but_127_0_0_1(
    visits: dict[str, Visit],
) -> None:
    """Not even GitHub's API, which Material asks for repo_url's stars."""
    assert not requests_elsewhere(visits)
    repo_url = load_config(str(REPO / "mkdocs.yml")).repo_url
    for html, page_visit in visits.items():
        links = page_visit.facts["source_links"]
        assert links, f"{html}: no link to the repository"
        assert set(links) == {repo_url}, html


def violations(results: dict[str, AxeResults]) -> list[str]:
    """axe-core's report of each page with a violation."""
    return [
        f"{html}: {result.generate_report()}"
        for html, result in results.items()
        if result.violations_count
    ]


def test_axe_finds_no_violation_on_any_page(visits: dict[str, Visit]) -> None:
    reports = violations({html: v.axe for html, v in visits.items()})
    assert not reports, "\n".join(reports)


def test_dark_palette_keeps_axe_colour_rules_on_any_page(
    visits: dict[str, Visit],
) -> None:
    reports = violations({html: v.dark_axe for html, v in visits.items()})
    assert not reports, "\n".join(reports)


def test_the_first_page_of_each_template_is_checked_whole(
    visits: dict[str, Visit], site: Site
) -> None:
    whole = sorted(
        site.template(html) for html, v in visits.items() if v.whole
    )
    assert whole == sorted({site.template(html) for html in visits})


@pytest.mark.every_page
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


@pytest.mark.every_page
def test_no_page_requests_the_search_index_before_search_opens(
    visits: dict[str, Visit],
) -> None:
    """overrides/main.html holds it until the reader opens search."""
    for html, page_visit in visits.items():
        assert not [
            url for url in page_visit.requests if SEARCH_INDEX in url
        ], html


def test_search_finds_render_as_string_and_leads_to_its_page(
    reader: BrowserContext,
) -> None:
    page = reader.new_page()
    index_requests = []
    page.on(
        "request",
        lambda r: SEARCH_INDEX in r.url and index_requests.append(r.url),
    )
    page.goto("./")
    page.wait_for_load_state()
    assert not index_requests
    query = page.locator("input.md-search__input")
    query.fill("render_as_string")
    query.press("End")  # Material searches on keyup: once, for all of it
    found = page.locator("mark", has_text="render_as_string")
    result = page.locator("a.md-search-result__link", has=found).first
    href = result.get_attribute("href")
    result.click()
    page.wait_for_url(href)
    expect(page.locator("article")).to_contain_text("render_as_string")
    assert len(index_requests) == 2  # once opened, then on the found page
    page.close()


# Put into the article of a page that is not its template's first: prose
# that fails contrast in one palette each, a dark palette in which one kind
# of code token (Pygments' `n`, names, on every page with code) fails, and an
# image from another host.
DEFECTS = """
<p id="light-defect" style="color: #c8c8c8">Faint on white.</p>
<p id="dark-defect" style="color: #3a3a3a">Faint on slate.</p>
<style>[data-md-color-scheme=slate] .highlight .n { color: #30343f }</style>
<img src="https://example.org/pixel.png" alt="A pixel">
"""


# Every code element that AXE_RUN leaves out, without its tokens: each node
# that any rule of axe checked in it, in the light palette.
CODE_ALONE = (
    """async () => {
    const codes = [...document.querySelectorAll("pre code")].filter("""
    + TOKENS_ONLY
    + """);
    const found = await axe.run(
        {include: codes, exclude: codes.flatMap(code => [...code.children])},
    );
    return {
        codes: codes.length,
        checked: [...found.passes, ...found.violations, ...found.incomplete]
            .flatMap(rule => rule.nodes.map(n => `${rule.id}: ${n.target}`)),
    };
}"""
)


def test_checks_find_what_is_wrong_where_they_look(
    browser: Browser, site: Site, tmp_path: Path
) -> None:
    """The per-page checks, on a copy of the site with DEFECTS put in; and
    no rule of axe applies to a code element that AXE_RUN leaves out."""
    shutil.copytree(site.root, tmp_path, dirs_exist_ok=True)
    copy = Site(tmp_path)
    template_first, defective = (
        "basics/alembic-init/index.html",
        "recipes/batch-mode/index.html",
    )
    assert copy.template(template_first) == copy.template(defective)
    html = tmp_path / defective
    html.write_text(
        html.read_text().replace("</article>", DEFECTS + "</article>", 1)
    )
    with (
        serve(tmp_path, site_path()) as served,
        new_reader(browser, served) as reader,
    ):
        visits = visit(reader, copy, [template_first, defective])
        tab = reader.new_page()
        tab.add_init_script(AXE_SCRIPT)
        tab.goto(f"./{defective.removesuffix('index.html')}")
        left_out = tab.evaluate(CODE_ALONE)
    assert left_out["codes"] > 1
    assert left_out["checked"] == []
    assert not visits[defective].whole
    light = visits[defective].axe.response["violations"]
    dark = visits[defective].dark_axe.response["violations"]
    assert targets(light, "color-contrast") == ["#light-defect"]
    dark_targets = targets(dark, "color-contrast")
    assert "#dark-defect" in dark_targets
    assert any(re.search(r"code > \.n\b", t) for t in dark_targets)
    assert requests_elsewhere(visits) == [
        f"{defective}: https://example.org/pixel.png"
    ]


def targets(found: list[dict], rule: str) -> list[str]:
    """The CSS selectors of the elements that violate an axe rule."""
    return [
        " ".join(node["target"])
        for violation in found
        if violation["id"] == rule
        for node in violation["nodes"]
    ]

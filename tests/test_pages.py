"""Every code block on every page is a tested source.

A page's fences are either includes of snippet files, which the recipe tests
run, or inline python, which runs here. The built page must show exactly that
text, so what a reader copies is what ran.

Which tests run a snippet is recorded as they run: a test takes a snippet
with the harness (`read_snippet`, `Project.add_env`, `add_app`, `edit_ini`,
`run`), and the last test of the session checks that every snippet a page
shows was taken by some test. Reading a snippet to compare it with the page,
as this module does with `shown`, does not count.
"""

import pathlib
import re

import pytest
from pytest_examples import CodeExample, EvalExample, find_examples
from ruff.__main__ import find_ruff_bin

from harness import (
    DOCS,
    PAGES,
    REPO,
    Site,
    exercised_by,
    fences,
    includes,
    quoted,
    run_checked,
    shown,
)


@pytest.mark.parametrize("doc", PAGES)
def test_page_shows_exactly_its_sources(doc: str, site: Site) -> None:
    expected = [shown(source) for _, source in fences(doc)]
    assert [code for _, code in site.code_blocks(doc)] == expected


@pytest.mark.parametrize("doc", PAGES)
def test_inline_fences_are_python(doc: str) -> None:
    """Shell commands and config files are snippet files that tests run."""
    untested = [
        f"{doc}.md: ```{language} {source.splitlines()[0]!r}"
        for language, source in fences(doc)
        if includes(source) is None and language != "python"
    ]
    assert not untested, "inline fences no test runs"


INLINE_EXAMPLES = [
    example
    for example in find_examples(DOCS)
    if includes(example.source.strip("\n")) is None
]
RUN_INLINE = {(ex.path, ex.source.rstrip("\n")) for ex in INLINE_EXAMPLES}


class PageExample(EvalExample):
    """pytest-examples' runner without its plugin (pyproject.toml's addopts):
    it never rewrites a page."""

    @property
    def update_examples(self) -> bool:
        return False


@pytest.fixture
def eval_example(
    tmp_path: pathlib.Path, request: pytest.FixtureRequest
) -> PageExample:
    return PageExample(tmp_path=tmp_path, pytest_request=request)


@pytest.mark.parametrize("example", INLINE_EXAMPLES, ids=str)
def test_inline_example_runs(
    example: CodeExample, eval_example: EvalExample
) -> None:
    """Lint and format it with ruff, then run it, with the page's line numbers."""
    eval_example.config.line_length = 79
    eval_example.lint_ruff(example)
    formatted = run_checked(
        [find_ruff_bin(), "format", "--config", REPO / "pyproject.toml", "-"],
        input=example.source,
    ).stdout
    assert formatted == example.source, "ruff format would change this example"
    source = "\n" * example.start_line + example.source
    exec(compile(source, str(example.path), "exec"), {})  # noqa: S102


def runs(page: str, language: str, source: str) -> bool:
    """Whether a test runs this fence: an include, or an inline example."""
    return includes(source) is not None or (
        language == "python" and (DOCS / f"{page}.md", source) in RUN_INLINE
    )


def test_every_code_block_on_the_site_has_a_tested_source(site: Site) -> None:
    """Every <pre> of every HTML file is, in order, a fence a test runs."""
    untested = []
    for html in site.html_pages():
        page = site.page_of(html)
        sources = [
            shown(source)
            for language, source in (fences(page) if page else [])
            if runs(page, language, source)
        ]
        for block in site.blocks(html):
            if sources and block == sources[0]:
                sources.pop(0)
            else:
                first_line = block.partition("\n")[0]
                untested.append(f"{html}: {first_line!r}")
    assert not untested, "code blocks with no tested source"


@pytest.mark.last
@pytest.mark.usefixtures("every_test_done")
def test_every_snippet_a_page_shows_is_exercised_by_a_test() -> None:
    """A test took it with the harness during this session."""
    unexercised = [
        f"docs/{page}.md: {ref}"
        for page in PAGES
        for _, source in fences(page)
        for ref in includes(source) or []
        if not exercised_by(ref)
    ]
    assert not unexercised, "snippets that no test ran"


# An inline code span that quotes an error or an output: an exception as
# Python prints it, a log line, alembic's failure, a driver's wrapped error,
# a message that reads as a sentence, SQLite's own lower-case messages, or
# one of autogenerate's differences.
QUOTE = re.compile(
    r"^(?:[\w.]+(?:Error|Exception|Warning)(?::\s|$)"
    r"|(?:INFO|WARNI|WARNING|ERROR|FAILED)\b"
    r"|\([\w.]+\) "
    r"|[A-Z][\w']* [a-z]"
    r"|(?:table|near|no such) |duplicate column name:"
    r"|\('\w+', )"
)


def quotes(site: Site, page: str) -> list[str]:
    """The errors and outputs a page quotes: inline code spans of its text,
    and the code blocks that show an output snippet."""
    article = site.soup(page).select_one("article")
    spans = [
        code.get_text()
        for code in article.find_all("code")
        if not code.find_parent("pre") and QUOTE.match(code.get_text())
    ]
    outputs = [
        shown(source)
        for _, source in fences(page)
        if any("/output/" in ref for ref in includes(source) or [])
    ]
    return spans + outputs


@pytest.mark.last
@pytest.mark.usefixtures("every_test_done")
def test_every_output_a_page_quotes_was_captured_by_a_test(site: Site) -> None:
    """Each quote is in a text a test captured (harness.outputs), `...`
    standing for any text."""
    uncaptured = [
        f"docs/{page}.md: {quote!r}"
        for page in PAGES
        for quote in quotes(site, page)
        if not quoted(quote)
    ]
    assert not uncaptured, "\n".join(["no test captured:", *uncaptured])


@pytest.mark.parametrize("doc", PAGES)
def test_todo_items_are_tasks_ticked_only_with_a_link(
    doc: str, site: Site
) -> None:
    """A Todo lists task items; a ticked one links to the page that answers it."""
    for todo in site.soup(doc).select("div.admonition.todo"):
        items = todo.select("li")
        assert items, f"{doc}: a Todo without items"
        for item in items:
            assert "task-list-item" in item["class"], item.get_text()
            ticked = item.find("input").has_attr("checked")
            assert ticked == bool(item.find("a")), item.get_text()


def test_todo_admonitions_have_their_own_icon_and_colour(site: Site) -> None:
    """Material has no `todo` type: the extra stylesheet gives it one."""
    css = (site.root / "stylesheets" / "extra.css").read_text()
    for rule in ("border-color", "background-color", "mask-image"):
        assert re.search(rf"\.todo[^{{]*\{{[^}}]*{rule}:", css), rule
    assert "--md-admonition-icon--todo: url(" in css

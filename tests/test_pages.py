"""Every code block on every page is a tested source.

A page's fences are either includes of snippet files, which the recipe tests
run, or inline python, which runs here. The built page must show exactly that
text, so what a reader copies is what ran.
"""

import re
import subprocess
import textwrap

import pytest
from pytest_examples import CodeExample, EvalExample, find_examples
from ruff.__main__ import find_ruff_bin

from harness import DOCS, PAGES, REPO, Site, read_snippet

FENCE = re.compile(
    r"^( *)```(\w*)[^\n]*\n(.*?)^\1```$", re.MULTILINE | re.DOTALL
)
INCLUDE = re.compile(r'^--8<-- "([^"]+)"$')


def fences(page: str) -> list[tuple[str, str]]:
    """(language, source) of each fence of docs/<page>.md, in order."""
    markdown = (DOCS / f"{page}.md").read_text()
    return [
        (language, textwrap.dedent(body).rstrip("\n"))
        for _, language, body in FENCE.findall(markdown)
    ]


def includes(source: str) -> list[str] | None:
    """The snippet references of an include fence; None for inline code."""
    matches = [INCLUDE.match(line) for line in source.splitlines()]
    return [m[1] for m in matches] if all(matches) else None


def shown(source: str) -> str:
    """The text a fence shows: its included snippets, or itself.

    A code block shows no trailing blank lines, even where a section ends
    with one.
    """
    refs = includes(source)
    text = source if refs is None else "\n".join(map(read_snippet, refs))
    return text.rstrip("\n")


@pytest.mark.parametrize("page", PAGES)
def test_page_shows_exactly_its_sources(page: str, site: Site) -> None:
    expected = [shown(source) for _, source in fences(page)]
    assert [code for _, code in site.code_blocks(page)] == expected


@pytest.mark.parametrize("page", PAGES)
def test_inline_fences_are_python(page: str) -> None:
    """Shell commands and config files are snippet files that tests run."""
    untested = [
        f"{page}.md: ```{language} {source.splitlines()[0]!r}"
        for language, source in fences(page)
        if includes(source) is None and language != "python"
    ]
    assert not untested, "inline fences no test runs"


INLINE_EXAMPLES = [
    example
    for example in find_examples(DOCS)
    if includes(example.source.strip("\n")) is None
]


@pytest.mark.parametrize("example", INLINE_EXAMPLES, ids=str)
def test_inline_example_runs(
    example: CodeExample, eval_example: EvalExample
) -> None:
    """Lint and format it with ruff, then run it, with the page's line numbers."""
    eval_example.config.line_length = 79
    eval_example.lint_ruff(example)
    formatted = subprocess.run(
        [find_ruff_bin(), "format", "--config", REPO / "pyproject.toml", "-"],
        input=example.source,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert formatted == example.source, "ruff format would change this example"
    source = "\n" * example.start_line + example.source
    exec(compile(source, str(example.path), "exec"), {})  # noqa: S102


@pytest.mark.parametrize("page", PAGES)
def test_todo_items_are_tasks_ticked_only_with_a_link(
    page: str, site: Site
) -> None:
    """A Todo lists task items; a ticked one links to the page that answers it."""
    for todo in site.soup(page).select("div.admonition.todo"):
        items = todo.select("li")
        assert items, f"{page}: a Todo without items"
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

"""Snippet files, and the pages that include them.

`read_snippet` is how a test takes a snippet to run it: each take is recorded
in `EXERCISED`. `snippet_text` reads one without recording, to compare it
with a page.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .ordering import MERGERS, merged, record
from .programs import run_checked

REPO = Path(__file__).resolve().parents[2]
SNIPPETS = REPO / "snippets"
DOCS = REPO / "docs"
PAGES = sorted(
    str(p.relative_to(DOCS).with_suffix("")) for p in DOCS.rglob("*.md")
)
MARKER = re.compile(r"^\s*# --8<-- \[(start|end):(\w+)\]\s*$")
FENCE = re.compile(
    r"^( *)```(\w*)[^\n]*\n(.*?)^\1```$", re.MULTILINE | re.DOTALL
)
INCLUDE = re.compile(r'^--8<-- "([^"]+)"$')


# {snippet ref: node ids of the tests that took it with the harness}
EXERCISED: dict[str, set[str]] = {}
# The lists that `takes` is filling.
_TAKES: list[list[str]] = []


def read_snippet(ref: str) -> str:
    """The text of `path` or `path:section`, taken by a test to run it.

    The test is recorded as one that exercises the snippet (see `EXERCISED`).
    """
    _exercise(ref)
    return snippet_text(ref)


def snippet_text(ref: str) -> str:
    """The text a page shows for an include of `path` or `path:section`.

    Marker lines are dropped, as pymdownx.snippets drops them; a missing file
    or section is an error that names it.
    """
    path, _, section = ref.partition(":")
    lines = (SNIPPETS / path).read_text().splitlines()
    text = "\n".join(lines[i] for i in shown_lines(ref))
    # A section indented in its file is shown dedented (dedent_subsections).
    return textwrap.dedent(text) if section else text


def shown_lines(ref: str) -> list[int]:
    """The indexes of the lines of its file that an include of `path` or
    `path:section` shows: the section's, or the file's, markers left out."""
    path, _, section = ref.partition(":")
    lines = (SNIPPETS / path).read_text().splitlines()
    shown = range(len(lines))
    if section:
        marks = {(m[1], m[2]): i for i, m in _markers(lines)}
        if ("start", section) not in marks or ("end", section) not in marks:
            raise LookupError(f"{path} has no section {section!r}")
        shown = range(marks["start", section] + 1, marks["end", section])
    return [i for i in shown if not MARKER.match(lines[i])]


def without_section(ref: str) -> str:
    """The text of a snippet file without one of its sections, markers kept."""
    path, _, section = ref.partition(":")
    _exercise(path)
    lines = (SNIPPETS / path).read_text().splitlines(keepends=True)
    marks = {(m[1], m[2]): i for i, m in _markers(lines)}
    start, end = marks["start", section], marks["end", section]
    return "".join(lines[: start + 1] + lines[end:])


def _exercise(ref: str) -> None:
    test = os.environ.get("PYTEST_CURRENT_TEST", "").rpartition(" ")[0]
    _took(ref, test)
    record("exercised", [ref, test])
    for taken in _TAKES:
        taken.append(ref)


@contextmanager
def takes() -> Iterator[list[str]]:
    """The snippets taken inside the block, in order: a set-up made once
    (harness.project's `made_once`) takes them again for each later test."""
    taken: list[str] = []
    _TAKES.append(taken)
    try:
        yield taken
    finally:
        _TAKES.remove(taken)


def _took(ref: str, test: str) -> None:
    EXERCISED.setdefault(ref, set()).add(test)


MERGERS["exercised"] = lambda taken: _took(*taken)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """With GUIDE_EXERCISED set to a path, write EXERCISED there as JSON
    (scripts/mutants.py reads it), from a process that holds every
    worker's records."""
    path = os.environ.get("GUIDE_EXERCISED")
    if path and merged(session.config):
        data = {ref: sorted(tests) for ref, tests in EXERCISED.items()}
        written = Path(f"{path}.{os.getpid()}")
        written.write_text(json.dumps(data, indent=1))
        written.replace(path)


def exercised_by(ref: str) -> set[str]:
    """The tests that took `ref`, or the whole file or folder it is part of."""
    path = ref.partition(":")[0]
    return {
        test
        for used, tests in EXERCISED.items()
        if used in (ref, path) or path.startswith(f"{used}/")
        for test in tests
    }


def copy_repository(into: Path) -> Path:
    """Copy the repository's files, those git does not ignore, into `into`."""
    listed = run_checked(
        [
            "git",
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ],
        REPO,
    ).stdout
    for name in listed.split("\0"):
        if name and (REPO / name).is_file():
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, into / name)
    return into


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
    text = source if refs is None else "\n".join(map(snippet_text, refs))
    return text.rstrip("\n")


def _markers(lines: list[str]) -> Iterator[tuple[int, re.Match[str]]]:
    for i, line in enumerate(lines):
        if m := MARKER.match(line):
            yield i, m

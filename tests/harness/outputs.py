"""What the tests saw: the errors and outputs that pages may quote.

`captured` records a text a test saw: an exception as Python prints its last
line (`ValueError: ...`, with that of its cause), or what a command printed.
`matches_output` compares a text a test produced with an output snippet
(`snippets/<area>/output/<file>`, which a page includes like code), byte for
byte, and records it. The last test of a run compares every quote of every
page with `CAPTURED` (tests/test_pages.py).

An output snippet changes only on request: with `REFRESH_OUTPUTS=1` in the
environment, `matches_output` writes the file instead of comparing it.
"""

from __future__ import annotations

import os
import re
import traceback

import pytest

from .snippets import SNIPPETS, _exercise

REFRESH = "REFRESH_OUTPUTS"

# Every text a test recorded with `captured`, in order.
CAPTURED: list[str] = []


def captured(seen: str | pytest.ExceptionInfo[BaseException]) -> str:
    """Record a text a test saw, or an exception with its causes; return it."""
    if isinstance(seen, pytest.ExceptionInfo):
        lines, error, seen_ids = [], seen.value, set()
        while error is not None and id(error) not in seen_ids:
            seen_ids.add(id(error))
            lines += traceback.format_exception_only(type(error), error)
            error = error.__cause__ or error.__context__
        seen = "".join(lines)
    CAPTURED.append(seen)
    return seen


def matches_output(ref: str, text: str) -> None:
    """Assert that a test produced exactly the output snippet `ref`."""
    _exercise(ref)
    captured(text)
    path = SNIPPETS / ref
    if os.environ.get(REFRESH) == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return
    stored = path.read_text() if path.exists() else None
    assert text == stored, (
        f"snippets/{ref} is not what the test produced: if the change is"
        f" right, rerun the test with {REFRESH}=1 and review `git diff`"
    )


def quoted(quote: str) -> bool:
    """Whether a capture holds the quote, where `...` or `…` stands for any
    text."""
    parts = re.split(r"\.\.\.|…", quote)
    pattern = re.compile(".*?".join(map(re.escape, parts)), re.DOTALL)
    return any(pattern.search(text) for text in CAPTURED)

"""`make mutants`: every line a page shows of a snippet matters to a test.

The suite runs once (but the browser tests), and the harness writes which
tests took which snippet (GUIDE_EXERCISED). Then each line a page shows,
blank lines and comments aside, is mutated: deleted (a Python statement
becomes `pass` where deleting it would break its block), each boolean
flipped, each number and string changed. A mutant is killed when one of
the tests that took its snippet fails (`pytest -x`, in a copy of the
repository of its own); it survives when they all pass. One whose tests
are still running after TIMEOUT is stopped and reported apart, as timed
out: killed if it hangs, but a loaded machine can be the cause, so each is
named for a rerun. Survivors that tests/mutants-equivalent.toml does not
accept, with a reason, fail the run.
Given snippet files or folders, it mutates their lines only.
"""

from __future__ import annotations

import ast
import io
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tokenize
import tomllib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from harness import (
    PAGES,
    SNIPPETS,
    copy_repository,
    exercised_by,
    fences,
    includes,
    shown_lines,
)
from harness.snippets import EXERCISED

PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
# The suite but the browser tests, as `make test` runs it, with each
# test's duration.
SUITE = ["--numprocesses", "2", "--ignore=tests/test_browser.py"]
SUITE += ["--durations=0", "--durations-min=0"]
# `scripts/mutants.py basics/commands.sh dynaconf/`: those files' lines only.
PICKED = tuple(sys.argv[1:]) or ("",)
EQUIVALENTS = REPO / "tests" / "mutants-equivalent.toml"
WORKERS = 2
# A mutant whose tests run longer than this is stopped, and reported as
# timed out.
TIMEOUT = 300
KILLED, SURVIVED, TIMED_OUT = "killed", "survived", "timed out"
# A string or a number outside Python, where tokenize does not apply.
LITERAL = re.compile(
    r""""(?:[^"\\]|\\.)*"|'[^']*'|(?<![\w.%-])\d+(?:\.\d+)?(?![\w.])"""
)
BOOLEAN = re.compile(r"\b(True|False|true|false)\b")
# A line of pytest's --durations report.
DURATION = re.compile(
    r"^([\d.]+)s (?:setup|call|teardown) +(.+)$", re.MULTILINE
)


@dataclass
class Line:
    """A line of a snippet file that pages show, and who shows and runs it."""

    file: str
    index: int
    pages: set[str] = field(default_factory=set)
    refs: set[str] = field(default_factory=set)

    def tests(self) -> set[str]:
        """The tests that took a snippet that shows this line."""
        return {test for ref in self.refs for test in exercised_by(ref)}


@dataclass(frozen=True)
class Mutant:
    """A snippet file with one line changed."""

    line: Line
    mutation: str
    text: str

    def key(self) -> tuple[str, str, str, str]:
        """What the accepted-equivalents file names: file, scope (the
        Python function or class the line is in), line, mutation."""
        text = (SNIPPETS / self.line.file).read_text()
        line = text.splitlines()[self.line.index].strip()
        return self.line.file, scope(self.line), line, self.mutation

    def describe(self) -> str:
        """Its page, snippet, file and line number, and the mutation."""
        page = ", ".join(f"docs/{p}.md" for p in sorted(self.line.pages))
        refs = ", ".join(sorted(self.line.refs))
        file, where, line, mutation = self.key()
        where = f" (in {where})" if where else ""
        return (
            f"{page} ({refs}): snippets/{file}:{self.line.index + 1}{where}"
            f" {line!r}: {mutation}"
        )


def scope(line: Line) -> str:
    """The innermost Python function or class a line is in, or ""."""
    if not is_python(line.file):
        return ""
    tree = ast.parse((SNIPPETS / line.file).read_text())
    scopes = [
        node
        for node in ast.walk(tree)
        if isinstance(
            node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
        )
        and node.lineno <= line.index + 1 <= node.end_lineno
    ]
    return max(scopes, key=lambda node: node.lineno).name if scopes else ""


def shown() -> list[Line]:
    """Every line some page shows, but blank lines, comments and output
    snippets (a reader copies code; a test compares outputs whole)."""
    lines: dict[tuple[str, int], Line] = {}
    for page in PAGES:
        for _, source in fences(page):
            for ref in includes(source) or []:
                file = ref.partition(":")[0]
                if "/output/" in file:
                    continue
                text = (SNIPPETS / file).read_text().splitlines()
                for i in shown_lines(ref):
                    if text[i].strip() and not text[i].lstrip().startswith(
                        "#"
                    ):
                        line = lines.setdefault((file, i), Line(file, i))
                        line.pages.add(page)
                        line.refs.add(ref)
    return sorted(lines.values(), key=lambda line: (line.file, line.index))


def is_python(file: str) -> bool:
    """Whether a snippet file is Python."""
    return file.endswith(".py")


def valid(file: str, text: str) -> bool:
    """Whether a mutated file still parses, as Python or TOML."""
    try:
        if is_python(file):
            ast.parse(text)
        elif file.endswith(".toml"):
            tomllib.loads(text)
    except (SyntaxError, tomllib.TOMLDecodeError):
        return False
    return True


def docstring_lines(text: str) -> set[int]:
    """The indexes of lines that are part of a docstring (or any string
    statement): no mutant of them changes what runs."""
    return {
        i
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        for i in range(node.lineno - 1, node.end_lineno)
    }


def deletions(
    file: str, lines: list[str], i: int
) -> Iterator[tuple[str, list[str]]]:
    """The line deleted; in Python, else `pass` in its place, else the
    whole statement it starts (decorators too) replaced by `pass`."""
    yield "delete the line", lines[:i] + lines[i + 1 :]
    if not is_python(file):
        return
    indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
    yield "the line -> pass", [*lines[:i], f"{indent}pass", *lines[i + 1 :]]
    for node in ast.walk(ast.parse("\n".join(lines))):
        if isinstance(node, ast.stmt) and node.lineno - 1 == i:
            decorators = getattr(node, "decorator_list", [])
            start = min([i, *(d.lineno - 1 for d in decorators)])
            statement = [*lines[:start], f"{indent}pass"]
            yield "its statement -> pass", statement + lines[node.end_lineno :]


def literals(file: str, text: str, i: int) -> Iterator[tuple[int, int, str]]:
    """(start, end, replacement) of each boolean, number and string of the
    line at index `i`."""
    line = text.splitlines()[i]
    if is_python(file):
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.start[0] != i + 1 or token.end[0] != i + 1:
                continue
            start, end, string = token.start[1], token.end[1], token.string
            if token.type == tokenize.NAME and string in ("True", "False"):
                yield start, end, str(string == "False")
            elif token.type == tokenize.NUMBER and string.isdigit():
                yield start, end, str(int(string) + 1)
            elif token.type == tokenize.STRING:
                yield start, end, changed_string(string)
        return
    for m in BOOLEAN.finditer(line):
        flipped = {"True": "False", "False": "True", "true": "false"}
        yield m.start(), m.end(), flipped.get(m[1], "true")
    for m in LITERAL.finditer(line):
        if m[0][0] in "\"'":
            yield m.start(), m.end(), changed_string(m[0])
        else:
            number = float(m[0]) + 1 if "." in m[0] else int(m[0]) + 1
            yield m.start(), m.end(), str(number)


def changed_string(literal: str) -> str:
    """A string literal with "XX" added at both ends of its text."""
    m = re.match(r"""([A-Za-z]*)('''|\"\"\"|'|")""", literal)
    opening = m.end()
    quote = m[2]
    return f"{literal[:opening]}XX{literal[opening : -len(quote)]}XX{quote}"


def mutants(line: Line) -> Iterator[Mutant]:
    """The mutants of a line: its deletion, then its literals changed."""
    text = (SNIPPETS / line.file).read_text()
    lines, i = text.splitlines(), line.index
    if is_python(line.file) and i in docstring_lines(text):
        return
    for mutation, deleted in deletions(line.file, lines, i):
        mutated = "\n".join(deleted) + "\n"
        if mutated.strip() != text.strip() and valid(line.file, mutated):
            yield Mutant(line, mutation, mutated)
            break
    for start, end, new in literals(line.file, text, i):
        changed = lines[i][:start] + new + lines[i][end:]
        mutated = "\n".join([*lines[:i], changed, *lines[i + 1 :]]) + "\n"
        if valid(line.file, mutated):
            old = lines[i][start:end]
            yield Mutant(line, f"{old} -> {new}", mutated)


def learn_exercised(copy: Path) -> dict[str, float]:
    """Run the suite but the browser tests, fill harness's EXERCISED, and
    return how long each test took."""
    record = copy / "exercised.json"
    run = subprocess.run(
        [*PYTEST, *SUITE],
        cwd=copy,
        env={**os.environ, "GUIDE_EXERCISED": str(record)},
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode:
        sys.exit(
            f"the suite fails before any mutant:\n{run.stdout}{run.stderr}"
        )
    for ref, tests in json.loads(record.read_text()).items():
        EXERCISED[ref] = set(tests)
    record.unlink()
    durations: dict[str, float] = {}
    for seconds, test in DURATION.findall(run.stdout):
        durations[test] = durations.get(test, 0) + float(seconds)
    return durations


def outcome(
    mutant: Mutant, copies: queue.Queue[Path], durations: dict[str, float]
) -> str:
    """KILLED when a test that took the mutant's snippet fails on it (the
    quickest run first), SURVIVED when all pass, TIMED_OUT when they run
    past TIMEOUT."""
    tests = sorted(mutant.line.tests(), key=lambda t: durations.get(t, 0))
    if not tests:
        return SURVIVED
    copy = copies.get()
    path = copy / "snippets" / mutant.line.file
    original = path.read_bytes()
    try:
        path.write_text(mutant.text)
        run = subprocess.run(
            [*PYTEST, "-x", "-p", "no:xdist", *tests],
            check=False,
            cwd=copy,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return TIMED_OUT
    finally:
        path.write_bytes(original)
        copies.put(copy)
    if run.returncode not in (0, 1, 2):
        sys.exit(
            f"pytest failed to run for {mutant.describe()}:\n{run.stdout}"
        )
    return KILLED if run.returncode else SURVIVED


def accepted() -> dict[tuple[str, str, str, str], str]:
    """The accepted equivalents: (file, scope, line, mutation) to its
    reason; an entry names the files that have that line in that scope."""
    entries = tomllib.loads(EQUIVALENTS.read_text()).get("equivalent", [])
    return {
        (file, e.get("scope", ""), e["line"], e["mutation"]): e["reason"]
        for e in entries
        for file in e["files"]
    }


def main() -> int:
    """Make, run and report every mutant; fail on an unaccepted survivor."""
    started = time.monotonic()
    # Stopped, it still removes its copies.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))
    equivalents = accepted()
    copies: queue.Queue[Path] = queue.Queue()
    try:
        for _ in range(WORKERS):
            copies.put(
                copy_repository(
                    Path(tempfile.mkdtemp(prefix="guide-mutants-"))
                )
            )
        durations = learn_exercised(copies.queue[0])
        survivors, timed_out = run(copies, durations, equivalents)
    finally:
        while not copies.empty():
            shutil.rmtree(copies.get(), ignore_errors=True)
    survived = {m.key() for m in survivors}
    stale = [
        key
        for key in equivalents
        if key[0].startswith(PICKED) and key not in survived
    ]
    unaccepted = [m for m in survivors if m.key() not in equivalents]
    total = len(every_mutant())
    kills = total - len(survivors) - len(timed_out)
    print(
        f"\n{kills} of {total} mutants killed ({kills / total:.1%}),"
        f" {len(timed_out)} timed out,"
        f" {len(survivors)} survived: {len(survivors) - len(unaccepted)}"
        f" accepted as equivalent, {len(unaccepted)} not;"
        f" {time.monotonic() - started:.0f} s"
    )
    for mutant in timed_out:
        print(f"timed out: {mutant.describe()}")
    for mutant in unaccepted:
        print(f"survivor: {mutant.describe()}")
    for key in stale:
        print(f"{EQUIVALENTS.name} accepts what does not survive: {key}")
    return 1 if unaccepted or stale else 0


def every_mutant() -> list[Mutant]:
    """The mutants of every line pages show, or of the snippet files (or
    folders) that the command line names."""
    chosen = [line for line in shown() if line.file.startswith(PICKED)]
    return [m for line in chosen for m in mutants(line)]


def run(
    copies: queue.Queue[Path],
    durations: dict[str, float],
    equivalents: dict[tuple[str, str, str, str], str],
) -> tuple[list[Mutant], list[Mutant]]:
    """Run every mutant, two at a time; print and return the survivors and
    those that timed out."""
    every = every_mutant()
    print(f"{len(every)} mutants", flush=True)
    survivors, timed_out = [], []
    with ThreadPoolExecutor(WORKERS) as pool:
        results = pool.map(lambda m: (m, outcome(m, copies, durations)), every)
        for n, (mutant, result) in enumerate(results, 1):
            if result == KILLED:
                if n % 100 == 0:
                    print(f"[{n}/{len(every)}] run", flush=True)
                continue
            known = ""
            if result == SURVIVED:
                survivors.append(mutant)
                known = " (accepted)" if mutant.key() in equivalents else ""
            else:
                timed_out.append(mutant)
            print(
                f"[{n}/{len(every)}] {result}{known}: {mutant.describe()}",
                flush=True,
            )
    return survivors, timed_out


if __name__ == "__main__":
    sys.exit(main())

"""How fast the site and its tests are: `make benchmark` prints, in one run,

- the strict build of this site against an empty Material site with the same
  mkdocs.yml;
- the migration cycle the tests run (revision --autogenerate, upgrade, check,
  downgrade) in-process, as the harness runs it, against the `alembic`
  command line;
- the browser tests' cost per page, on this site and on a copy of the
  repository whose every page is there three times (measured between two
  runs on this site, whose mean it is compared with: this machine's speed
  drifts), and the other tests' time per test (as `make test` runs them);
- the whole `make test`;
- Lighthouse's mobile scores for every page of the site, served on 127.0.0.1,
  and the transfer size of the largest page.

A benchmark, not a test: it asserts nothing about time.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    REPO,
    Project,
    Site,
    copy_repository,
    run_checked,
    serve,
    shell,
    snippet_text,
)

RUNS = 3
CYCLE = ["first_migration", "check", "downgrade"]  # sections of commands.sh
LIGHTHOUSE = REPO / ".cache" / "lighthouse" / "node_modules" / ".bin"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
# A row of Lighthouse's table, after the page column (as wide as its longest).
SCORES = " {:>5} {:>5} {:>5} {:>5} {:>10}"


def median(measure: Callable[[], float]) -> float:
    """The median of RUNS measures, after one that warms up and is dropped."""
    measure()
    return statistics.median(measure() for _ in range(RUNS))


def build_seconds(**overrides: object) -> float:
    """One strict build of mkdocs.yml, with these settings changed."""
    with tempfile.TemporaryDirectory() as site_dir:
        start = time.perf_counter()
        config = load_config(
            str(REPO / "mkdocs.yml"), site_dir=site_dir, **overrides
        )
        build(config)
        return time.perf_counter() - start


def empty_site_build_seconds() -> float:
    with tempfile.TemporaryDirectory() as docs:
        Path(docs, "index.md").write_text("# Empty\n")
        return build_seconds(docs_dir=docs, nav=[{"Home": "index.md"}])


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Standard output and error off the report, at the file descriptors:
    Alembic's Config writes to the sys.stdout it found at import."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    with open(os.devnull, "w") as devnull:
        for fd in (1, 2):
            os.dup2(devnull.fileno(), fd)
        try:
            yield
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            for fd, copy in zip((1, 2), saved, strict=True):
                os.dup2(copy, fd)
                os.close(copy)


@contextlib.contextmanager
def project() -> Iterator[Project]:
    """A fresh project with the complete env.py and the application.

    As the `project` fixture does, sys.path and the imports are restored
    afterwards, and Alembic's output is kept off the report.
    """
    path, handlers = list(sys.path), list(logging.getLogger().handlers)
    with (
        tempfile.TemporaryDirectory() as root,
        contextlib.chdir(root),
        quiet(),
    ):
        reader = Project(Path(root))
        reader.run("init")
        reader.add_env("basics/env.py")
        reader.add_app("basics/app")
        try:
            yield reader
        finally:
            reader.forget_imports()
            sys.path[:] = path
            sys.path_importer_cache.clear()
            logging.getLogger().handlers[:] = handlers


def in_process_cycle_seconds() -> float:
    with project() as reader:
        start = time.perf_counter()
        for section in CYCLE:
            reader.run(section)
        return time.perf_counter() - start


def command_line_cycle_seconds() -> float:
    script = "\n".join(snippet_text(f"basics/commands.sh:{s}") for s in CYCLE)
    with project() as reader:
        start = time.perf_counter()
        shell(script, reader.root)
        return time.perf_counter() - start


def pytest_in(root: Path, target: str) -> tuple[float, str]:
    """A pytest target of the Makefile (`pytest-browser`, `pytest-rest`),
    with every test's duration, in a checkout: its time and its output."""
    start = time.perf_counter()
    done = run_checked(
        [
            "make",
            "--no-print-directory",
            f"BIN={Path(sys.executable).parent}",
            target,
        ],
        root,
        {**os.environ, "PYTEST_ADDOPTS": "-q --durations=0"},
    )
    return time.perf_counter() - start, done.stdout


def browser_seconds_per_page(root: Path) -> tuple[float, int]:
    """The browser tests' visit of every page, a page: the setup of their
    first test (the browser's start and the visits; the site is built
    beforehand), over the number of pages."""
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from harness.site import built_site; built_site()",
        ],
        cwd=root / "tests",
        check=True,
    )
    _, output = pytest_in(root, "pytest-browser")
    setup = re.search(
        r"^([\d.]+)s setup +tests/test_browser.py::", output, re.MULTILINE
    )
    site = Site(next((root / ".cache" / "site").glob("[0-9a-f]*")))
    pages = len(site.html_pages())
    return float(setup[1]) / pages, pages


def tripled(root: Path) -> None:
    """Every page of the checkout at `root` two times more, in the nav."""
    docs, config = root / "docs", root / "mkdocs.yml"
    nav = load_config(str(config)).nav
    pages, copies = sorted(docs.rglob("*.md")), []
    for copy in (2, 3):
        for page in pages:
            name = page.with_name(f"{page.stem}-copy-{copy}.md")
            name.write_text(page.read_text())

        def renamed(entry: object, copy: int = copy) -> object:
            if isinstance(entry, str):
                return entry.removesuffix(".md") + f"-copy-{copy}.md"
            if isinstance(entry, list):
                return [renamed(e) for e in entry]
            return {f"{k} ({copy})": renamed(v) for k, v in entry.items()}

        copies += renamed(nav)
    text = config.read_text()
    assert text.count("\nnav:\n") == 1 and text.rstrip().endswith(".md")
    head = text[: text.index("\nnav:\n")]
    config.write_text(head + "\n" + yaml.safe_dump({"nav": nav + copies}))


def scale_report() -> None:
    """Browser cost per page at 1x and 3x the pages; time per other test;
    what one more recipe adds."""
    with tempfile.TemporaryDirectory() as folder:
        copy = copy_repository(Path(folder))
        tripled(copy)
        before, pages = browser_seconds_per_page(REPO)
        thrice, pages3 = browser_seconds_per_page(copy)
        after, _ = browser_seconds_per_page(REPO)
    once = (before + after) / 2
    print(
        f"  browser, {pages:3} pages   {once:6.3f} s a page"
        f"   mean of {before:.3f} before and {after:.3f} after the {pages3}"
    )
    print(
        f"  browser, {pages3:3} pages   {thrice:6.3f} s a page   {thrice / once:.2f}x"
    )
    seconds, output = pytest_in(REPO, "pytest-rest")
    tests = int(re.search(r"(\d+) passed", output)[1])
    print(
        f"  the rest, {tests} tests {seconds:6.1f} s, {seconds / tests:.3f} s a test"
    )
    recipe = statistics.median(recipe_test_seconds(output).values())
    print(
        f"  one more recipe      {recipe / 2 + once:6.2f} s   the median"
        f" recipe's tests ({recipe:.2f} s) on two cores, and its page"
        " in the browser"
    )


def recipe_test_seconds(durations: str) -> dict[str, float]:
    """{recipe: the time of its tests} from pytest's --durations=0 lines."""
    recipes = {
        p.stem.replace("-", "_") for p in (REPO / "docs/recipes").glob("*.md")
    }
    seconds: dict[str, float] = {}
    for time_taken, test_file in re.findall(
        r"^([\d.]+)s \w+ +tests/test_(\w+)\.py::", durations, re.MULTILINE
    ):
        if test_file in recipes:
            seconds[test_file] = seconds.get(test_file, 0.0) + float(
                time_taken
            )
    return seconds


def make_test() -> tuple[float, str]:
    """The time of `make test`, and the closing lines of its two pytest runs
    (the browser tests run beside the rest)."""
    start = time.perf_counter()
    done = run_checked(["make", "--no-print-directory", "test"], REPO)
    seconds = time.perf_counter() - start
    # Lines of their own: steps.py's "running ..." line may quote one.
    summaries = re.findall(
        r"^=+ (.+ in [\d.]+s)(?: \([\d:]+\))? =+$", done.stdout, re.MULTILINE
    )
    return seconds, "; ".join(summaries)


def lighthouse(url: str) -> dict:
    """Lighthouse's report on a page: mobile, throttled, Debian's chromium."""
    done = run_checked(
        [
            LIGHTHOUSE / "lighthouse",
            url,
            "--output=json",
            "--quiet",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={' '.join(['--headless=new', *CHROMIUM_ARGS])}",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
    )
    return json.loads(done.stdout)


def lighthouse_report() -> None:
    """Every page of a site built for the local server (so that its canonical
    links are the pages Lighthouse loads), and the largest page."""
    with (
        tempfile.TemporaryDirectory() as site_dir,
        serve(Path(site_dir)) as url,
    ):
        config = load_config(
            str(REPO / "mkdocs.yml"), site_dir=site_dir, site_url=url
        )
        build(config)
        sizes = {}
        pages = Site(Path(site_dir)).html_pages()
        row = f"{{:{2 + max(map(len, pages))}}}" + SCORES
        print(row.format("  page", "perf", "a11y", "b.p.", "seo", "transfer"))
        for html in pages:
            report = lighthouse(url + html.removesuffix("index.html"))
            scores = [report["categories"][c]["score"] for c in CATEGORIES]
            sizes[html] = report["audits"]["total-byte-weight"]["numericValue"]
            kib = f"{sizes[html] / 1024:.1f} KiB"
            print(row.format(f"  {html}", *(f"{s:.2f}" for s in scores), kib))
        largest = max(sizes, key=sizes.__getitem__)
        print(f"  largest page: {largest}, {sizes[largest] / 1024:.1f} KiB")


def main() -> None:
    os.chdir(REPO)
    print(f"Strict build, median of {RUNS}")
    site, empty = median(build_seconds), median(empty_site_build_seconds)
    print(f"  this site            {site:6.2f} s")
    print(f"  empty Material site  {empty:6.2f} s   same mkdocs.yml")
    print(f"  ratio                {site / empty:6.1f}x")
    print(f"Migration cycle ({', '.join(CYCLE)}), median of {RUNS}")
    inside = median(in_process_cycle_seconds)
    outside = median(command_line_cycle_seconds)
    print(f"  in-process           {inside:6.2f} s   Project.run, as tests do")
    print(f"  alembic command line {outside:6.2f} s")
    print(f"  ratio                {outside / inside:6.1f}x")
    print("Tests, as make test runs them")
    scale_report()
    seconds, summary = make_test()
    print(f"make test              {seconds:6.1f} s   pytest: {summary}")
    package = (LIGHTHOUSE / "lighthouse").resolve().parents[1]
    version = json.loads((package / "package.json").read_text())["version"]
    chromium = subprocess.run(
        [CHROMIUM, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    print(f"Lighthouse {version}, mobile, {chromium}")
    lighthouse_report()


if __name__ == "__main__":
    main()

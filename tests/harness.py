"""The test harness: snippet files, and a temporary Alembic project to run them in.

`project` is a fresh folder in which the installed Alembic's own `alembic init` has
run. A test puts snippet files in place with `add_env` and `add_app`, then runs
Alembic in-process: with `alembic.command` through `project.config`, or with the
shell commands a page shows through `project.run`. Which test takes which snippet
is recorded in `EXERCISED`.

`site` is the site built once per session, and `site_url` serves it on 127.0.0.1
for the browser tests.
"""

from __future__ import annotations

import gzip
import logging
import mimetypes
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from alembic.config import CommandLine, Config
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config

REPO = Path(__file__).resolve().parents[1]
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
# Debian's chromium, for the browser tests and the benchmark.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# {snippet ref: node ids of the tests that took it with the harness}
EXERCISED: dict[str, set[str]] = {}


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
    if section:
        marks = {(m[1], m[2]): i for i, m in _markers(lines)}
        if ("start", section) not in marks or ("end", section) not in marks:
            raise LookupError(f"{path} has no section {section!r}")
        lines = lines[marks["start", section] + 1 : marks["end", section]]
    return "\n".join(line for line in lines if not MARKER.match(line))


def _exercise(ref: str) -> None:
    test = os.environ.get("PYTEST_CURRENT_TEST", "").rpartition(" ")[0]
    EXERCISED.setdefault(ref, set()).add(test)


def exercised_by(ref: str) -> set[str]:
    """The tests that took `ref`, or the whole file or folder it is part of."""
    path = ref.partition(":")[0]
    return {
        test
        for used, tests in EXERCISED.items()
        if used in (ref, path) or path.startswith(f"{used}/")
        for test in tests
    }


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


def shell(script: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run shell commands as a reader does, with this environment's `alembic`."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=cwd,
        env={**os.environ, "PATH": path},
        capture_output=True,
        text=True,
        check=True,
    )


def _markers(lines: list[str]) -> Iterator[tuple[int, re.Match[str]]]:
    for i, line in enumerate(lines):
        if m := MARKER.match(line):
            yield i, m


class Project:
    """An `alembic init` project in a temporary folder, the current directory."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.ini = root / "alembic.ini"
        self.env_py = root / "alembic" / "env.py"
        self.db_file = root / "database.sqlite"

    @property
    def config(self) -> Config:
        """A new Config for alembic.ini, as the `alembic` command makes."""
        return Config(self.ini)

    def run(self, section: str) -> None:
        """Run the commands of a section of snippets/basics/commands.sh.

        Each line goes through Alembic's own command-line parser, in-process.
        """
        for line in read_snippet(f"basics/commands.sh:{section}").splitlines():
            program, *argv = shlex.split(line)
            assert program == "alembic", line
            CommandLine(prog="alembic").main(argv)

    def add_env(self, ref: str) -> None:
        """Replace the generated env.py with a snippet file."""
        _exercise(ref)
        shutil.copyfile(SNIPPETS / ref, self.env_py)

    def edit_ini(self, ref: str) -> None:
        """Set each `key = value` line of an ini snippet in alembic.ini."""
        ini = self.ini.read_text()
        for line in read_snippet(ref).splitlines():
            key, sep, _ = line.partition(" = ")
            if sep:
                ini, count = re.subn(
                    rf"^{key} = .*$", line, ini, flags=re.MULTILINE
                )
                assert count == 1, f"alembic.ini has no single {key!r} line"
        self.ini.write_text(ini)

    def add_app(self, ref: str) -> None:
        """Copy an application package from snippets/, as regular packages."""
        _exercise(ref)
        source = SNIPPETS / ref
        target = self.root / source.name
        shutil.copytree(source, target)
        for folder in [target, *(p for p in target.rglob("*") if p.is_dir())]:
            (folder / "__init__.py").touch()

    def forget_imports(self) -> None:
        """Drop the project's modules from sys.modules, as a new process would."""
        for name, module in list(sys.modules.items()):
            if (
                self.root
                in Path(getattr(module, "__file__", None) or "/").parents
            ):
                del sys.modules[name]

    def tables(self) -> set[str]:
        """The tables in the SQLite file, without Alembic's own."""
        with sqlite3.connect(self.db_file) as db:
            rows = db.execute(
                "SELECT name FROM sqlite_master WHERE type='table'"
            )
            return {name for (name,) in rows} - {"alembic_version"}


@pytest.fixture
def project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Project]:
    """A fresh project made by `alembic init alembic`, as the current directory.

    Alembic's prepend_sys_path (".", the current directory), env.py's imports
    and its fileConfig change sys.path, the import caches and logging: each is
    restored afterwards, so that every test imports its own application package.
    """
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.setattr(sys, "path_importer_cache", {})
    root_logger = logging.getLogger()
    handlers, level = list(root_logger.handlers), root_logger.level
    project = Project(tmp_path)
    project.run("init")
    yield project
    project.forget_imports()
    root_logger.handlers[:] = handlers
    root_logger.setLevel(level)


class Site:
    """The site as `mkdocs build --strict` writes it."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def soup(self, page: str) -> BeautifulSoup:
        """The parsed HTML of docs/<page>.md."""
        html = self.root / ("" if page == "index" else page) / "index.html"
        return BeautifulSoup(html.read_text(), "html.parser")

    def code_blocks(self, page: str) -> list[tuple[str, str]]:
        """(title, text) of every code block of docs/<page>.md, in order."""
        blocks = []
        for block in self.soup(page).select("div.highlight"):
            title = block.find("span", class_="filename")
            code = block.find("code").get_text().rstrip("\n")
            blocks.append((title.get_text() if title else "", code))
        return blocks

    def html_pages(self) -> list[str]:
        """Every HTML file of the site, relative to its root."""
        files = self.root.rglob("*.html")
        return sorted(str(p.relative_to(self.root)) for p in files)

    @staticmethod
    def page_of(html: str) -> str | None:
        """The docs page that an HTML file was built from, if any."""
        page = html.removesuffix(".html").removesuffix("index").rstrip("/")
        names = [page, f"{page}/index".lstrip("/")]
        return next((name for name in names if name in PAGES), None)

    def blocks(self, html: str) -> list[str]:
        """The text of every <pre> of an HTML file, in order."""
        soup = BeautifulSoup((self.root / html).read_text(), "html.parser")
        return [pre.get_text().rstrip("\n") for pre in soup.find_all("pre")]


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The site, built once per session with mkdocs.yml's strict settings."""
    site_dir = tmp_path_factory.mktemp("site")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.chdir(REPO)
        build(load_config(str(REPO / "mkdocs.yml"), site_dir=str(site_dir)))
    return Site(site_dir)


@contextmanager
def serve(root: Path, path: str = "/") -> Iterator[str]:
    """Serve `root` at http://127.0.0.1:<port><path>, as a web host does.

    A folder serves its index.html, a missing file the site's 404.html, and
    text is gzipped for a client that accepts it.
    """

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as a host has

        def do_GET(self) -> None:
            url = unquote(urlsplit(self.path).path)
            file = root / url.removeprefix(path)
            if url.startswith(path) and file.is_dir():
                if not url.endswith("/"):
                    self.send_response(301)
                    self.send_header("Location", f"{url}/")
                    self.end_headers()
                    return
                file /= "index.html"
            found = url.startswith(path) and file.is_file()
            if not found or root.resolve() not in file.resolve().parents:
                found, file = False, root / "404.html"
            body = file.read_bytes()
            kind = mimetypes.guess_type(file.name)[0] or "text/plain"
            self.send_response(200 if found else 404)
            if "gzip" in self.headers.get("Accept-Encoding", "") and (
                kind.startswith("text/")
                or kind.endswith(("json", "script", "xml"))
            ):
                body = gzip.compress(body)
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            """Quiet: no line per request."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{path}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(site: Site) -> Iterator[str]:
    """The site served on 127.0.0.1, at the path of mkdocs.yml's site_url."""
    path = urlsplit(load_config(str(REPO / "mkdocs.yml")).site_url).path
    with serve(site.root, path) as url:
        yield url


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "last: run after every other test of the session"
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked `last` run after the others, in their own order."""
    items.sort(key=lambda item: item.get_closest_marker("last") is not None)


_DESELECTED = pytest.StashKey[bool]()


def pytest_deselected(items: list[pytest.Item]) -> None:
    """Note a run that leaves tests out (-k, -m, --lf, --deselect)."""
    if items:
        items[0].config.stash[_DESELECTED] = True


def whole_suite(config: pytest.Config) -> bool:
    """Whether this session runs every test: no paths, none deselected."""
    return (
        config.args_source == pytest.Config.ArgsSource.TESTPATHS
        and not config.stash.get(_DESELECTED, False)
    )

"""The test harness: snippet files, and a temporary Alembic project to run them in.

`project` is a fresh folder in which the installed Alembic's own `alembic init` has
run. A test puts snippet files in place with `add_env`, `add_app` and `put`, then
runs Alembic in-process: with `alembic.command` through `project.config`, or with
the shell commands a page shows through `project.run`. `edit_env` and
`without_section` make the variant without a recipe that a test compares with.
Which test takes which snippet is recorded in `EXERCISED`.

`site` is the site built once per session, and `site_url` serves it on 127.0.0.1
for the browser tests. `postgres` is a PostgreSQL server for the session.

"""

from __future__ import annotations

import gzip
import importlib
import logging
import mimetypes
import os
import re
import shlex
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import takewhile
from pathlib import Path
from types import ModuleType
from urllib.parse import quote, unquote, urlsplit

import psycopg
import pytest
from alembic.config import CommandLine, Config
from alembic.script import ScriptDirectory
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config
from psycopg import sql as psql

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
    # Every page of the site is open at once, each in its own tab: without
    # these, the tabs in the background run their timers once a second.
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
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
    text = "\n".join(line for line in lines if not MARKER.match(line))
    # A section indented in its file is shown dedented (dedent_subsections).
    return textwrap.dedent(text) if section else text


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
    """Run shell commands as a reader does, with this environment's `alembic`.

    A failure is a CalledProcessError that shows what the commands printed.
    """
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    try:
        return subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            cwd=cwd,
            env={**os.environ, "PATH": path},
            capture_output=True,
            text=True,
            check=True,
        )
    except subprocess.CalledProcessError as error:
        error.add_note(f"stdout:\n{error.stdout}\nstderr:\n{error.stderr}")
        raise


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
        """A new Config, as the `alembic` command makes in the project root."""
        return Config(self.ini, toml_file=self.root / "pyproject.toml")

    def run(self, section: str, file: str = "basics/commands.sh") -> None:
        """Run the commands of a section of a snippet file of commands.

        An `alembic` line, with any `NAME=value` words before it, goes through
        Alembic's own command-line parser in-process; any other line runs in
        bash, in the current directory.
        """
        for line in read_snippet(f"{file}:{section}").splitlines():
            words = shlex.split(line)
            assignments = list(takewhile(lambda w: "=" in w, words))
            program, *argv = words[len(assignments) :]
            if program != "alembic":
                shell(line, Path.cwd())
                continue
            with pytest.MonkeyPatch.context() as monkeypatch:
                for name, _, value in (a.partition("=") for a in assignments):
                    monkeypatch.setenv(name, value)
                CommandLine(prog="alembic").main(argv)

    def put(self, ref: str, path: str = "") -> None:
        """Copy a snippet file to a path in the project (by default, to the
        project's root under the file's own name)."""
        _exercise(ref)
        target = self.root / (path or Path(ref).name)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SNIPPETS / ref, target)

    def add_env(self, ref: str) -> None:
        """Replace the generated env.py with a snippet file."""
        self.put(ref, "alembic/env.py")

    def edit_env(self, old: str, new: str = "") -> None:
        """Replace the one occurrence of `old` in env.py, as a reader would."""
        env = self.env_py.read_text()
        assert env.count(old) == 1, f"env.py has no single {old!r}"
        self.env_py.write_text(env.replace(old, new))

    def load(self, module: str) -> ModuleType:
        """Import a module of the project, as its application would."""
        if str(self.root) not in sys.path:
            sys.path.insert(0, str(self.root))
        return importlib.import_module(module)

    def edit_ini(self, ref: str, target: str = "alembic.ini") -> None:
        """Set each `key = value` line of a snippet in a generated file.

        The generated value may be a bracketed list over several lines.
        """
        path = self.root / target
        text = path.read_text()
        for line in read_snippet(ref).splitlines():
            key, sep, _ = line.partition(" = ")
            if sep:
                pattern = rf"^{re.escape(key)} = (\[[^\]]*\]|.*)$"
                text, count = re.subn(pattern, line, text, flags=re.MULTILINE)
                assert count == 1, f"{target} has no single {key!r} line"
        path.write_text(text)

    def paste(self, site: Site, page: str, *titles: str) -> None:
        """Write the code blocks of a page titled with these file paths, as a
        reader copies them."""
        blocks = dict(site.code_blocks(page))
        for title in titles:
            (self.root / title).write_text(blocks[title] + "\n")

    def add_app(self, ref: str) -> None:
        """Copy an application package from snippets/, as regular packages."""
        _exercise(ref)
        source = SNIPPETS / ref
        target = self.root / source.name
        shutil.copytree(source, target)
        for folder in [target, *(p for p in target.rglob("*") if p.is_dir())]:
            (folder / "__init__.py").touch()

    def forget_imports(self) -> None:
        """Drop the project's packages and modules from sys.modules, as a new
        process would."""
        top_level = {p.parent.name for p in self.root.glob("*/__init__.py")}
        top_level |= {p.stem for p in self.root.glob("*.py")}
        for name in list(sys.modules):
            if name.partition(".")[0] in top_level:
                del sys.modules[name]

    def head_script(self) -> str:
        """The text of the head revision's migration script."""
        scripts = ScriptDirectory.from_config(self.config)
        return Path(scripts.get_revision("head").path).read_text()

    @contextmanager
    def connect(self, database: str = "") -> Iterator[sqlite3.Connection]:
        """A connection to a SQLite file of the project (by default,
        database.sqlite): committed, then closed, on leaving the block."""
        path = self.root / database if database else self.db_file
        with closing(sqlite3.connect(path)) as db, db:
            yield db

    def tables(self, database: str = "") -> set[str]:
        """The tables of a SQLite file in the project (by default,
        database.sqlite), but Alembic's own.

        The file is opened read-only: a missing one is an error, not created.
        """
        path = self.root / database if database else self.db_file
        uri = f"file:{quote(str(path))}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True)) as db:
            rows = db.execute(
                "SELECT name FROM sqlite_master WHERE type='table'"
            )
            return {name for (name,) in rows} - {"alembic_version"}


@pytest.fixture
def init_commands() -> str:
    """The `file:section` of commands that makes the project.

    A test module overrides it, or a test parametrizes it, to start from
    another template.
    """
    return "basics/commands.sh:init"


@pytest.fixture
def project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, init_commands: str
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
    disabled = {name: log.disabled for name, log in _loggers()}
    project = Project(tmp_path)
    file, _, section = init_commands.partition(":")
    project.run(section, file)
    yield project
    project.forget_imports()
    root_logger.handlers[:] = handlers
    root_logger.setLevel(level)
    for name, log in _loggers():
        log.disabled = disabled.get(name, False)


def _loggers() -> list[tuple[str, logging.Logger]]:
    """Every logger made so far, by name; fileConfig disables them."""
    loggers = logging.Logger.manager.loggerDict.items()
    return [(n, log) for n, log in loggers if isinstance(log, logging.Logger)]


class Site:
    """The site as `mkdocs build --strict` writes it."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def soup(self, page: str) -> BeautifulSoup:
        """The parsed HTML of docs/<page>.md."""
        folder = re.sub(r"(^|/)index$", r"\1", page)
        html = self.root / folder / "index.html"
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


class Postgres:
    """A PostgreSQL server of the machine's own, on a loopback port.

    Local (socket) connections as `postgres` are trusted; TCP connections
    need a password (scram-sha-256), as a deployed server would.
    """

    def __init__(self, folder: Path, port: int) -> None:
        self.folder = folder
        self.host = "127.0.0.1"
        self.port = port

    def admin(self, database: str = "postgres") -> psycopg.Connection:
        """A superuser connection over the server's socket."""
        return psycopg.connect(
            host=str(self.folder),
            port=self.port,
            user="postgres",
            dbname=database,
            autocommit=True,
        )

    def create_role(self, name: str, password: str) -> None:
        """A login role with its own database, or a new password for it."""
        with self.admin() as db:
            exists = db.execute(
                "SELECT 1 FROM pg_roles WHERE rolname = %s", [name]
            ).fetchone()
            verb = "ALTER" if exists else "CREATE"
            db.execute(
                psql.SQL(verb + " ROLE {} LOGIN PASSWORD {}").format(
                    psql.Identifier(name), psql.Literal(password)
                )
            )
            if not exists:
                db.execute(
                    psql.SQL("CREATE DATABASE {} OWNER {}").format(
                        psql.Identifier(name), psql.Identifier(name)
                    )
                )

    def tables(self, database: str) -> set[str]:
        """The tables of a role's database, but Alembic's own."""
        with self.admin(database) as db:
            rows = db.execute(
                "SELECT tablename FROM pg_tables"
                " WHERE schemaname = 'public' AND tableowner = %s",
                [database],
            )
            return {name for (name,) in rows} - {"alembic_version"}


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """A new cluster for the session: initdb and pg_ctl run as `postgres`.

    Both refuse root, so the cluster lives in a folder that user owns.
    """
    bin_dir = max(Path("/usr/lib/postgresql").glob("*/bin"), default=None)
    assert bin_dir, "PostgreSQL is not installed: `make test` installs it"
    folder = Path(tempfile.mkdtemp(prefix="alembic-guide-pg-"))
    shutil.chown(folder, "postgres")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    def as_postgres(*argv: str) -> None:
        shell(shlex.join(["runuser", "-u", "postgres", "--", *argv]), folder)

    data = folder / "data"
    as_postgres(
        str(bin_dir / "initdb"),
        "-D",
        str(data),
        "-U",
        "postgres",
        "--auth-local=trust",
        "--auth-host=scram-sha-256",
        "--no-sync",
    )
    options = (
        f"-c listen_addresses=127.0.0.1 -c port={port} -c fsync=off"
        f" -c unix_socket_directories={folder}"
    )
    pg_ctl = str(bin_dir / "pg_ctl")
    as_postgres(
        pg_ctl,
        "-D",
        str(data),
        "-l",
        str(folder / "log"),
        "-o",
        options,
        "-w",
        "start",
    )
    try:
        yield Postgres(folder, port)
    finally:
        as_postgres(pg_ctl, "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(folder)


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
        "markers", "last: run after every other test of a whole-suite run"
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Tests marked `last` run after the others, in their own order.

    A partial run (paths, -k, -m, --lf) leaves them out: they check what the
    whole suite did.
    """
    last = [item for item in items if item.get_closest_marker("last")]
    items[:] = [item for item in items if item not in last]
    if whole_suite(config):
        items.extend(last)
    elif last:
        config.hook.pytest_deselected(items=last)


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

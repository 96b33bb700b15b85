"""The test harness: snippet files, and a temporary Alembic project to run them in.

`project` is a fresh folder in which the installed Alembic's own `alembic init` has
run. A test puts snippet files in place with `add_env` and `add_app`, then runs
Alembic in-process: with `alembic.command` through `project.config`, or with the
shell commands a page shows through `project.run`.
"""

from __future__ import annotations

import logging
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

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


def read_snippet(ref: str) -> str:
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
        """The tables in the SQLite file, without Alembic's own.

        closing(): a connection's own `with` only commits, and Python 3.13
        warns about a connection that is never closed.
        """
        with closing(sqlite3.connect(self.db_file)) as db:
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


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The site, built once per session with mkdocs.yml's strict settings."""
    site_dir = tmp_path_factory.mktemp("site")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.chdir(REPO)
        build(load_config(str(REPO / "mkdocs.yml"), site_dir=str(site_dir)))
    return Site(site_dir)

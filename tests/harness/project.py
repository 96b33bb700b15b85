"""A temporary Alembic project, made by the installed Alembic's own init.

`project` is a fresh folder in which `alembic init` has run, as the current
directory. A test puts snippet files in place with `recipe` (a recipe's
alembic.ini lines, env.py and application at once), `add_env`, `add_app`,
`put` and, for a migration script, `add_revision`, then runs Alembic
in-process: with `alembic.command` through `project.config`, or with the
shell commands a page shows through `project.run`. `shell` runs commands for
real, as a reader does.
"""

from __future__ import annotations

import importlib
import logging
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from itertools import takewhile
from pathlib import Path
from types import MappingProxyType, ModuleType
from urllib.parse import quote

import pytest
from alembic import command
from alembic.config import CommandLine, Config
from alembic.script import ScriptDirectory

from .outputs import captured
from .site import Site
from .snippets import SNIPPETS, _exercise, read_snippet


def shell(script: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run shell commands as a reader does, with this environment's `alembic`.

    A failure is a CalledProcessError that shows what the commands printed;
    either way, that output is recorded (harness.outputs).
    """
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    try:
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            cwd=cwd,
            env={**os.environ, "PATH": path},
            capture_output=True,
            text=True,
            check=True,
        )
    except subprocess.CalledProcessError as error:
        captured(error.stdout + error.stderr)
        error.add_note(f"stdout:\n{error.stdout}\nstderr:\n{error.stderr}")
        raise
    captured(result.stdout + result.stderr)
    return result


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
        """Set each `key = value` line of a snippet in a generated file, in
        the section that the snippet's `[section]` line above it names."""
        section = ""
        for line in read_snippet(ref).splitlines():
            if header := re.fullmatch(r"\[(.+)\]", line):
                section = header[1]
            elif " = " in line:
                assert section, f"{ref}: {line!r} is in no [section]"
                self._set_lines([line], target, section)

    def set_url(self, url: str) -> None:
        """Make a URL alembic.ini's sqlalchemy.url, its "%" escaped as
        ConfigParser reads it."""
        self._set_lines(["sqlalchemy.url = " + url.replace("%", "%%")])

    def _set_lines(
        self,
        lines: list[str],
        target: str = "alembic.ini",
        section: str = "alembic",
    ) -> None:
        """Put each `key = value` line in place of the one line of that key
        in a section of the file, whose value may be a bracketed list over
        several lines."""
        path = self.root / target
        text = path.read_text()
        header = re.search(rf"^\[{re.escape(section)}\]$", text, re.MULTILINE)
        assert header, f"{target} has no [{section}]"
        start = header.end()
        end = re.compile(r"^\[", re.MULTILINE).search(text, start)
        stop = end.start() if end else len(text)
        body = text[start:stop]
        for line in lines:
            key, sep, _ = line.partition(" = ")
            if sep:
                body, count = re.subn(
                    rf"^{re.escape(key)} = (\[[^\]]*\]|.*)$",
                    lambda _, line=line: line,
                    body,
                    flags=re.MULTILINE,
                )
                assert count == 1, f"[{section}] has no single {key!r} line"
        path.write_text(text[:start] + body + text[stop:])

    def paste(self, site: Site, page: str, *titles: str) -> None:
        """Write the code blocks of a page titled with these file paths, as a
        reader copies them."""
        blocks = dict(site.code_blocks(page))
        for title in titles:
            (self.root / title).parent.mkdir(parents=True, exist_ok=True)
            (self.root / title).write_text(blocks[title] + "\n")

    def add_app(self, ref: str) -> None:
        """Copy an application package from snippets/, as regular packages."""
        _exercise(ref)
        source = SNIPPETS / ref
        target = self.root / source.name
        shutil.copytree(source, target)
        for folder in [target, *(p for p in target.rglob("*") if p.is_dir())]:
            (folder / "__init__.py").touch()

    def recipe(
        self,
        env: str,
        app: str,
        *,
        revision: str = "",
        ini: str | None = "recipes/alembic.ini",
        put: Mapping[str, str] = MappingProxyType({}),
    ) -> Project:
        """Set up a recipe's project: alembic.ini's lines from `ini` (None
        keeps the generated file), env.py, the application, further
        snippet files (`put`: snippet to project path) and, given its
        message, a first autogenerated revision, not applied."""
        if ini is not None:
            self.edit_ini(ini)
        self.add_env(env)
        self.add_app(app)
        for ref, path in put.items():
            self.put(ref, path)
        if revision:
            command.revision(self.config, revision, autogenerate=True)
        return self

    def forget_imports(self) -> None:
        """Drop the project's packages (at its root or in src/) and modules
        from sys.modules, and the import system's finders of sys.path's
        folders (that of ".", a relative entry, keeps the folder it was
        made in), as a new process would."""
        sys.path_importer_cache.clear()
        packages = [*self.root.glob("*/__init__.py")]
        packages += self.root.glob("src/*/__init__.py")
        top_level = {p.parent.name for p in packages}
        top_level |= {p.stem for p in self.root.glob("*.py")}
        for name in list(sys.modules):
            if name.partition(".")[0] in top_level:
                del sys.modules[name]

    def add_revision(self, ref: str, text: str = "") -> None:
        """Write a migration script of snippets/ into alembic/versions, as a
        reader fills in the file that `alembic revision -m` wrote: after the
        head revision (first, when there is none), or in place of the
        script of its own revision id.

        `text` is the script as a reader changed it (by default, the
        snippet's own).
        """
        _exercise(ref)
        text = text or (SNIPPETS / ref).read_text()
        [revision] = re.findall(r'^revision = "(\w+)"$', text, re.MULTILINE)
        versions = self.root / "alembic" / "versions"
        for script in versions.glob(f"{revision}_*.py"):
            script.unlink()
        head = ScriptDirectory.from_config(self.config).get_current_head()
        text, count = re.subn(
            r"^down_revision = .*$",
            f'down_revision = "{head}"' if head else "down_revision = None",
            text,
            flags=re.MULTILINE,
        )
        assert count == 1, f"{ref} has no single down_revision line"
        (versions / f"{revision}_{Path(ref).stem}.py").write_text(text)

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


@pytest.fixture(scope="session")
def initialised() -> dict[str, Path]:
    """The projects made so far, one for each `file:section` of init commands:
    `alembic init` writes the same files wherever it runs."""
    return {}


@pytest.fixture
def project(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    init_commands: str,
    initialised: dict[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Project]:
    """A fresh project made by `alembic init alembic`, as the current directory.

    The commands run once a session, in a folder of their own, which each
    test gets a copy of. Alembic's prepend_sys_path (".", the current
    directory), env.py's imports and its fileConfig change sys.path, the
    import caches and logging: each is restored afterwards, so that every
    test imports its own application package.
    """
    if init_commands not in initialised:
        made = tmp_path_factory.mktemp("init")
        monkeypatch.chdir(made)
        file, _, section = init_commands.partition(":")
        Project(made).run(section, file)
        initialised[init_commands] = made
    _exercise(init_commands)
    shutil.copytree(initialised[init_commands], tmp_path, dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.setattr(sys, "path_importer_cache", {})
    root_logger = logging.getLogger()
    handlers, level = list(root_logger.handlers), root_logger.level
    disabled = {name: log.disabled for name, log in _loggers()}
    project = Project(tmp_path)
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

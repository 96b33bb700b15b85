"""docs/recipes/pyproject-only.md: Alembic configured in pyproject.toml."""

import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config

from harness import (
    Project,
    installed_as_claimed,
    packages_tested_with,
    read_snippet,
    shell,
)

COMMANDS = "pyproject-only/commands.sh"
# The first of the INFO lines that alembic.ini's logging prints.
INFO = "INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\n"


@pytest.fixture
def init_commands() -> str:
    """The page's `alembic init --template pyproject`."""
    return f"{COMMANDS}:init"


def commands(section: str) -> str:
    return read_snippet(f"{COMMANDS}:{section}")


@pytest.fixture
def toml_only(project: Project) -> Project:
    """The pyproject template's project without alembic.ini: the page's
    pyproject.toml, the notes' application."""
    shell(commands("no_ini"), project.root)
    project.put("pyproject-only/pyproject.toml")
    project.add_app("basics/app")
    return project


# What fileConfig raises for a file that is not there: Python 3.11.4 and
# newer say so (CPython gh-103606, backported from 3.12); older ones go on and
# miss its first section.
FILE_CONFIG_OF_NO_FILE = (
    "FileNotFoundError: alembic.ini doesn't exist\n"
    if sys.version_info >= (3, 11, 4)
    else "KeyError: 'formatters'\n"
)


def test_the_templates_env_py_fails_on_the_command_line_without_alembic_ini(
    toml_only: Project,
) -> None:
    """The command line names alembic.ini though it is missing: the guard
    `config.config_file_name is not None` lets fileConfig run."""
    with pytest.raises(subprocess.CalledProcessError) as failed:
        shell(commands("migrate"), toml_only.root)
    assert failed.value.stderr.endswith(FILE_CONFIG_OF_NO_FILE)


def test_pyproject_toml_alone_migrates_and_logs_as_alembic_ini_did(
    toml_only: Project,
) -> None:
    toml_only.add_env("pyproject-only/env.py")
    shell(commands("migrate").splitlines()[0], toml_only.root)
    upgraded = shell(commands("migrate").splitlines()[1], toml_only.root)
    assert toml_only.tables() == {"some_model"}
    assert upgraded.stderr.startswith(INFO)
    assert ", create some_model\n" in upgraded.stderr


def test_without_the_else_branch_nothing_is_logged(toml_only: Project) -> None:
    toml_only.add_env("pyproject-only/env.py")
    toml_only.edit_env(
        "else:\n"
        '    logging.basicConfig(format="%(levelname)-5.5s [%(name)s] %(message)s")\n'
        '    logging.getLogger("alembic").setLevel(logging.INFO)\n'
    )
    shell(commands("migrate"), toml_only.root)
    upgraded = shell("alembic downgrade base", toml_only.root)
    assert toml_only.tables() == set()
    assert upgraded.stderr == ""


def test_from_code_the_templates_guard_holds_and_nothing_is_logged(
    toml_only: Project,
) -> None:
    """Config(toml_file=...) has no ini file: config_file_name is None."""
    toml_only.put("pyproject-only/migrate.py")
    config = Config(toml_file=toml_only.root / "pyproject.toml")
    assert config.config_file_name is None
    command.revision(config, "empty")
    upgraded = shell("python migrate.py", toml_only.root)
    assert upgraded.stdout + upgraded.stderr == ""
    with toml_only.connect() as db:
        assert len(db.execute("SELECT * FROM alembic_version").fetchall()) == 1


def test_from_code_the_pages_env_py_logs(toml_only: Project) -> None:
    toml_only.put("pyproject-only/migrate.py")
    toml_only.add_env("pyproject-only/env.py")
    command.revision(Config(toml_file=toml_only.root / "pyproject.toml"), "x")
    upgraded = shell("python migrate.py", toml_only.root)
    assert upgraded.stderr.startswith(INFO)


def test_with_alembic_ini_its_logging_is_used(project: Project) -> None:
    """alembic.ini kept, its URL set: its INFO lines, and none once its
    alembic logger is quietened (the file's logging, not the else branch's)."""
    project.edit_ini("recipes/alembic.ini")
    project.add_env("pyproject-only/env.py")
    project.add_app("basics/app")
    upgraded = shell(commands("migrate"), project.root)
    assert project.tables() == {"some_model"}
    assert upgraded.stderr.startswith(INFO)
    ini = project.ini.read_text()
    quiet = "level = WARNING\nhandlers =\nqualname = alembic\n"
    project.ini.write_text(
        ini.replace(quiet.replace("WARNING", "INFO"), quiet)
    )
    downgraded = shell("alembic downgrade base", project.root)
    assert project.tables() == set()
    assert downgraded.stderr == ""


def test_an_unquoted_url_key_is_a_table_env_py_does_not_find(
    toml_only: Project,
) -> None:
    toml = toml_only.root / "pyproject.toml"
    toml.write_text(
        toml.read_text().replace('"sqlalchemy.url"', "sqlalchemy.url")
    )
    toml_only.add_env("pyproject-only/env.py")
    with pytest.raises(subprocess.CalledProcessError) as failed:
        shell(commands("migrate"), toml_only.root)
    last = failed.value.stderr.splitlines()[-1]
    assert last == "TypeError: option values must be strings"


def test_the_async_template_runs_with_pyproject_toml(
    tmp_path_factory: pytest.TempPathFactory, project: Project
) -> None:
    """The same alembic.ini and pyproject.toml as the pyproject template's,
    with the async template's env.py."""
    tmp_path = tmp_path_factory.mktemp("async")
    shell(commands("init_async"), tmp_path)
    for made in ["alembic.ini", "pyproject.toml"]:
        assert (tmp_path / made).read_text() == (
            project.root / made
        ).read_text()
    template = Path(Config().get_template_directory(), "async", "env.py")
    assert (
        tmp_path / "alembic" / "env.py"
    ).read_text() == template.read_text()
    async_project = Project(tmp_path)
    async_project.edit_ini("async-engine/alembic.ini")
    async_project.add_env("async-engine/env.py")
    async_project.add_app("basics/app")
    shell(commands("migrate"), tmp_path)
    assert async_project.tables() == {"some_model"}


def test_the_install_line_names_the_packages_the_page_is_tested_with() -> None:
    requirements = installed_as_claimed(f"{COMMANDS}:install")
    names = {requirement.name for requirement in requirements}
    assert names == packages_tested_with("recipes/pyproject-only")

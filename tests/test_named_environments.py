"""docs/recipes/named-environments.md: one alembic.ini, two databases, --name."""

import subprocess
from pathlib import Path

import pytest
from alembic.config import CommandLine

from harness import Project, captured, read_snippet, shell

COMMANDS = "named-environments/commands.sh"


@pytest.fixture
def init_commands() -> str:
    """The page's two `alembic init`: one folder of migrations each."""
    return f"{COMMANDS}:init"


@pytest.fixture
def named(project: Project) -> Project:
    """The page's alembic.ini, both env.py files and the models."""
    project.edit_ini("named-environments/alembic.ini")
    with project.ini.open("a") as ini:
        ini.write("\n" + read_snippet("named-environments/analytics.ini"))
    project.put("named-environments/env.py", "migrations/app/env.py")
    project.put(
        "named-environments/analytics/env.py", "migrations/analytics/env.py"
    )
    project.add_app("named-environments/app")
    return project


def scripts(project: Project, environment: str) -> list[str]:
    """The names of an environment's migration scripts."""
    versions = project.root / "migrations" / environment / "versions"
    return sorted(
        path.name.partition("_")[2] for path in versions.glob("*.py")
    )


def commands(section: str) -> str:
    return read_snippet(f"{COMMANDS}:{section}")


def test_each_name_migrates_its_own_database(named: Project) -> None:
    shell(commands("revisions"), named.root)
    assert scripts(named, "app") == ["create_account.py"]
    assert scripts(named, "analytics") == ["create_page_view.py"]
    upgraded = shell(commands("upgrade"), named.root).stderr
    assert named.tables("app.sqlite") == {"account"}
    assert named.tables("analytics.sqlite") == {"page_view"}
    assert upgraded.count("INFO  [alembic.runtime.migration] Running up") == 2
    for database in ["app.sqlite", "analytics.sqlite"]:
        with named.connect(database) as db:
            assert (
                len(db.execute("SELECT * FROM alembic_version").fetchall())
                == 1
            )


def test_the_second_init_keeps_the_first_alembic_ini(tmp_path: Path) -> None:
    made = shell(commands("init"), tmp_path).stdout
    assert "alembic.ini already exists, skipping" in made
    ini = (tmp_path / "alembic.ini").read_text()
    assert "script_location = %(here)s/migrations/app\n" in ini


def test_in_process_too_each_section_is_read_alone(named: Project) -> None:
    """Warnings are errors here: the analytics section's own path_separator
    is what keeps Alembic from warning."""
    named.run("revisions", COMMANDS)
    named.run("upgrade", COMMANDS)
    assert named.tables("analytics.sqlite") == {"page_view"}


def test_without_its_own_path_separator_alembic_warns(named: Project) -> None:
    text = named.ini.read_text()
    named.ini.write_text(
        text.replace("path_separator = os\nsqlalchemy", "sqlalchemy")
    )
    with pytest.warns(DeprecationWarning) as warned:
        CommandLine(prog="alembic").main(["--name", "analytics", "current"])
    [warning] = warned
    assert captured(f"DeprecationWarning: {warning.message}").startswith(
        "DeprecationWarning: No path_separator found in configuration; "
    )


def test_without_its_own_prepend_sys_path_env_py_cannot_import_the_models(
    named: Project,
) -> None:
    """[alembic]'s prepend_sys_path is not the analytics section's."""
    text = named.ini.read_text()
    named.ini.write_text(text.replace("prepend_sys_path = .\npath", "path"))
    shell(commands("revisions").splitlines()[0], named.root)
    with pytest.raises(subprocess.CalledProcessError) as failed:
        shell(commands("revisions").splitlines()[1], named.root)
    assert "No module named 'app'" in failed.value.stderr


def test_a_name_without_a_section_fails_on_script_location(
    named: Project,
) -> None:
    with pytest.raises(subprocess.CalledProcessError) as failed:
        shell(commands("unknown"), named.root)
    assert failed.value.stdout == (
        "FAILED: No 'script_location' key found in configuration.\n"
    )

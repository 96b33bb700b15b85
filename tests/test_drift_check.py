"""docs/recipes/drift-check.md: `alembic check` fails on drift."""

import pytest
from alembic.config import CommandLine

from harness import Project

COMMANDS = "drift-check/commands.sh"


@pytest.fixture
def committed(project: Project) -> Project:
    """A fresh checkout: the notes' model and its migration, no database."""
    project.recipe(
        "drift-check/env.py", "basics/app", revision="create some_model"
    )
    project.db_file.unlink()
    return project


def failure(project: Project, capfd: pytest.CaptureFixture[str]) -> str:
    """Run the CI commands, which must fail: what they print."""
    project.forget_imports()
    with pytest.raises(SystemExit) as exit:
        project.run("ci", COMMANDS)
    assert exit.value.code != 0
    return capfd.readouterr().out


def test_check_passes_when_models_and_migrations_agree(
    committed: Project, capfd: pytest.CaptureFixture[str]
) -> None:
    committed.run("ci", COMMANDS)
    assert "No new upgrade operations detected." in capfd.readouterr().out


def test_check_fails_on_a_model_change_without_its_migration(
    committed: Project, capfd: pytest.CaptureFixture[str]
) -> None:
    committed.put("drift-check/models.py", "app/module/models.py")
    assert "[('add_column', None, 'some_model'" in failure(committed, capfd)


def test_check_fails_on_a_model_env_py_does_not_import(
    committed: Project, capfd: pytest.CaptureFixture[str]
) -> None:
    committed.edit_env("from app.module.models import SomeModel  # noqa: F401")
    assert "[('remove_table'" in failure(committed, capfd)


def test_check_needs_the_database_at_head_first(
    committed: Project, capfd: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        CommandLine(prog="alembic").main(["check"])
    assert "Target database is not up to date." in capfd.readouterr().out

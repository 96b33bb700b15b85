"""docs/recipes/empty-revisions.md: autogenerate writes no empty revision."""

from pathlib import Path

import pytest
from alembic import command

from harness import Project, alembic_cli

COMMANDS = "empty-revisions/commands.sh"


@pytest.fixture
def migrated(project: Project) -> Project:
    """The notes' application, at its first revision."""
    project.recipe("empty-revisions/env.py", "basics/app")
    project.run("first_migration")
    return project


def revisions(project: Project) -> list[str]:
    versions = project.root / "alembic" / "versions"
    return sorted(p.read_text() for p in versions.glob("*.py"))


def test_autogenerate_without_a_change_writes_no_revision(
    migrated: Project, capfd: pytest.CaptureFixture[str]
) -> None:
    """The command compares the models with the database, and writes nothing."""
    before = revisions(migrated)
    capfd.readouterr()
    migrated.run("autogenerate", COMMANDS)
    assert revisions(migrated) == before
    out, err = capfd.readouterr()
    assert "[alembic.runtime.migration] Context impl SQLiteImpl." in err
    assert "Generating" not in out


def test_a_change_still_gets_its_revision(migrated: Project) -> None:
    [first] = revisions(migrated)
    assert "op.create_table('some_model'" in first


def test_a_hand_written_revision_is_still_written(migrated: Project) -> None:
    migrated.run("hand_written", COMMANDS)
    assert len(revisions(migrated)) == 2


def test_from_code_there_is_no_command_line_so_it_is_written(
    migrated: Project,
) -> None:
    config = migrated.config
    assert config.cmd_opts is None
    script = command.revision(config, "from code", autogenerate=True)
    upgrade = Path(script.path).read_text().partition("def downgrade")[0]
    assert "op." not in upgrade
    assert len(revisions(migrated)) == 2


def test_alembic_check_still_runs_with_the_hook(migrated: Project) -> None:
    alembic_cli("check")

"""docs/recipes/offline-sql.md: `upgrade --sql` gives the online schema."""

import pytest
from alembic import command
from alembic.script import ScriptDirectory

from harness import Project, read_snippet, shell


@pytest.fixture
def two_revisions(project: Project) -> Project:
    """The notes' model, then a column more: two revisions, none applied."""
    project.recipe(
        "offline-sql/env.py", "basics/app", revision="create some_model"
    )
    command.upgrade(project.config, "head")
    project.put("drift-check/models.py", "app/module/models.py")
    project.forget_imports()
    command.revision(project.config, "add email", autogenerate=True)
    project.db_file.unlink()
    return project


def schema(project: Project, database: str = "") -> list[str]:
    """The SQL of every table and index, and the revision, of a SQLite file.

    The offline script indents with spaces where the online run has tabs.
    """
    with project.connect(database) as db:
        rows = db.execute("SELECT sql FROM sqlite_master ORDER BY name")
        objects = [" ".join((sql or "").split()) for (sql,) in rows]
        [(revision,)] = db.execute("SELECT * FROM alembic_version")
    return [*objects, revision]


def test_the_offline_script_gives_the_online_schema(
    two_revisions: Project,
) -> None:
    commands = read_snippet("offline-sql/commands.sh:offline")
    applied = shell(commands, two_revisions.root)
    assert not two_revisions.db_file.exists(), "--sql connected"
    [first] = ScriptDirectory.from_config(two_revisions.config).get_bases()
    assert applied.stdout == f"{first}\n", "INSERT ... RETURNING"
    command.upgrade(two_revisions.config, "head")
    offline = schema(two_revisions, "offline.sqlite")
    assert offline == schema(two_revisions)
    assert "email" in str(offline)

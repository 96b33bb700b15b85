"""docs/recipes/offline-sql.md: `upgrade --sql` gives the online schema."""

import pytest
from alembic import command

from harness import Project, captured, matches_output

COMMANDS = "offline-sql/commands.sh"
# Fixed revision ids, so that the script the page shows is the same each run.
FIRST, SECOND = "1c4f0e2b8d93", "7e2a6d0c4b15"
LAST = "5b1e9d3c7a42"


@pytest.fixture
def three_revisions(project: Project) -> Project:
    """The notes' model, then a column more, then the page's UPDATE: three
    revisions, none applied."""
    project.recipe("offline-sql/env.py", "basics/app")
    config = project.config
    command.revision(
        config, "create some_model", autogenerate=True, rev_id=FIRST
    )
    command.upgrade(config, "head")
    project.put("drift-check/models.py", "app/module/models.py")
    project.forget_imports()
    command.revision(config, "add email", autogenerate=True, rev_id=SECOND)
    project.add_revision("offline-sql/versions/default_names.py")
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
    three_revisions: Project,
) -> None:
    applied = three_revisions.run("offline", COMMANDS)
    assert not three_revisions.db_file.exists(), "--sql connected"
    assert applied == f"{FIRST}\n", "INSERT ... RETURNING"
    matches_output(
        "offline-sql/output/upgrade.sql",
        (three_revisions.root / "upgrade.sql").read_text(),
    )
    command.upgrade(three_revisions.config, "head")
    offline = schema(three_revisions, "offline.sqlite")
    assert offline == schema(three_revisions)
    assert "email" in str(offline)


def test_without_literal_binds_a_statements_values_are_placeholders(
    three_revisions: Project,
) -> None:
    """The revisions in alembic_version are written as values either way."""
    three_revisions.edit_env("        literal_binds=True,\n")
    three_revisions.run("offline", COMMANDS)
    script = captured((three_revisions.root / "upgrade.sql").read_text())
    assert "SET name=:name WHERE some_model.name IS NULL;" in script
    assert "'unnamed'" not in script
    for revision in (FIRST, SECOND, LAST):
        assert f"'{revision}'" in script

"""docs/recipes/complete-env-py.md: the recipes together, end to end."""

import logging
import subprocess

import pytest
import sqlalchemy as sa

from harness import Project, read_snippet, shell

COMMANDS = "complete-env-py/commands.sh"
OFFLINE = "offline-sql/commands.sh:offline"


@pytest.fixture
def complete(project: Project) -> Project:
    """The page's env.py, and another application's table."""
    project.recipe("complete-env-py/env.py", "several-metadata/app")
    with project.connect() as db:
        db.execute("CREATE TABLE legacy_orders (id INTEGER PRIMARY KEY)")
    return project


def test_autogenerate_upgrade_check_downgrade_leave_other_tables_alone(
    complete: Project, capfd: pytest.CaptureFixture[str]
) -> None:
    complete.run("revision", COMMANDS)
    first = complete.head_script()
    assert "op.create_table('audit_event'" in first
    assert "legacy_orders" not in first
    complete.run("upgrade", COMMANDS)
    assert complete.tables() == {"account", "audit_event", "legacy_orders"}
    complete.run("revision", COMMANDS)
    assert complete.head_script() == first, "an empty revision"
    complete.run("check", COMMANDS)
    assert "No new upgrade operations detected." in capfd.readouterr().out
    complete.run("downgrade", COMMANDS)
    assert complete.tables() == {"legacy_orders"}


def test_a_shared_connection_an_x_url_and_loggers_kept(
    complete: Project,
) -> None:
    app_logger = logging.getLogger("app.startup")
    complete.run("revision", COMMANDS)
    complete.put("shared-connection/migrate.py", "app/migrate.py")
    upgrade = complete.load("app.migrate").upgrade
    engine = sa.create_engine("sqlite://")
    with engine.connect() as connection:
        upgrade(connection)
        assert "audit_event" in sa.inspect(connection).get_table_names()
    engine.dispose()
    complete.run("other_database", "x-arguments/commands.sh")
    assert {"account", "audit_event"} <= complete.tables("other.sqlite")
    assert complete.tables() == {"legacy_orders"}
    assert not app_logger.disabled


def longer_email(project: Project) -> None:
    """Lengthen account.email in the models, and autogenerate the change."""
    accounts = project.root / "app" / "models" / "accounts.py"
    accounts.write_text(accounts.read_text().replace("(100)", "(200)"))
    project.forget_imports()
    project.run("revision", COMMANDS)


def test_batch_mode_changes_a_column_and_keeps_its_rows(
    complete: Project,
) -> None:
    complete.run("revision", COMMANDS)
    complete.run("upgrade", COMMANDS)
    with complete.connect() as db:
        db.execute("INSERT INTO account VALUES (1, 'ada@example.com')")
    longer_email(complete)
    assert "with op.batch_alter_table('account'" in complete.head_script()
    complete.run("upgrade", COMMANDS)
    with complete.connect() as db:
        assert db.execute("SELECT * FROM account").fetchall() == [
            (1, "ada@example.com")
        ]
        [sql] = db.execute(
            "SELECT sql FROM sqlite_master WHERE name='account'"
        )
        assert "VARCHAR(200)" in sql[0]


def test_sql_cannot_write_a_batch_change_that_reflects_the_table(
    complete: Project,
) -> None:
    complete.run("revision", COMMANDS)
    complete.run("upgrade", COMMANDS)
    longer_email(complete)
    with pytest.raises(subprocess.CalledProcessError) as failure:
        shell(read_snippet(OFFLINE), complete.root)
    assert (
        "This operation cannot proceed in --sql mode; batch mode"
        " with dialect sqlite requires a live database connection with which"
        ' to reflect the table "account".'
    ) in failure.value.stderr


def test_sql_writes_a_batch_change_given_the_table_in_copy_from(
    complete: Project,
) -> None:
    complete.run("revision", COMMANDS)
    complete.add_revision("complete-env-py/versions/longer_email.py")
    shell(read_snippet(OFFLINE), complete.root)
    email = "SELECT type FROM pragma_table_info('account') WHERE name='email'"
    with complete.connect("offline.sqlite") as db:
        assert db.execute(email).fetchall() == [("VARCHAR(200)",)]
        assert db.execute("SELECT * FROM alembic_version").fetchall() == [
            ("4c1e7a9b3d58",)
        ]
    complete.run("upgrade", COMMANDS)
    with complete.connect() as db:
        assert db.execute(email).fetchall() == [("VARCHAR(200)",)]
    complete.run("downgrade", COMMANDS)
    assert complete.tables() == {"legacy_orders"}

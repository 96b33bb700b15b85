"""docs/recipes/complete-env-py.md: the recipes together, end to end."""

import logging

import pytest
import sqlalchemy as sa

from harness import Project

COMMANDS = "complete-env-py/commands.sh"


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


def test_batch_mode_changes_a_column_and_keeps_its_rows(
    complete: Project,
) -> None:
    complete.run("revision", COMMANDS)
    complete.run("upgrade", COMMANDS)
    with complete.connect() as db:
        db.execute("INSERT INTO account VALUES (1, 'ada@example.com')")
    accounts = complete.root / "app" / "models" / "accounts.py"
    accounts.write_text(accounts.read_text().replace("(100)", "(200)"))
    complete.forget_imports()
    complete.run("revision", COMMANDS)
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

"""docs/recipes/batch-mode.md: changes on SQLite that keep every row."""

import sqlite3

import pytest
import sqlalchemy as sa
from alembic import command

from harness import Project

COMMANDS = "batch-mode/commands.sh"
ROWS = [(1, "ada@example.com"), (2, "alan@example.com"), (3, "grace@x.org")]


@pytest.fixture
def accounts(project: Project) -> Project:
    """Accounts with rows, and the page's change to the model."""
    project.recipe(
        "batch-mode/env.py", "naming-convention/app", revision="accounts"
    )
    command.upgrade(project.config, "head")
    with project.connect() as db:
        db.executemany("INSERT INTO account VALUES (?, ?)", ROWS)
    project.put("batch-mode/models.py", "app/models.py")
    project.forget_imports()
    return project


def rows(project: Project) -> list[tuple[int, str]]:
    with project.connect() as db:
        return db.execute("SELECT * FROM account ORDER BY id").fetchall()


def email_column(project: Project) -> tuple[str, list[str]]:
    """The email column's type, and the unique constraints of its table."""
    engine = sa.create_engine(f"sqlite:///{project.db_file}")
    inspector = sa.inspect(engine)
    columns = {c["name"]: c for c in inspector.get_columns("account")}
    uniques = [u["name"] for u in inspector.get_unique_constraints("account")]
    engine.dispose()
    return str(columns["email"]["type"]), uniques


def test_batch_mode_keeps_every_row_through_upgrade_and_downgrade(
    accounts: Project,
) -> None:
    accounts.run("upgrade", COMMANDS)
    assert "with op.batch_alter_table('account'" in accounts.head_script()
    assert email_column(accounts) == ("VARCHAR(100)", ["uq_account_email"])
    assert rows(accounts) == ROWS
    accounts.run("downgrade", COMMANDS)
    assert email_column(accounts) == ("VARCHAR(50)", [])
    assert rows(accounts) == ROWS


def test_the_new_constraint_holds_after_the_upgrade(accounts: Project) -> None:
    accounts.run("upgrade", COMMANDS)
    with (
        pytest.raises(sqlite3.IntegrityError, match="UNIQUE"),
        accounts.connect() as db,
    ):
        db.execute("INSERT INTO account VALUES (4, 'ada@example.com')")


def test_without_batch_mode_sqlite_cannot_alter_the_column(
    accounts: Project,
) -> None:
    accounts.edit_env("render_as_batch=True,")
    with pytest.raises(sa.exc.OperationalError, match='near "ALTER": syntax'):
        accounts.run("upgrade", COMMANDS)
    assert "op.alter_column('account', 'email'" in accounts.head_script()
    assert rows(accounts) == ROWS

"""docs/recipes/concurrent-indexes.md: CREATE and DROP INDEX CONCURRENTLY
in an autocommit block, on the session's PostgreSQL server."""

import pytest
import sqlalchemy as sa

from harness import (
    Postgres,
    Project,
    finished,
    installed_as_claimed,
    packages_tested_with,
    read_snippet,
    started,
    waits_for_a_lock,
)

COMMANDS = "concurrent-indexes/commands.sh"
MIGRATION = "concurrent-indexes/versions/email_index.py"
DROP_INVALID = "concurrent-indexes/drop_invalid.sql"
BLOCK = "with op.get_context().autocommit_block():"
# The account table, with rows, two of which share an email address.
ACCOUNTS = """
op.create_table(
    "account",
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("email", sa.String(100)),
)
op.execute(
    "INSERT INTO account (email) VALUES"
    " ('ada@example.com'), ('alan@example.com'), ('ada@example.com')"
)
"""


@pytest.fixture
def url(project: Project, postgres: Postgres) -> str:
    """A database of its own for the project, whose env.py is the one
    `alembic init` wrote: a whole upgrade in one transaction."""
    url = postgres.fresh_url("concurrent_indexes")
    project.set_url(url)
    return url


@pytest.fixture
def accounts(project: Project, url: str) -> str:
    """The account table's revision, not applied: its id."""
    return project.write_revision("accounts", ACCOUNTS)


def indexes(postgres: Postgres, url: str) -> dict[str, bool]:
    """Each index of the account table but its primary key's: whether it is
    valid (a failed concurrent build leaves an invalid one behind)."""
    with postgres.connect(url) as db:
        rows = db.execute(
            sa.text(
                "SELECT relname, indisvalid FROM pg_index"
                " JOIN pg_class ON pg_class.oid = indexrelid"
                " WHERE indrelid = 'account'::regclass AND NOT indisprimary"
            )
        )
        return {name: valid for name, valid in rows}


def test_the_index_is_built_and_dropped_concurrently(
    project: Project, postgres: Postgres, url: str, accounts: str
) -> None:
    project.add_revision(MIGRATION)
    project.run("upgrade", COMMANDS)
    assert indexes(postgres, url) == {"ix_account_email": True}
    assert postgres.versions(url) == ["3e8a5c1f7b20"]
    project.run("downgrade", COMMANDS)
    assert indexes(postgres, url) == {}
    assert postgres.versions(url) == [accounts]


def in_the_transaction(function: str) -> str:
    """The page's migration, one function's statements run in the
    migration's transaction: its autocommit block made a plain block."""
    script = read_snippet(MIGRATION)
    start = script.index(f"def {function}()")
    block = script.index(BLOCK, start)
    return script[:block] + "if True:" + script[block + len(BLOCK) :]


def test_in_the_migrations_transaction_create_index_concurrently_fails(
    project: Project, postgres: Postgres, url: str, accounts: str
) -> None:
    project.add_revision(MIGRATION, in_the_transaction("upgrade"))
    with pytest.raises(
        sa.exc.InternalError,
        match=r"\(psycopg.errors.ActiveSqlTransaction\) CREATE INDEX"
        " CONCURRENTLY cannot run inside a transaction block",
    ):
        project.run("upgrade", COMMANDS)
    assert postgres.tables(sa.make_url(url).database) == set()


def test_in_the_migrations_transaction_drop_index_concurrently_fails(
    project: Project, postgres: Postgres, url: str, accounts: str
) -> None:
    project.add_revision(MIGRATION, in_the_transaction("downgrade"))
    project.run("upgrade", COMMANDS)
    with pytest.raises(
        sa.exc.InternalError,
        match=r"\(psycopg.errors.ActiveSqlTransaction\) DROP INDEX"
        " CONCURRENTLY cannot run inside a transaction block",
    ):
        project.run("downgrade", COMMANDS)
    assert indexes(postgres, url) == {"ix_account_email": True}
    assert postgres.versions(url) == ["3e8a5c1f7b20"]


@pytest.mark.parametrize("concurrently", [True, False])
def test_writes_go_on_while_the_index_waits_for_a_long_transaction(
    project: Project,
    postgres: Postgres,
    url: str,
    accounts: str,
    concurrently: bool,
) -> None:
    """A transaction that wrote a row is open: both builds wait for it.
    Meanwhile the application's INSERT goes on with CONCURRENTLY; without,
    it waits behind the build (here until its lock_timeout of 1 s)."""
    script = read_snippet(MIGRATION)
    if not concurrently:
        script = script.replace("concurrently=True", "concurrently=False", 1)
    project.run("upgrade", COMMANDS)
    project.add_revision(MIGRATION, script)
    insert = sa.text("INSERT INTO account (email) VALUES ('grace@x.org')")
    with postgres.connect(url) as writer:
        writer.execute(insert)
        upgrade = read_snippet(f"{COMMANDS}:upgrade")
        with started(upgrade, project.root) as running:
            postgres.wait_for(url, waits_for_a_lock("CREATE INDEX"), running)
            with postgres.connect(url) as application:
                application.execute(sa.text("SET lock_timeout = '1s'"))
                if concurrently:
                    application.execute(insert)
                    application.commit()
                else:
                    with pytest.raises(
                        sa.exc.OperationalError,
                        match="canceling statement due to lock timeout",
                    ):
                        application.execute(insert)
            writer.commit()
            assert finished(running)[0] == 0
    assert indexes(postgres, url) == {"ix_account_email": True}


def test_the_build_waits_for_a_long_transaction_within_lock_timeout(
    project: Project, postgres: Postgres, url: str, accounts: str
) -> None:
    """safe-upgrades' env.py: past its lock_timeout, the build fails and
    leaves its index behind, invalid, which the next try stops on; dropped,
    the upgrade runs again."""
    project.add_env("safe-upgrades/env.py")
    project.run("upgrade", COMMANDS)
    project.add_revision(MIGRATION)
    with postgres.connect(url) as writer:
        writer.execute(sa.text("UPDATE account SET email = lower(email)"))
        with pytest.raises(
            sa.exc.OperationalError,
            match="canceling statement due to lock timeout",
        ):
            project.run("upgrade", COMMANDS)
    assert indexes(postgres, url) == {"ix_account_email": False}
    with pytest.raises(
        sa.exc.ProgrammingError,
        match='relation "ix_account_email" already exists',
    ):
        project.run("upgrade", COMMANDS)
    with postgres.connect(url) as db:
        autocommit = db.execution_options(isolation_level="AUTOCOMMIT")
        autocommit.execute(sa.text(read_snippet(DROP_INVALID)))
    project.run("upgrade", COMMANDS)
    assert indexes(postgres, url) == {"ix_account_email": True}


# A migration that adds a column, then builds a unique index on email,
# which fails: two accounts share an address.
COLUMN_THEN_UNIQUE_INDEX = """
op.add_column("account", sa.Column("login", sa.String(50)))
with op.get_context().autocommit_block():
    op.create_index(
        "ix_account_email",
        "account",
        ["email"],
        unique=True,
        postgresql_concurrently=True,
    )
"""


def test_the_block_commits_its_migrations_work_before_it(
    project: Project, postgres: Postgres, url: str, accounts: str
) -> None:
    """With a transaction per migration (safe-upgrades' env.py): the new
    column stays, though alembic_version says that its migration did not
    run, and the next try stops at it."""
    project.add_env("safe-upgrades/env.py")
    project.run("upgrade", COMMANDS)
    project.write_revision("login", COLUMN_THEN_UNIQUE_INDEX)
    with pytest.raises(
        sa.exc.IntegrityError,
        match=r"\(psycopg.errors.UniqueViolation\) could not create unique"
        ' index "ix_account_email"',
    ):
        project.run("upgrade", COMMANDS)
    assert postgres.columns(url, "account") == ["id", "email", "login"]
    assert postgres.versions(url) == [accounts]
    assert indexes(postgres, url) == {"ix_account_email": False}
    with pytest.raises(
        sa.exc.ProgrammingError,
        match=r'\(psycopg.errors.DuplicateColumn\) column "login" of'
        ' relation "account" already exists',
    ):
        project.run("upgrade", COMMANDS)


REQUIRED_NAME = """
op.add_column("account", sa.Column("name", sa.String(50), nullable=False))
"""


def test_in_one_transaction_a_later_failure_rolls_back_the_index_stamp(
    project: Project, postgres: Postgres, url: str, accounts: str
) -> None:
    """A later migration of the same upgrade fails: the block committed
    the accounts and the index, but the index's revision is stamped after
    the block, in the transaction that rolls back; the next try builds
    the index again."""
    project.add_revision(MIGRATION)
    project.write_revision("required name", REQUIRED_NAME)
    with pytest.raises(sa.exc.IntegrityError, match="contains null values"):
        project.run("upgrade", COMMANDS)
    assert indexes(postgres, url) == {"ix_account_email": True}
    assert postgres.versions(url) == [accounts]
    with pytest.raises(
        sa.exc.ProgrammingError,
        match=r'\(psycopg.errors.DuplicateTable\) relation "ix_account_email"'
        " already exists",
    ):
        project.run("upgrade", COMMANDS)


def test_with_a_transaction_per_migration_the_index_stays_stamped(
    project: Project, postgres: Postgres, url: str, accounts: str
) -> None:
    project.add_env("safe-upgrades/env.py")
    project.add_revision(MIGRATION)
    project.write_revision("required name", REQUIRED_NAME)
    with pytest.raises(sa.exc.IntegrityError, match="contains null values"):
        project.run("upgrade", COMMANDS)
    assert indexes(postgres, url) == {"ix_account_email": True}
    assert postgres.versions(url) == ["3e8a5c1f7b20"]


def test_the_install_line_names_the_packages_the_page_is_tested_with() -> None:
    requirements = installed_as_claimed(f"{COMMANDS}:install")
    names = {requirement.name for requirement in requirements}
    assert names == packages_tested_with("recipes/concurrent-indexes")

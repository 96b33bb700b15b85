"""docs/recipes/non-transactional-ddl.md: on MariaDB, a migration that fails
half-way keeps what ran before the failure; how to recover, and how to
write migrations that recover."""

import itertools
import re
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.ddl.impl import DefaultImpl
from alembic.ddl.mysql import MySQLImpl
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext

from harness import (
    MariaDB,
    Postgres,
    Project,
    installed_as_claimed,
    matches_output,
    packages_tested_with,
    read_snippet,
)

SCRIPT = "non-transactional-ddl/commands.sh"
VERSIONS = "non-transactional-ddl/versions"
OUTPUT = "non-transactional-ddl/output/upgrade.sql"
# The revisions' ids, as the page's commands name them.
ACCOUNT, AUDIT_AND_NAMES = "1c0a5e7b3d92", "5d1a7c3e9b20"
AUDIT, NAMES = "2b7e9d4f6a18", "8e2b4f6a1c37"
# What the failing statement and a rerun stop with, on MariaDB.
DUPLICATE = "(1062, \"Duplicate entry 'ada' for key 'uq_account_name'\")"
EXISTS = "(1050, \"Table 'audit' already exists\")"
# What it stops with on PostgreSQL.
PG_DUPLICATE = 'could not create unique index "uq_account_name"'
# What a guarded drop_constraint stops with, on MariaDB.
CANNOT_DROP = re.escape("(1091, \"Can't DROP INDEX `uq_account_id`; check")
# The tables but Alembic's, as Accounts.schema describes them: before the
# revision that fails, after its failure, and after it.
ACCOUNT_COLUMNS = {"id": (int, None, False), "name": (str, 50, False)}
AUDIT_TABLE = {
    "columns": {"id": (int, None, False), "account_id": (int, None, False)},
    "primary_key": ["id"],
    "indexes": set(),
}
BEFORE = {
    "account": {
        "columns": ACCOUNT_COLUMNS,
        "primary_key": ["id"],
        "indexes": set(),
    }
}
HALF_WAY = {**BEFORE, "audit": AUDIT_TABLE}
AFTER = {
    "account": {**BEFORE["account"], "indexes": {"uq_account_name"}},
    "audit": AUDIT_TABLE,
}
# Names of the databases (and users) of the tests.
NAMES_OF_DATABASES = (f"accounts_{n}" for n in itertools.count())


class Accounts:
    """A project on a server's database of its own: the account table,
    migrated, with two accounts of the same name."""

    def __init__(self, project: Project, server: Postgres | MariaDB) -> None:
        self.project = project
        self.url = server.url(next(NAMES_OF_DATABASES))
        project.set_url(self.url)
        project.put(
            f"{VERSIONS}/create_account.py",
            f"alembic/versions/{ACCOUNT}_create_account.py",
        )
        command.upgrade(project.config, "head")
        self.execute(
            "INSERT INTO account (id, name) VALUES"
            " (1, 'ada'), (2, 'ada'), (3, 'grace')"
        )

    def execute(self, sql: str) -> None:
        engine = sa.create_engine(self.url, poolclass=sa.NullPool)
        with engine.begin() as connection:
            connection.execute(sa.text(sql))

    def version(self) -> str:
        engine = sa.create_engine(self.url, poolclass=sa.NullPool)
        with engine.connect() as connection:
            return MigrationContext.configure(
                connection
            ).get_current_revision()

    def schema(self) -> dict[str, dict]:
        """Each table but Alembic's: each column's Python type, length and
        nullability, the primary key, and the names of its indexes (unique
        constraints among them)."""
        engine = sa.create_engine(self.url, poolclass=sa.NullPool)
        inspector = sa.inspect(engine)
        return {
            table: {
                "columns": {
                    c["name"]: (
                        c["type"].python_type,
                        getattr(c["type"], "length", None),
                        c["nullable"],
                    )
                    for c in inspector.get_columns(table)
                },
                "primary_key": inspector.get_pk_constraint(table)[
                    "constrained_columns"
                ],
                "indexes": {i["name"] for i in inspector.get_indexes(table)},
            }
            for table in inspector.get_table_names()
            if table != "alembic_version"
        }

    def add(self, *names: str) -> None:
        """Revisions of the page, after the head, in turn."""
        for name in names:
            self.project.add_revision(f"{VERSIONS}/{name}.py")

    def upgrade(self) -> None:
        self.project.run("upgrade", SCRIPT)

    def fails(self, message: str = DUPLICATE) -> None:
        """The page's upgrade stops on the duplicate names."""
        with pytest.raises(sa.exc.IntegrityError, match=re.escape(message)):
            self.upgrade()

    def rename_the_second_ada(self) -> None:
        """Make the names unique, as a reader fixes the data."""
        self.execute("UPDATE account SET name = 'ada lovelace' WHERE id = 2")


@pytest.fixture(params=["mariadb"])
def accounts(request: pytest.FixtureRequest, project: Project) -> Accounts:
    """On MariaDB, unless a test asks for "postgres" indirectly."""
    return Accounts(project, request.getfixturevalue(request.param))


def test_a_migration_that_fails_half_way_keeps_its_first_statement(
    accounts: Accounts, capfd: pytest.CaptureFixture[str]
) -> None:
    """audit stays, the failed statement does not, alembic_version does not
    move; a rerun stops at the first statement."""
    accounts.add("audit_unique_names")
    capfd.readouterr()
    accounts.fails()
    assert "Will assume non-transactional DDL." in capfd.readouterr().err
    assert accounts.schema() == HALF_WAY
    assert accounts.version() == ACCOUNT
    with pytest.raises(sa.exc.OperationalError, match=re.escape(EXISTS)):
        accounts.upgrade()
    assert accounts.version() == ACCOUNT


@pytest.mark.parametrize("accounts", ["postgres"], indirect=True)
def test_on_postgresql_the_same_migration_leaves_nothing_behind(
    accounts: Accounts,
) -> None:
    """A rerun stops where the first run did."""
    accounts.add("audit_unique_names")
    for _ in range(2):
        accounts.fails(PG_DUPLICATE)
        assert accounts.schema() == BEFORE
        assert accounts.version() == ACCOUNT


@pytest.mark.parametrize("url", ["mysql+pymysql://", "mariadb+pymysql://"])
def test_alembic_runs_mysql_and_mariadb_without_transactional_ddl(
    url: str,
) -> None:
    """MySQL's implementation, or MariaDB's, which is made from it."""
    impl = DefaultImpl.get_by_dialect(sa.make_url(url).get_dialect()())
    assert issubclass(impl, MySQLImpl)
    assert impl.transactional_ddl is False


def test_the_sql_of_the_failed_revision_is_printed_not_run(
    accounts: Accounts, capfd: pytest.CaptureFixture[str]
) -> None:
    accounts.add("audit_unique_names")
    capfd.readouterr()
    accounts.project.run("sql", SCRIPT)
    matches_output(OUTPUT, capfd.readouterr().out)
    assert accounts.version() == ACCOUNT
    assert accounts.schema() == BEFORE


def test_undone_by_hand_the_revision_runs_again(accounts: Accounts) -> None:
    accounts.add("audit_unique_names")
    accounts.fails()
    accounts.execute("DROP TABLE audit")
    accounts.rename_the_second_ada()
    accounts.upgrade()
    assert accounts.version() == AUDIT_AND_NAMES
    assert accounts.schema() == AFTER


def test_finished_by_hand_the_revision_is_stamped(accounts: Accounts) -> None:
    """The statement that did not run, from the page's --sql output; stamp
    writes alembic_version only, and the revision's downgrade then works."""
    accounts.add("audit_unique_names")
    accounts.fails()
    accounts.rename_the_second_ada()
    [alter] = [
        line
        for line in read_snippet(OUTPUT).splitlines()
        if line.startswith("ALTER TABLE")
    ]
    accounts.execute(alter)
    assert accounts.schema() == AFTER
    accounts.project.run("stamp", SCRIPT)
    assert accounts.version() == AUDIT_AND_NAMES
    assert accounts.schema() == AFTER
    accounts.upgrade()
    command.downgrade(accounts.project.config, "-1")
    assert accounts.schema() == BEFORE


def test_with_one_ddl_step_per_migration_the_version_matches_the_schema(
    accounts: Accounts,
) -> None:
    """The failed migration's one statement did not run: fix the data, and
    upgrade again."""
    accounts.add("create_audit", "unique_names")
    accounts.fails()
    assert accounts.version() == AUDIT
    assert accounts.schema() == HALF_WAY
    accounts.rename_the_second_ada()
    accounts.upgrade()
    assert accounts.version() == NAMES
    assert accounts.schema() == AFTER


@pytest.mark.parametrize(
    ("accounts", "per_migration", "version", "schema"),
    [
        ("mariadb", False, AUDIT, HALF_WAY),
        ("mariadb", True, AUDIT, HALF_WAY),
        ("postgres", False, ACCOUNT, BEFORE),
        ("postgres", True, AUDIT, HALF_WAY),
    ],
    indirect=["accounts"],
)
def test_transaction_per_migration_changes_what_stays_on_postgresql_only(
    accounts: Accounts,
    per_migration: bool,
    version: str,
    schema: dict[str, set[str]],
) -> None:
    """Two pending revisions, the second of which fails."""
    if per_migration:
        accounts.project.add_env("non-transactional-ddl/env.py")
    accounts.add("create_audit", "unique_names")
    with pytest.raises(sa.exc.IntegrityError):
        accounts.upgrade()
    assert accounts.version() == version
    assert accounts.schema() == schema


def test_a_guarded_revision_runs_again_after_its_failure(
    accounts: Accounts, capfd: pytest.CaptureFixture[str]
) -> None:
    """CREATE TABLE IF NOT EXISTS: the rerun skips the table the failed run
    created, and stops at the duplicate names again, until they are
    fixed."""
    accounts.add("audit_unique_names_guarded")
    capfd.readouterr()
    accounts.project.run("sql", SCRIPT)
    assert "\nCREATE TABLE IF NOT EXISTS audit (\n" in capfd.readouterr().out
    accounts.fails()
    assert accounts.schema() == HALF_WAY
    accounts.fails()
    accounts.rename_the_second_ada()
    accounts.upgrade()
    assert accounts.version() == AUDIT_AND_NAMES
    assert accounts.schema() == AFTER


# Each guard the page names, on an operation that runs against account.
GUARDS: dict[str, Callable[[Operations], None]] = {
    "add_column": lambda op: op.add_column(
        "account", sa.Column("email", sa.String(100)), if_not_exists=True
    ),
    "create_index": lambda op: op.create_index(
        "ix_account_name", "account", ["name"], if_not_exists=True
    ),
    "drop_index": lambda op: op.drop_index(
        "ix_account_name", "account", if_exists=True
    ),
    "drop_column": lambda op: op.drop_column(
        "account", "email", if_exists=True
    ),
    "drop_table": lambda op: op.drop_table("account", if_exists=True),
}


def test_each_guard_lets_mariadb_run_its_operation_twice(
    accounts: Accounts,
) -> None:
    """In the page's order: each makes what the one before undid."""
    engine = sa.create_engine(accounts.url, poolclass=sa.NullPool)
    with engine.connect() as connection:
        op = Operations(MigrationContext.configure(connection))
        for guarded in GUARDS.values():
            guarded(op)
            guarded(op)
    assert accounts.schema() == {}


def test_drop_constraints_if_exists_does_not_reach_mariadb(
    accounts: Accounts,
) -> None:
    engine = sa.create_engine(accounts.url, poolclass=sa.NullPool)
    with engine.connect() as connection:
        op = Operations(MigrationContext.configure(connection))
        op.create_unique_constraint("uq_account_id", "account", ["id"])
        op.drop_constraint("uq_account_id", "account", type_="unique")
        with pytest.raises(sa.exc.OperationalError, match=CANNOT_DROP):
            op.drop_constraint(
                "uq_account_id", "account", type_="unique", if_exists=True
            )


def test_the_install_line_names_the_packages_the_page_is_tested_with() -> None:
    requirements = installed_as_claimed(f"{SCRIPT}:install")
    names = {requirement.name for requirement in requirements}
    assert names == packages_tested_with("recipes/non-transactional-ddl")

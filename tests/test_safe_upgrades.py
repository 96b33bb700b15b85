"""docs/recipes/safe-upgrades.md: timeouts, one upgrade at a time, and a
transaction per migration, on the session's PostgreSQL server."""

import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from harness import (
    Activity,
    Postgres,
    Project,
    finished,
    installed_as_claimed,
    packages_tested_with,
    read_snippet,
    shell,
    started,
    waits_for_a_lock,
)

COMMANDS = "safe-upgrades/commands.sh"
LOCK = """        connection.execute(text("SELECT pg_advisory_lock(7403118)"))\n"""
LOCK_TIMEOUT = (
    """        connection.execute(text("SET lock_timeout = '5s'"))\n"""
)
COMMIT = "        connection.commit()\n"

# Migrations the tests write by hand: a table with a row, then changes to it.
ACCOUNTS = """
op.create_table("account", sa.Column("id", sa.Integer, primary_key=True))
op.execute("INSERT INTO account VALUES (1)")
"""
ADD_EMAIL = 'op.add_column("account", sa.Column("email", sa.String(100)))'
# Fails: the row holds NULL in the new column.
ADD_REQUIRED_NAME = """
op.add_column(
    "account", sa.Column("name", sa.String(50), nullable=False)
)
"""


@pytest.fixture
def url(project: Project, postgres: Postgres) -> str:
    """The page's env.py in a new project, on a database of its own."""
    project.add_env("safe-upgrades/env.py")
    url = postgres.fresh_url("safe_upgrades")
    project.set_url(url)
    return url


@pytest.fixture
def accounts(project: Project, url: str) -> str:
    """The account table migrated, and a revision adding a column to it,
    not applied: the id of the revision applied."""
    applied = project.write_revision("accounts", ACCOUNTS)
    command.upgrade(project.config, "head")
    project.write_revision("email", ADD_EMAIL)
    return applied


def test_a_migration_gives_up_on_a_lock_after_lock_timeout(
    project: Project, postgres: Postgres, url: str, accounts: str
) -> None:
    """A transaction that read the table holds a lock that ALTER TABLE
    waits for: the upgrade fails after 5 s, and changes nothing; run
    again once the transaction is over, it migrates."""
    with postgres.connect(url) as reader:
        reader.execute(sa.text("SELECT * FROM account"))
        with pytest.raises(
            sa.exc.OperationalError,
            match=r"\(psycopg.errors.LockNotAvailable\) canceling statement"
            " due to lock timeout",
        ):
            project.run("upgrade", COMMANDS)
        assert postgres.columns(url, "account") == ["id"]
        assert postgres.versions(url) == [accounts]
    project.run("upgrade", COMMANDS)
    assert postgres.columns(url, "account") == ["id", "email"]


def test_without_lock_timeout_the_tables_queries_queue_behind_the_wait(
    project: Project, postgres: Postgres, url: str, accounts: str
) -> None:
    """The ALTER TABLE waits as long as the reader's transaction lasts, and
    a new SELECT of the table waits behind it (here until its own
    lock_timeout of 1 s); the upgrade ends once the reader's ends."""
    project.edit_env(LOCK_TIMEOUT)
    with postgres.connect(url) as reader:
        reader.execute(sa.text("SELECT * FROM account"))
        upgrade = read_snippet(f"{COMMANDS}:upgrade")
        with started(upgrade, project.root) as running:
            postgres.wait_for(url, waits_for_a_lock("ALTER TABLE"), running)
            with postgres.connect(url) as application:
                application.execute(sa.text("SET lock_timeout = '1s'"))
                with pytest.raises(
                    sa.exc.OperationalError,
                    match="canceling statement due to lock timeout",
                ):
                    application.execute(sa.text("SELECT * FROM account"))
            reader.commit()
            assert finished(running)[0] == 0
    assert postgres.columns(url, "account") == ["id", "email"]


def test_every_migration_runs_with_the_pages_timeouts(
    project: Project, postgres: Postgres, url: str
) -> None:
    project.write_revision(
        "settings",
        """
        op.execute(
            "CREATE TABLE settings AS SELECT"
            " current_setting('lock_timeout') AS lock_timeout,"
            " current_setting('statement_timeout') AS statement_timeout"
        )
        """,
    )
    project.run("upgrade", COMMANDS)
    with postgres.connect(url) as db:
        rows = db.execute(sa.text("SELECT * FROM settings")).all()
    assert rows == [("5s", "10min")]


def test_a_statement_longer_than_statement_timeout_is_cancelled(
    project: Project, postgres: Postgres, url: str
) -> None:
    """With 1 s in place of the page's 10 min, to be quick."""
    project.edit_env("'10min'", "'1s'")
    project.write_revision("slow", 'op.execute("SELECT pg_sleep(3)")')
    with pytest.raises(
        sa.exc.OperationalError,
        match=r"\(psycopg.errors.QueryCanceled\) canceling statement due to"
        " statement timeout",
    ):
        project.run("upgrade", COMMANDS)
    assert postgres.versions(url) is None


# Two upgrades at once. The first revision makes a log table, which each
# later revision writes its name into, and a gate that holds the first of
# them until the test opens it.
LOG = """
op.execute("CREATE TABLE migration_log (revision text)")
op.execute("CREATE TABLE gate AS SELECT false AS open")
"""
GATE = "SELECT open FROM gate"
HELD = f"""
import time

op.execute("INSERT INTO migration_log VALUES ('held')")
while not op.get_bind().scalar(sa.text("{GATE}")):
    time.sleep(0.1)
"""
# The same, its row written in an autocommit block: outside its transaction.
HELD_AUTOCOMMIT = HELD.replace(
    """op.execute("INSERT INTO migration_log VALUES ('held')")""",
    """with op.get_context().autocommit_block():
    op.execute("INSERT INTO migration_log VALUES ('held')")""",
)
AFTER = """op.execute("INSERT INTO migration_log VALUES ('after')")"""


def stuck(session: Activity) -> bool:
    """Whether an upgrade's session waits: at the gate, or for a lock."""
    return session.query == GATE or session.lock != ""


def upgrade_twice(
    project: Project,
    postgres: Postgres,
    url: str,
    held: str = HELD,
    hold_for: float = 0,
) -> tuple[list[tuple[int, str]], dict[str, int]]:
    """Two `alembic upgrade head` at once from the log table's revision,
    let go once both are stuck (and `hold_for` seconds more): each one's
    exit status and output, the successful first, and how many times each
    revision wrote its row."""
    project.write_revision("log", LOG)
    command.upgrade(project.config, "head")
    project.write_revision("held", held)
    project.write_revision("after", AFTER)
    upgrade = read_snippet(f"{COMMANDS}:upgrade")
    with (
        started(upgrade, project.root) as first,
        started(upgrade, project.root) as second,
    ):
        postgres.wait_for(
            url, lambda sessions: sum(map(stuck, sessions)) == 2, first, second
        )
        time.sleep(hold_for)
        open_gate(postgres, url)
        results = sorted([finished(first), finished(second)])
    with postgres.connect(url) as db:
        log = db.execute(
            sa.text("SELECT revision, count(*) FROM migration_log GROUP BY 1")
        )
        return results, {revision: count for revision, count in log}


def open_gate(postgres: Postgres, url: str) -> None:
    """Let the held revision go on."""
    with postgres.connect(url) as db:
        db.execute(sa.text("UPDATE gate SET open = true"))
        db.commit()


def head(project: Project) -> list[str]:
    """The head revision, as alembic_version holds it."""
    return [ScriptDirectory.from_config(project.config).get_current_head()]


def test_two_upgrades_at_once_run_each_migration_once(
    project: Project, postgres: Postgres, url: str
) -> None:
    """The second waits for the advisory lock, then finds nothing to do."""
    results, log = upgrade_twice(project, postgres, url)
    assert [code for code, _ in results] == [0, 0]
    ran = sorted(output.count("Running upgrade") for _, output in results)
    assert ran == [0, 2]
    assert log == {"held": 1, "after": 1}
    assert postgres.versions(url) == head(project)


def test_without_the_lock_both_run_a_migration_and_one_fails(
    project: Project, postgres: Postgres, url: str
) -> None:
    """Both run the held revision; the second to stamp it finds
    alembic_version moved on, and its transaction, its row too, rolls
    back."""
    project.edit_env(LOCK)
    results, log = upgrade_twice(project, postgres, url)
    (ok, _), (failed, output) = results
    assert ok == 0
    assert failed != 0
    assert output.count("Running upgrade") == 1
    assert "FAILED: Online migration expected to match one row when" in output
    assert log == {"held": 1, "after": 1}
    assert postgres.versions(url) == head(project)


def test_without_the_lock_what_a_migration_commits_itself_is_done_twice(
    project: Project, postgres: Postgres, url: str
) -> None:
    project.edit_env(LOCK)
    results, log = upgrade_twice(project, postgres, url, HELD_AUTOCOMMIT)
    assert [code == 0 for code, _ in results] == [True, False]
    assert log == {"held": 2, "after": 1}


@pytest.mark.parametrize("lock_first", [True, False])
def test_the_second_upgrade_waits_for_the_lock_past_lock_timeout(
    project: Project, postgres: Postgres, url: str, lock_first: bool
) -> None:
    """With lock_timeout at 2 s, to be quick, and the first upgrade held
    for 3 s more: the page takes the lock before it sets lock_timeout, and
    the second upgrade waits for the first; set first, it ends that wait."""
    project.edit_env(LOCK_TIMEOUT, LOCK_TIMEOUT.replace("'5s'", "'2s'"))
    if not lock_first:
        project.edit_env(LOCK)
        project.edit_env(COMMIT, LOCK + COMMIT)
    results, log = upgrade_twice(project, postgres, url, hold_for=3)
    assert log == {"held": 1, "after": 1}
    if lock_first:
        assert [code for code, _ in results] == [0, 0]
    else:
        (ok, _), (failed, output) = results
        assert ok == 0
        assert failed != 0
        assert "canceling statement due to lock timeout" in output


def fail_to_upgrade(project: Project) -> None:
    """Three revisions; the upgrade stops at the third, which adds a
    required column to a table with a row."""
    for message, body in [
        ("accounts", ACCOUNTS),
        ("email", ADD_EMAIL),
        ("required name", ADD_REQUIRED_NAME),
    ]:
        project.write_revision(message, body)
    with pytest.raises(
        sa.exc.IntegrityError,
        match=r'\(psycopg.errors.NotNullViolation\) column "name" of'
        ' relation "account" contains null values',
    ):
        project.run("upgrade", COMMANDS)


def test_with_a_transaction_per_migration_those_before_a_failure_stay(
    project: Project,
    postgres: Postgres,
    url: str,
    capfd: pytest.CaptureFixture[str],
) -> None:
    """Then, the failing revision fixed, the next upgrade runs only it."""
    fail_to_upgrade(project)
    failed = ScriptDirectory.from_config(project.config).get_revision("head")
    assert postgres.versions(url) == [failed.down_revision]
    assert postgres.columns(url, "account") == ["id", "email"]
    script = Path(failed.path)
    script.write_text(
        script.read_text().replace("nullable=False", 'server_default="ada"')
    )
    capfd.readouterr()
    project.run("upgrade", COMMANDS)
    assert capfd.readouterr().err.count("Running upgrade") == 1
    assert postgres.columns(url, "account") == ["id", "email", "name"]


@pytest.mark.parametrize("per_migration", [True, False])
def test_a_migration_holds_its_locks_until_its_own_commit(
    project: Project, postgres: Postgres, url: str, per_migration: bool
) -> None:
    """While a later migration runs, the table an earlier one altered is
    free to read with a transaction per migration; in one transaction, a
    SELECT of it waits (here until its lock_timeout of 1 s)."""
    if not per_migration:
        project.edit_env("            transaction_per_migration=True,\n")
    project.write_revision("log", LOG)
    project.write_revision("accounts", ACCOUNTS)
    command.upgrade(project.config, "head")
    project.write_revision("email", ADD_EMAIL)
    project.write_revision("held", HELD)
    upgrade = read_snippet(f"{COMMANDS}:upgrade")
    with (
        started(upgrade, project.root) as running,
        postgres.connect(url) as application,
    ):
        postgres.wait_for(
            url, lambda sessions: any(map(stuck, sessions)), running
        )
        application.execute(sa.text("SET lock_timeout = '1s'"))
        read = sa.text("SELECT * FROM account")
        if per_migration:
            application.execute(read)
        else:
            with pytest.raises(
                sa.exc.OperationalError,
                match="canceling statement due to lock timeout",
            ):
                application.execute(read)
        application.rollback()
        open_gate(postgres, url)
        assert finished(running)[0] == 0


def test_in_one_transaction_a_failure_rolls_back_every_migration(
    project: Project, postgres: Postgres, url: str
) -> None:
    project.edit_env("            transaction_per_migration=True,\n")
    fail_to_upgrade(project)
    assert postgres.versions(url) is None
    assert postgres.tables(sa.make_url(url).database) == set()


def test_without_the_commit_the_upgrade_is_rolled_back_silently(
    project: Project, postgres: Postgres, url: str
) -> None:
    """Alembic runs in the transaction the SETs began, as in one of the
    caller's, and commits nothing; closing the connection rolls it back."""
    project.edit_env(COMMIT)
    revision = project.write_revision("accounts", ACCOUNTS)
    ran = shell(read_snippet(f"{COMMANDS}:upgrade"), project.root)
    assert f"Running upgrade  -> {revision}, accounts" in ran.stderr
    assert postgres.versions(url) is None


def test_the_install_line_names_the_packages_the_page_is_tested_with() -> None:
    requirements = installed_as_claimed(f"{COMMANDS}:install")
    names = {requirement.name for requirement in requirements}
    assert names == packages_tested_with("recipes/safe-upgrades")

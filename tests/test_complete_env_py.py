"""docs/recipes/complete-env-py.md: the recipes together, end to end."""

import logging
from dataclasses import replace

import pytest
import sqlalchemy as sa
from alembic import command

from harness import (
    ENV_PAGES,
    SHAPES,
    Project,
    Reader,
    alembic_cli,
    read_snippet,
)

COMMANDS = "complete-env-py/commands.sh"
OFFLINE = "offline-sql/commands.sh"
PAGE = ENV_PAGES["recipes/complete-env-py"]


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


def test_a_model_of_a_view_gets_no_table(complete: Project) -> None:
    """include_object leaves out a model marked as a view, which
    include_name's reflection does not see as a table."""
    complete.run("revision", COMMANDS)
    complete.run("upgrade", COMMANDS)
    first = complete.head_script()
    with complete.connect() as db:
        db.execute(
            "CREATE VIEW account_domain AS SELECT id, email FROM account"
        )
    accounts = complete.root / "app" / "models" / "accounts.py"
    view = read_snippet("include-object/app/models.py:view")
    accounts.write_text(f"{accounts.read_text()}\n\n{view}")
    complete.forget_imports()
    complete.run("revision", COMMANDS)
    assert complete.head_script() == first, "a revision for the view"


def test_a_changed_server_default_gets_its_revision(complete: Project) -> None:
    """compare_server_default=True: Alembic's default leaves it out."""
    complete.run("revision", COMMANDS)
    complete.run("upgrade", COMMANDS)
    accounts = complete.root / "app" / "models" / "accounts.py"
    text = accounts.read_text()
    default = '(String(100), server_default="nobody@example.com")'
    accounts.write_text(text.replace("(String(100))", default))
    complete.forget_imports()
    complete.run("revision", COMMANDS)
    assert "server_default='nobody@example.com'" in complete.head_script()


def test_an_x_url_with_a_percent_sign_reaches_its_database(
    complete: Project,
) -> None:
    """The "%" is escaped for ConfigParser (x-arguments.md)."""
    complete.run("revision", COMMANDS)
    url = "sqlite:///100%25.sqlite"
    alembic_cli("-x", f"url={url}", "upgrade", "head")
    tables = complete.tables(sa.make_url(url).database)
    assert {"account", "audit_event"} <= tables


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


# account's columns: name, type, NOT NULL, primary key.
ACCOUNT_COLUMNS = (
    "SELECT name, type, \"notnull\", pk FROM pragma_table_info('account')"
)


def account_columns(email_length: int) -> list[tuple[str, str, int, int]]:
    return [
        ("id", "INTEGER", 1, 1),
        ("email", f"VARCHAR({email_length})", 1, 0),
    ]


def test_sql_cannot_write_a_batch_change_that_reflects_the_table(
    complete: Project, capfd: pytest.CaptureFixture[str]
) -> None:
    complete.run("revision", COMMANDS)
    complete.run("upgrade", COMMANDS)
    longer_email(complete)
    capfd.readouterr()
    with pytest.raises(SystemExit):
        complete.run("offline", OFFLINE)
    assert (
        "This operation cannot proceed in --sql mode; batch mode"
        " with dialect sqlite requires a live database connection with which"
        ' to reflect the table "account".'
    ) in capfd.readouterr().err


def test_sql_writes_a_batch_change_given_the_table_in_copy_from(
    complete: Project,
) -> None:
    complete.run("revision", COMMANDS)
    complete.add_revision("complete-env-py/versions/longer_email.py")
    complete.run("offline", OFFLINE)
    with complete.connect("offline.sqlite") as db:
        assert db.execute(ACCOUNT_COLUMNS).fetchall() == account_columns(200)
        assert db.execute("SELECT * FROM alembic_version").fetchall() == [
            ("4c1e7a9b3d58",)
        ]
    complete.run("upgrade", COMMANDS)
    with complete.connect() as db:
        assert db.execute(ACCOUNT_COLUMNS).fetchall() == account_columns(200)
    command.downgrade(complete.config, "-1")
    with complete.connect() as db:
        assert db.execute(ACCOUNT_COLUMNS).fetchall() == account_columns(100)
    complete.run("downgrade", COMMANDS)
    assert complete.tables() == {"legacy_orders"}


# Its URL and your models: a reader's own application, the app/ package.


def test_without_a_url_in_alembic_ini_every_command_stops(
    project: Project,
) -> None:
    """The generated `driver://` URL is a placeholder."""
    Reader(project, SHAPES["app-package"], replace(PAGE, ini=None))
    with pytest.raises(
        sa.exc.NoSuchModuleError, match=r"sqlalchemy.dialects:driver"
    ):
        command.revision(project.config, "some_model", autogenerate=True)


def test_the_notes_db_uri_gives_it_its_url(project: Project) -> None:
    """The imports below `from alembic import context`, DB_URI and its
    set_main_option after the fileConfig block, before -x url."""
    reader = Reader(project, SHAPES["app-package"], replace(PAGE, ini=None))
    anchor = "from alembic import context\n"
    imports = read_snippet("basics/env.py:imports")
    project.edit_env(anchor, f"{anchor}\n{imports}")
    anchor = "# `alembic -x url=... upgrade head`"
    url = "\n\n".join(
        read_snippet(f"basics/env.py:{section}")
        for section in ("db_uri", "sqlalchemy_url")
    )
    project.edit_env(anchor, f"{url}\n\n{anchor}")
    reader.revision("some_model")
    command.upgrade(project.config, "head")
    assert project.tables() == {"some_model"}


def test_target_metadata_names_only_your_own_metadata(
    project: Project,
) -> None:
    """With your imports, the page's own line names AuditBase still."""
    Reader(project, SHAPES["app-package"], replace(PAGE, target=None))
    with pytest.raises(NameError, match="name 'AuditBase' is not defined"):
        command.revision(project.config, "some_model", autogenerate=True)


def test_target_metadata_stays_a_list_for_include_name(
    project: Project,
) -> None:
    """A single MetaData does until the database has a table to reflect."""
    single = replace(PAGE, target="target_metadata")
    reader = Reader(project, SHAPES["app-package"], single)
    reader.revision("some_model")
    command.upgrade(project.config, "head")
    with pytest.raises(TypeError, match="'MetaData' object is not iterable"):
        reader.revision("nothing new")

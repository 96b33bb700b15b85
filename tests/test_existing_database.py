"""docs/recipes/existing-database.md: a baseline for tables made before
Alembic, and create_all, then stamp head, for a new database."""

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from harness import Project, alembic_cli, read_snippet

COMMANDS = "existing-database/commands.sh"
ENV = "x-arguments/env.py"
NOTHING_TO_DO = "No new upgrade operations detected."


@pytest.fixture
def existing(project: Project) -> Project:
    """Tables that the application's create_all made, with a row in them;
    the notes' models, no revision."""
    project.recipe(ENV, "basics/app")
    project.load("app.module.models")
    base = project.load("app.core.database").Base
    engine = sa.create_engine(f"sqlite:///{project.db_file}")
    base.metadata.create_all(engine)
    engine.dispose()
    with project.connect() as db:
        db.execute("INSERT INTO some_model (name) VALUES ('kept')")
    return project


@pytest.fixture
def baselined(existing: Project) -> Project:
    """The existing database, and a baseline made on an empty one."""
    existing.run("baseline", COMMANDS)
    return existing


@pytest.fixture
def fresh(project: Project) -> Project:
    """The notes' models and their first revision, no table yet."""
    return project.recipe(
        ENV,
        "basics/app",
        revision="create some_model",
        put={"existing-database/create_database.py": "create_database.py"},
    )


def rows(project: Project) -> list[tuple[int, str]]:
    with project.connect() as db:
        return db.execute("SELECT id, name FROM some_model").fetchall()


def recorded(project: Project) -> list[str]:
    """The revisions alembic_version holds."""
    with project.connect() as db:
        return [r for (r,) in db.execute("SELECT * FROM alembic_version")]


def head(project: Project) -> str:
    return ScriptDirectory.from_config(project.config).get_current_head()


def test_autogenerate_on_the_existing_tables_writes_an_empty_revision(
    existing: Project,
) -> None:
    existing.run("autogenerate", COMMANDS)
    empty = read_snippet("existing-database/empty_revision.py:functions")
    script = existing.head_script()
    assert script[script.index("\ndef upgrade") + 1 :] == empty + "\n"


def test_a_new_database_upgraded_with_the_empty_revision_has_no_table(
    existing: Project,
) -> None:
    existing.run("autogenerate", COMMANDS)
    existing.run("new_database", COMMANDS)
    assert existing.tables("new.sqlite") == set()


def test_the_baseline_made_on_an_empty_database_creates_the_tables(
    baselined: Project,
) -> None:
    script = baselined.head_script()
    assert "op.create_table('some_model'," in script
    assert "op.drop_table('some_model')" in script
    assert not (baselined.root / "empty.sqlite").exists()


def test_upgrading_the_existing_database_without_a_stamp_fails(
    baselined: Project,
) -> None:
    with pytest.raises(
        sa.exc.OperationalError, match="table some_model already exists"
    ):
        command.upgrade(baselined.config, "head")
    assert rows(baselined) == [(1, "kept")]


def test_stamp_head_then_check_passes_and_the_rows_stay(
    baselined: Project, capfd: pytest.CaptureFixture[str]
) -> None:
    baselined.run("stamp", COMMANDS)
    assert NOTHING_TO_DO in capfd.readouterr().out
    assert recorded(baselined) == [head(baselined)]
    assert baselined.tables() == {"some_model"}
    assert rows(baselined) == [(1, "kept")]


def test_stamp_also_takes_the_baseline_s_revision_id(
    baselined: Project,
) -> None:
    alembic_cli("stamp", head(baselined))
    assert recorded(baselined) == [head(baselined)]


def test_after_the_stamp_the_next_migration_upgrades_and_keeps_the_rows(
    baselined: Project,
) -> None:
    baselined.run("stamp", COMMANDS)
    baselined.put("drift-check/models.py", "app/module/models.py")
    baselined.forget_imports()
    command.revision(baselined.config, "add email", autogenerate=True)
    command.upgrade(baselined.config, "head")
    with baselined.connect() as db:
        columns = db.execute("PRAGMA table_info(some_model)").fetchall()
    assert "email" in {name for _, name, *_ in columns}
    assert rows(baselined) == [(1, "kept")]


def test_a_new_database_upgraded_from_the_baseline_has_the_tables(
    baselined: Project,
) -> None:
    baselined.run("new_database", COMMANDS)
    assert baselined.tables("new.sqlite") == {"some_model"}


def test_command_stamp_from_code_records_head(baselined: Project) -> None:
    baselined.put("existing-database/stamp.py")
    baselined.load("stamp")
    assert recorded(baselined) == [head(baselined)]
    command.check(baselined.config)


def test_an_applied_empty_revision_is_replaced_with_purge(
    existing: Project, capfd: pytest.CaptureFixture[str]
) -> None:
    """Upgraded with the empty revision, then the file deleted: the
    database names a revision that no file has."""
    existing.run("autogenerate", COMMANDS)
    command.upgrade(existing.config, "head")
    [gone] = recorded(existing)
    (existing.root / "alembic" / "versions" / f"{gone}_baseline.py").unlink()
    existing.run("baseline", COMMANDS)
    capfd.readouterr()
    with pytest.raises(SystemExit):
        existing.run("stamp", COMMANDS)
    failure = f"FAILED: Can't locate revision identified by '{gone}'"
    assert failure in capfd.readouterr().out
    existing.run("purge", COMMANDS)
    assert recorded(existing) == [head(existing)]
    assert rows(existing) == [(1, "kept")]


def test_create_all_then_stamp_head_passes_check_when_models_are_head(
    fresh: Project, capfd: pytest.CaptureFixture[str]
) -> None:
    fresh.forget_imports()
    fresh.load("create_database")
    assert fresh.tables() == {"some_model"}
    assert recorded(fresh) == [head(fresh)]
    alembic_cli("check")
    assert NOTHING_TO_DO in capfd.readouterr().out


def test_a_model_ahead_of_its_migration_passes_check_then_upgrade_fails(
    fresh: Project, capfd: pytest.CaptureFixture[str]
) -> None:
    """create_all makes the new column, stamp head records a head without
    it; its migration, made later on a database built by migrations, then
    adds it a second time."""
    fresh.put("drift-check/models.py", "app/module/models.py")
    fresh.forget_imports()
    fresh.load("create_database")
    alembic_cli("check")
    assert NOTHING_TO_DO in capfd.readouterr().out
    alembic_cli("-x", "url=sqlite:///dev.sqlite", "upgrade", "head")
    alembic_cli("-x", "url=sqlite:///dev.sqlite", "revision", "--autogenerate")
    assert "op.add_column('some_model'" in fresh.head_script()
    with pytest.raises(
        sa.exc.OperationalError, match="duplicate column name: email"
    ):
        command.upgrade(fresh.config, "head")

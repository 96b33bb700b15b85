"""docs/recipes/drift-check.md: `alembic check` fails on drift."""

import pytest
import sqlalchemy as sa
from alembic import command

from harness import Postgres, Project, alembic_cli

COMMANDS = "drift-check/commands.sh"


@pytest.fixture
def committed(project: Project) -> Project:
    """A fresh checkout: the notes' model and its migration, no database."""
    project.recipe(
        "drift-check/env.py", "basics/app", revision="create some_model"
    )
    project.db_file.unlink()
    return project


def failure(project: Project, capfd: pytest.CaptureFixture[str]) -> str:
    """Run the CI commands, which must fail: what they print."""
    project.forget_imports()
    with pytest.raises(SystemExit) as exit:
        project.run("ci", COMMANDS)
    assert exit.value.code != 0
    return capfd.readouterr().out


def test_check_passes_when_models_and_migrations_agree(
    committed: Project, capfd: pytest.CaptureFixture[str]
) -> None:
    committed.run("ci", COMMANDS)
    assert "No new upgrade operations detected." in capfd.readouterr().out


def test_check_fails_on_a_model_change_without_its_migration(
    committed: Project, capfd: pytest.CaptureFixture[str]
) -> None:
    committed.put("drift-check/models.py", "app/module/models.py")
    assert "[('add_column', None, 'some_model'" in failure(committed, capfd)


def test_check_fails_on_a_model_env_py_does_not_import(
    committed: Project, capfd: pytest.CaptureFixture[str]
) -> None:
    committed.edit_env("from app.module.models import SomeModel  # noqa: F401")
    assert "[('remove_table'" in failure(committed, capfd)


def test_check_needs_the_database_at_head_first(
    committed: Project, capfd: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        alembic_cli("check")
    assert "Target database is not up to date." in capfd.readouterr().out


# The notes' model with a CHECK constraint and an Enum; then changes to it
# that `alembic check` does not see, each with a row that the migrated
# database and one made from the changed models treat differently.
MODELS = """\
from sqlalchemy import CheckConstraint, Enum, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base


class SomeModel(Base):
    __tablename__ = "some_model"
    __table_args__ = (CheckConstraint("length(name) > 0", name="ck_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    status: Mapped[str] = mapped_column(Enum("active", "closed", name="status"))
"""
UNSEEN = {
    "server_default": (
        "mapped_column(String(50))",
        'mapped_column(String(50), server_default="nobody")',
        "INSERT INTO some_model (id, status) VALUES (1, 'active')",
    ),
    "check_constraint_text": (
        "length(name) > 0",
        "length(name) > 5",
        "INSERT INTO some_model VALUES (1, 'ada', 'active')",
    ),
    "enum_value": (
        '"active", "closed"',
        '"active", "closed", "frozen"',
        "INSERT INTO some_model VALUES (1, 'ada', 'frozen')",
    ),
}


def refuses(url: str, sql: str) -> bool:
    """Whether the database refuses a statement (rolled back either way)."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as db:
            db.execute(sa.text(sql))
    except sa.exc.DBAPIError:
        return True
    finally:
        engine.dispose()
    return False


def unseen_change(project: Project, change: str, url: str, fresh: str) -> str:
    """Migrate the models above at url, change them, make a database of the
    changed models at fresh: the row that tells the two apart."""
    project.recipe("drift-check/env.py", "basics/app")
    project.set_url(url)
    models = project.root / "app" / "module" / "models.py"
    models.write_text(MODELS)
    command.revision(project.config, "some_model", autogenerate=True)
    command.upgrade(project.config, "head")
    old, new, row = UNSEEN[change]
    models.write_text(MODELS.replace(old, new))
    project.forget_imports()
    engine = sa.create_engine(fresh)
    project.load("app.module.models").Base.metadata.create_all(engine)
    engine.dispose()
    return row


@pytest.mark.parametrize("change", ["server_default", "check_constraint_text"])
def test_check_passes_though_the_models_changed_on_sqlite(
    project: Project, change: str
) -> None:
    migrated, fresh = (
        f"sqlite:///{project.root / f}" for f in ("m.db", "f.db")
    )
    row = unseen_change(project, change, migrated, fresh)
    command.check(project.config)
    assert refuses(migrated, row) != refuses(fresh, row)


def test_check_passes_though_an_enum_gained_a_value_on_postgresql(
    project: Project, postgres: Postgres
) -> None:
    migrated, fresh = (postgres.url(name) for name in ("drift_m", "drift_f"))
    row = unseen_change(project, "enum_value", migrated, fresh)
    command.check(project.config)
    assert refuses(migrated, row) != refuses(fresh, row)

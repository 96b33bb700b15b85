"""docs/recipes/naming-convention.md: constraints named by the MetaData."""

from contextlib import AbstractContextManager, nullcontext
from importlib.metadata import version
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from packaging.version import Version

from harness import Project, without_section


def warns_since_alembic_1_20() -> AbstractContextManager[object]:
    """The page's promise: the warning comes with Alembic 1.20 and later."""
    if Version(version("alembic")) < Version("1.20"):
        return nullcontext()
    return pytest.warns(UserWarning, match="for an unnamed constraint")


@pytest.fixture
def accounts(project: Project) -> Project:
    """The accounts application, with batch mode for changes on SQLite."""
    project.recipe("batch-mode/env.py", "naming-convention/app")
    return project


def migrate_then_add_unique_email(project: Project) -> str:
    """Create the tables, then autogenerate the batch-mode page's change."""
    command.revision(project.config, "accounts", autogenerate=True)
    command.upgrade(project.config, "head")
    project.put("batch-mode/models.py", "app/models.py")
    project.forget_imports()
    script = command.revision(project.config, "unique", autogenerate=True)
    return Path(script.path).read_text()


def constraint_names(project: Project) -> dict[str, list[str]]:
    engine = sa.create_engine(f"sqlite:///{project.db_file}")
    inspector = sa.inspect(engine)
    names = {
        "pk": [inspector.get_pk_constraint("account")["name"]],
        "fk": [fk["name"] for fk in inspector.get_foreign_keys("login")],
        "uq": [u["name"] for u in inspector.get_unique_constraints("account")],
    }
    engine.dispose()
    return names


def test_every_constraint_gets_the_conventions_name(accounts: Project) -> None:
    migrate_then_add_unique_email(accounts)
    command.upgrade(accounts.config, "head")
    assert constraint_names(accounts) == {
        "pk": ["pk_account"],
        "fk": ["fk_login_account_id_account"],
        "uq": ["uq_account_email"],
    }


def test_the_downgrade_drops_the_constraint_by_its_name(
    accounts: Project,
) -> None:
    script = migrate_then_add_unique_email(accounts)
    downgrade = script.partition("def downgrade")[2]
    assert "drop_constraint(batch_op.f('uq_account_email')" in downgrade
    command.upgrade(accounts.config, "head")
    command.downgrade(accounts.config, "-1")
    assert constraint_names(accounts)["uq"] == []


def test_without_a_convention_the_constraint_cannot_be_added(
    accounts: Project,
) -> None:
    (accounts.root / "app" / "db.py").write_text(
        without_section("naming-convention/app/db.py:naming_convention")
    )
    with warns_since_alembic_1_20():
        script = migrate_then_add_unique_email(accounts)
    assert "create_unique_constraint(None, ['email'])" in script
    assert "drop_constraint(None, type_='unique')" in script
    with pytest.raises(ValueError, match="Constraint must have a name"):
        command.upgrade(accounts.config, "head")

"""docs/recipes/naming-convention.md: constraints named by the MetaData."""

from contextlib import AbstractContextManager, nullcontext
from importlib.metadata import version
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory
from packaging.version import Version

from harness import (
    Project,
    captured,
    matches_output,
    migration,
    read_snippet,
    without_section,
)


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


def constraint_names(
    project: Project, database: str = "database.sqlite"
) -> dict[str, list[str]]:
    engine = sa.create_engine(f"sqlite:///{project.root / database}")
    inspector = sa.inspect(engine)
    names = {
        "pk": [inspector.get_pk_constraint("account")["name"]],
        "fk": [fk["name"] for fk in inspector.get_foreign_keys("login")],
        "uq": [u["name"] for u in inspector.get_unique_constraints("account")],
        "ck": [c["name"] for c in inspector.get_check_constraints("account")],
    }
    engine.dispose()
    return names


def test_every_constraint_gets_the_conventions_name(accounts: Project) -> None:
    migrate_then_add_unique_email(accounts)
    scripts = ScriptDirectory.from_config(accounts.config)
    [first] = scripts.get_bases()
    matches_output(
        "naming-convention/output/accounts.py",
        migration(Path(scripts.get_revision(first).path).read_text()),
    )
    command.upgrade(accounts.config, "head")
    assert constraint_names(accounts) == {
        "pk": ["pk_account"],
        "fk": ["fk_login_account_id_account"],
        "uq": ["uq_account_email"],
        "ck": [],
    }


def test_an_index_gets_the_conventions_name(accounts: Project) -> None:
    """A column's index=True: `ix_` and the column's label."""
    models = accounts.root / "app" / "models.py"
    text = models.read_text()
    models.write_text(text.replace("(String(50))", "(String(50), index=True)"))
    command.revision(accounts.config, "accounts", autogenerate=True)
    command.upgrade(accounts.config, "head")
    engine = sa.create_engine(f"sqlite:///{accounts.db_file}")
    indexes = sa.inspect(engine).get_indexes("account")
    engine.dispose()
    assert [index["name"] for index in indexes] == ["ix_account_email"]


def test_the_ix_entry_is_sqlalchemys_default() -> None:
    """Without it, an index gets the same name."""
    assert sa.MetaData().naming_convention == {"ix": "ix_%(column_0_label)s"}


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
    with pytest.raises(ValueError) as error:
        command.upgrade(accounts.config, "head")
    assert captured(error) == "ValueError: Constraint must have a name\n"


CHECK = "naming-convention/versions/email_check.py"


def test_f_keeps_a_name_the_convention_would_build_on(
    accounts: Project,
) -> None:
    command.revision(accounts.config, "accounts", autogenerate=True)
    accounts.add_revision(CHECK)
    command.upgrade(accounts.config, "head")
    assert constraint_names(accounts)["ck"] == ["ck_account_email_has_at"]
    command.downgrade(accounts.config, "-1")
    assert constraint_names(accounts)["ck"] == []


def test_without_f_the_convention_names_the_name_again(
    accounts: Project,
) -> None:
    """The upgrade's name without batch_op.f(): the downgrade cannot drop."""
    command.revision(accounts.config, "accounts", autogenerate=True)
    final = 'batch_op.f("ck_account_email_has_at")'
    script = read_snippet(CHECK).replace(final, '"ck_account_email_has_at"', 1)
    accounts.add_revision(CHECK, script)
    command.upgrade(accounts.config, "head")
    ck = constraint_names(accounts)["ck"]
    assert ck == ["ck_account_ck_account_email_has_at"]
    with pytest.raises(
        ValueError, match="No such constraint: 'ck_account_email_has_at'"
    ):
        command.downgrade(accounts.config, "-1")


@pytest.fixture
def migrated_before(accounts: Project) -> Project:
    """A database migrated by a revision written before the convention, and
    the convention added since."""
    (accounts.root / "app" / "db.py").write_text(
        without_section("naming-convention/app/db.py:naming_convention")
    )
    command.revision(accounts.config, "accounts", autogenerate=True)
    command.upgrade(accounts.config, "head")
    accounts.put("naming-convention/app/db.py", "app/db.py")
    accounts.forget_imports()
    return accounts


def upgrade_fresh(project: Project) -> None:
    """Upgrade a new database, fresh.sqlite, from the first revision."""
    config = project.config
    config.set_main_option("sqlalchemy.url", "sqlite:///fresh.sqlite")
    command.upgrade(config, "head")


def test_a_convention_added_later_names_only_a_fresh_databases_constraints(
    migrated_before: Project,
) -> None:
    """A revision that drops a constraint by its name fails on the other."""
    unnamed = {"pk": [None], "fk": [None], "uq": [], "ck": []}
    assert constraint_names(migrated_before) == unnamed
    migrated_before.add_revision("naming-convention/versions/login_cascade.py")
    upgrade_fresh(migrated_before)
    assert constraint_names(migrated_before, "fresh.sqlite")["fk"] == [
        "fk_login_account_id_account"
    ]
    with pytest.raises(
        ValueError, match="No such constraint: 'fk_login_account_id_account'"
    ):
        command.upgrade(migrated_before.config, "head")


def test_a_revision_naming_the_old_constraints_brings_them_in_line(
    migrated_before: Project,
) -> None:
    migrated_before.add_revision(
        "naming-convention/versions/name_old_constraints.py"
    )
    migrated_before.add_revision("naming-convention/versions/login_cascade.py")
    upgrade_fresh(migrated_before)
    command.upgrade(migrated_before.config, "head")
    schemas = []
    for database in ("database.sqlite", "fresh.sqlite"):
        with migrated_before.connect(database) as db:
            rows = db.execute("SELECT sql FROM sqlite_master ORDER BY name")
            schemas.append(rows.fetchall())
    assert schemas[0] == schemas[1]
    with migrated_before.connect() as db:
        assert db.execute(
            'SELECT "table", "from", "to", on_delete'
            " FROM pragma_foreign_key_list('login')"
        ).fetchall() == [("account", "account_id", "id", "CASCADE")]
    command.downgrade(migrated_before.config, "-2")
    assert constraint_names(migrated_before)["pk"] == ["pk_account"]
    assert constraint_names(migrated_before)["fk"] == [
        "fk_login_account_id_account"
    ]


def test_without_batch_mode_sqlite_cannot_add_the_named_constraint(
    accounts: Project,
) -> None:
    """Only `unique=True` changes: SQLite refuses the ALTER of a constraint."""
    accounts.edit_env("            render_as_batch=True,\n")
    command.revision(accounts.config, "accounts", autogenerate=True)
    command.upgrade(accounts.config, "head")
    models = accounts.root / "app" / "models.py"
    email = "mapped_column(String(50))"
    models.write_text(
        models.read_text().replace(
            email, email.replace("))", "), unique=True)")
        )
    )
    accounts.forget_imports()
    script = command.revision(accounts.config, "unique", autogenerate=True)
    assert "op.create_unique_constraint(op.f('uq_account_email')" in (
        Path(script.path).read_text()
    )
    with pytest.raises(NotImplementedError) as error:
        command.upgrade(accounts.config, "head")
    assert captured(error).startswith(
        "NotImplementedError: No support for ALTER of constraints in SQLite"
        " dialect."
    )

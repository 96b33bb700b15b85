"""docs/recipes/include-object.md: tables the models do not own are left alone."""

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import orm

from harness import Project, matches_output, migration

OTHER_APPLICATION = """
CREATE TABLE legacy_orders (id INTEGER PRIMARY KEY, total NUMERIC);
INSERT INTO legacy_orders VALUES (1, 9.5);
"""
VIEW = """
CREATE VIEW account_domain AS
SELECT id, substr(email, instr(email, '@') + 1) AS domain FROM account;
"""


@pytest.fixture
def shared(project: Project) -> Project:
    """A database that another application's table shares with the models."""
    project.recipe("include-object/env.py", "include-object/app")
    with project.connect() as db:
        db.executescript(OTHER_APPLICATION)
    return project


def first_migration(project: Project) -> str:
    """Autogenerate and run the first revision, then add the view."""
    script = command.revision(project.config, "accounts", autogenerate=True)
    command.upgrade(project.config, "head")
    with project.connect() as db:
        db.executescript(VIEW)
    return Path(script.path).read_text()


def test_autogenerate_never_drops_another_applications_table(
    shared: Project,
) -> None:
    script = first_migration(shared)
    assert "op.create_table('account'" in script
    matches_output("include-object/output/accounts.py", migration(script))
    assert "legacy_orders" not in script
    command.check(shared.config)
    with shared.connect() as db:
        assert db.execute("SELECT * FROM legacy_orders").fetchall() == [
            (1, 9.5)
        ]


def test_a_view_the_models_map_is_never_created_as_a_table(
    shared: Project,
) -> None:
    assert "account_domain" not in first_migration(shared)
    command.check(shared.config)
    with shared.connect() as db:
        db.execute("INSERT INTO account VALUES (1, 'ada@example.com')")
    models = shared.load("app.models")
    engine = sa.create_engine(f"sqlite:///{shared.db_file}")
    with orm.Session(engine) as session:
        rows = session.execute(sa.select(models.AccountDomain)).scalars()
        assert [(row.id, row.domain) for row in rows] == [(1, "example.com")]
    engine.dispose()


def test_without_the_hooks_autogenerate_drops_and_creates_them(
    shared: Project,
) -> None:
    shared.edit_env("include_name=include_name,")
    shared.edit_env("include_object=include_object,")
    script = command.revision(shared.config, "accounts", autogenerate=True)
    script = Path(script.path).read_text()
    assert "op.drop_table('legacy_orders')" in script
    assert "op.create_table('account_domain'" in script


def test_a_model_removed_later_is_not_dropped_either(shared: Project) -> None:
    """The price of include_name: dropping a model's table is written by hand."""
    first_migration(shared)
    models = shared.root / "app" / "models.py"
    renamed = models.read_text().replace('"account"', '"member"')
    models.write_text(renamed)
    shared.forget_imports()
    script = command.revision(shared.config, "rename", autogenerate=True)
    upgrade = Path(script.path).read_text().partition("def downgrade")[0]
    assert "op.create_table('member'" in upgrade
    assert "drop_table" not in upgrade

"""docs/recipes/schemas.md: tables in several PostgreSQL schemas."""

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.util import CommandError

from harness import (
    Postgres,
    Project,
    installed_as_claimed,
    matches_output,
    migration,
    packages_tested_with,
)

COMMANDS = "schemas/commands.sh"
MIGRATED = {"public.alembic_version", "sales.customer", "billing.invoice"}


@pytest.fixture
def models(project: Project, role_url: str) -> Project:
    """The page's env.py and models, migrating the role's database."""
    project.recipe("schemas/env.py", "schemas/app")
    project.set_url(role_url)
    return project


@pytest.fixture
def shop(models: Project) -> Project:
    """With the revision that creates the schemas."""
    models.add_revision("schemas/versions/create_schemas.py")
    return models


@pytest.fixture
def migrated(shop: Project) -> Project:
    """At head: the schemas, and the tables autogenerate wrote."""
    shop.run("migrate", COMMANDS)
    return shop


def revision(project: Project) -> str:
    """Autogenerate a revision: its text."""
    script = command.revision(project.config, "again", autogenerate=True)
    return Path(script.path).read_text()


def test_autogenerate_writes_each_table_into_its_schema(
    shop: Project,
    postgres: Postgres,
    role: str,
    capfd: pytest.CaptureFixture[str],
) -> None:
    shop.run("migrate", COMMANDS)
    script = shop.head_script()
    matches_output(
        "schemas/output/customers_and_invoices.py", migration(script)
    )
    assert '"""customers and invoices' in script
    assert postgres.qualified_tables(role) == MIGRATED
    assert "No new upgrade operations detected." in capfd.readouterr().out


def test_autogenerate_does_not_create_the_schemas(models: Project) -> None:
    command.revision(models.config, "tables", autogenerate=True)
    with pytest.raises(
        sa.exc.ProgrammingError, match='schema "sales" does not exist'
    ):
        command.upgrade(models.config, "head")


def test_downgrade_drops_the_tables_then_the_schemas(
    migrated: Project, postgres: Postgres, role: str
) -> None:
    assert {"sales", "billing"} <= postgres.schemas(role)
    command.downgrade(migrated.config, "base")
    assert postgres.qualified_tables(role) == {"public.alembic_version"}
    assert postgres.schemas(role) == {"public"}


def test_without_include_schemas_autogenerate_creates_the_tables_again(
    migrated: Project,
) -> None:
    migrated.edit_env("include_schemas=True,")
    script = revision(migrated)
    assert "op.create_table('customer'" in script
    assert "op.create_table('invoice'" in script
    with pytest.raises(
        sa.exc.ProgrammingError, match='relation "customer" already exists'
    ):
        command.upgrade(migrated.config, "head")


# Another application's schema in the same database.
OTHER_APPLICATION = """
CREATE SCHEMA audit;
CREATE TABLE audit.event (id integer PRIMARY KEY, happened timestamp);
"""


def test_include_name_keeps_autogenerate_to_the_models_schemas(
    migrated: Project, postgres: Postgres, role: str
) -> None:
    with postgres.admin(role) as db:
        db.execute(OTHER_APPLICATION)
    command.check(migrated.config)
    migrated.edit_env("include_name=include_name,")
    script = revision(migrated)
    assert "op.drop_table('event', schema='audit')" in script
    assert "op.drop_table('alembic_version')" in script


def own_schema(postgres: Postgres, role: str) -> None:
    """A schema named after the role, the first of the default search_path."""
    with postgres.admin(role) as db:
        db.execute(f"CREATE SCHEMA AUTHORIZATION {role}")


def test_without_version_table_schema_it_lands_first_on_search_path(
    shop: Project, postgres: Postgres, role: str
) -> None:
    own_schema(postgres, role)
    shop.edit_env('version_table_schema="public",')
    command.upgrade(shop.config, "head")
    assert postgres.qualified_tables(role) == {f"{role}.alembic_version"}


def test_version_table_schema_puts_it_in_public(
    shop: Project, postgres: Postgres, role: str
) -> None:
    own_schema(postgres, role)
    command.upgrade(shop.config, "head")
    assert postgres.qualified_tables(role) == {"public.alembic_version"}


def migrate_as_another_role(
    project: Project, postgres: Postgres, role: str
) -> None:
    """A deploy role, a member of the one that migrated, upgrades the same
    database: its search_path, "$user", public, misses the migrating
    role's own schema."""
    deploy = sa.make_url(postgres.fresh_url("deploy"))
    with postgres.admin(role) as db:
        db.execute(f"GRANT {role} TO {deploy.username}")
    project.set_url(
        deploy.set(database=role).render_as_string(hide_password=False)
    )
    command.upgrade(project.config, "head")


def test_another_role_finds_alembic_version_where_it_is_pinned(
    shop: Project, postgres: Postgres, role: str
) -> None:
    own_schema(postgres, role)
    shop.run("migrate", COMMANDS)
    migrate_as_another_role(shop, postgres, role)
    assert postgres.qualified_tables(role) == MIGRATED


def test_another_role_runs_every_revision_again_without_it(
    shop: Project, postgres: Postgres, role: str
) -> None:
    own_schema(postgres, role)
    shop.edit_env('version_table_schema="public",')
    shop.run("migrate", COMMANDS)
    with pytest.raises(
        sa.exc.ProgrammingError, match='schema "sales" already exists'
    ):
        migrate_as_another_role(shop, postgres, role)


def test_a_search_path_naming_the_schemas_confuses_autogenerate(
    migrated: Project, postgres: Postgres, role: str
) -> None:
    with postgres.admin(role) as db:
        db.execute(f"ALTER ROLE {role} SET search_path TO sales, billing")
    with pytest.raises(
        CommandError, match=r"\('add_table', Table\('customer'"
    ):
        command.check(migrated.config)


def test_the_install_line_names_the_packages_the_page_is_tested_with() -> None:
    requirements = installed_as_claimed("schemas/commands.sh:install")
    names = {requirement.name for requirement in requirements}
    assert names == packages_tested_with("recipes/schemas")

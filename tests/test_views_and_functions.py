"""docs/recipes/views-and-functions.md: views and SQL functions that
autogenerate writes with alembic_utils, on the session's PostgreSQL server.

The page's commands run in-process, alembic_utils forgotten after each
section (`Project.run`'s `plugins`): imported, it registers its comparator
with autogenerate, and keeps the entities registered so far; left so, it
would compare them in every later test's database of this process.
"""

import sys

import pytest
import sqlalchemy as sa
from alembic import command

from harness import (
    Postgres,
    Project,
    installed_as_claimed,
    matches_output,
    migration,
    packages_tested_with,
    read_snippet,
    snippet_text,
)

ENV = "views-and-functions/env.py"
COMMANDS = "views-and-functions/commands.sh"
# The page's env.py without the hook.
NO_HOOK = "            include_object=include_object,\n"
# What alembic_utils does not manage: a view and a function made by hand.
BY_HAND = [
    "CREATE VIEW report AS SELECT count(*) AS accounts FROM account",
    "CREATE FUNCTION answer() RETURNS int LANGUAGE sql AS 'SELECT 42'",
]


def run(
    project: Project, section: str, capfd: pytest.CaptureFixture[str]
) -> str:
    """Run a section of the page's commands: what they printed."""
    capfd.readouterr()
    project.run(section, COMMANDS, plugins=("alembic_utils",))
    printed = capfd.readouterr()
    return printed.out + printed.err


def fail(
    project: Project, section: str, capfd: pytest.CaptureFixture[str]
) -> str:
    """Run a section of the page's commands, which fails (Alembic's FAILED,
    or the database's error): what it printed, then the error."""
    with pytest.raises((SystemExit, sa.exc.DBAPIError)) as failure:
        run(project, section, capfd)
    printed = capfd.readouterr()
    return printed.out + printed.err + str(failure.value)


def without_alembic_utils() -> str:
    """The page's env.py without its additions: the template's, with the
    naming convention's models."""
    plain = read_snippet(ENV)
    for added in [
        (
            "from alembic_utils.replaceable_entity import (\n"
            "    ReplaceableEntity,\n"
            "    register_entities,\n"
            ")\n\n"
        ),
        "from app.entities import ENTITIES\n",
        snippet_text(f"{ENV}:register"),
        NO_HOOK,
    ]:
        assert plain.count(added) == 1, added
        plain = plain.replace(added, "")
    return plain


@pytest.fixture
def url(project: Project, postgres: Postgres) -> str:
    """A project with the naming convention's models on a database of its
    own, its tables migrated as before alembic_utils (in-process, with
    the page's env.py without its additions), then the page's env.py in
    place: the database's URL."""
    project.add_app("naming-convention/app")
    project.env_py.write_text(without_alembic_utils())
    url = postgres.fresh_url("views_and_functions")
    project.set_url(url)
    command.revision(project.config, "accounts", autogenerate=True)
    command.upgrade(project.config, "head")
    project.add_env(ENV)
    return url


def script(project: Project, message: str) -> str:
    """The text of the migration script of a message, read as a file (an
    import of it would import alembic_utils here)."""
    name = message.replace(" ", "_").replace("-", "_")
    [path] = (project.root / "alembic" / "versions").glob(f"*_{name}.py")
    return path.read_text()


def domains(postgres: Postgres, url: str) -> list[str]:
    """What the view shows for an account."""
    with postgres.connect(url) as db:
        db.execute(
            sa.text("INSERT INTO account VALUES (1, 'ada@Example.COM')")
        )
        rows = db.execute(sa.text("SELECT domain FROM account_domain"))
        return list(rows.scalars())


def entities(postgres: Postgres, url: str) -> dict[str, list[str]]:
    """The views and functions of the database's public schema."""
    with postgres.connect(url) as db:
        views = db.execute(
            sa.text(
                "SELECT viewname FROM pg_views WHERE schemaname = 'public'"
            )
        )
        functions = db.execute(
            sa.text(
                "SELECT proname FROM pg_proc"
                " WHERE pronamespace = 'public'::regnamespace"
            )
        )
        return {
            "views": list(views.scalars()),
            "functions": list(functions.scalars()),
        }


@pytest.fixture
def managed(
    project: Project, url: str, capfd: pytest.CaptureFixture[str]
) -> Project:
    """The page's entities, migrated with the revision autogenerate wrote."""
    project.put("views-and-functions/entities.py", "app/entities.py")
    run(project, "entities", capfd)
    return project


def test_autogenerate_writes_create_entity_for_each_view_and_function(
    managed: Project,
    postgres: Postgres,
    url: str,
    capfd: pytest.CaptureFixture[str],
) -> None:
    """Upgraded, the view shows an account's domain, and `alembic check`
    finds nothing to do; downgraded, both entities are gone."""
    text = script(managed, "email domains")
    matches_output(
        "views-and-functions/output/email_domains.py", migration(text)
    )
    assert "from alembic_utils.pg_function import PGFunction\n" in text
    assert "from alembic_utils.pg_view import PGView\n" in text
    assert domains(postgres, url) == ["Example.COM"]
    assert "No new upgrade operations detected." in run(
        managed, "check", capfd
    )
    run(managed, "downgrade", capfd)
    assert entities(postgres, url) == {"views": [], "functions": []}


def test_a_changed_definition_gets_replace_entity_and_its_downgrade(
    managed: Project,
    postgres: Postgres,
    url: str,
    capfd: pytest.CaptureFixture[str],
) -> None:
    """`alembic check` fails on the change until its revision is written.
    The downgrade's definition is the database's, as PostgreSQL renders it;
    it brings the old one back."""
    managed.put("views-and-functions/lower_case.py", "app/entities.py")
    unmigrated = fail(managed, "check", capfd)
    assert (
        "('replace_or_revert_entity', 'PGFunction: public.email_domain("
        in (unmigrated)
    )
    run(managed, "change", capfd)
    matches_output(
        "views-and-functions/output/lower_case_domains.py",
        migration(script(managed, "lower-case domains")),
    )
    assert domains(postgres, url) == ["example.com"]
    run(managed, "downgrade", capfd)
    with postgres.connect(url) as db:
        old = db.execute(sa.text("SELECT email_domain('ada@Example.COM')"))
        assert old.scalar() == "Example.COM"


def test_autogenerate_needs_the_tables_an_entity_reads_migrated_first(
    project: Project, postgres: Postgres, capfd: pytest.CaptureFixture[str]
) -> None:
    """With the entities from the start, the first revision fails."""
    project.recipe(ENV, "naming-convention/app", ini=None)
    project.set_url(postgres.fresh_url("views_and_functions"))
    project.put("views-and-functions/entities.py", "app/entities.py")
    output = fail(project, "entities", capfd)
    assert (
        '(psycopg.errors.UndefinedTable) relation "account" does not exist'
        in output
    )
    assert '[SQL: CREATE VIEW "public"."account_domain" AS' in output
    assert not list((project.root / "alembic" / "versions").glob("*.py"))


def make_by_hand(postgres: Postgres, url: str) -> None:
    with postgres.connect(url) as db:
        for statement in BY_HAND:
            db.execute(sa.text(statement))
        db.commit()


def test_without_the_hook_the_first_revision_revokes_the_roles_grants(
    project: Project, url: str, capfd: pytest.CaptureFixture[str]
) -> None:
    """alembic_utils compares the grants on the schema's tables too: the
    migrating role's own, not registered, are revoked, alembic_version's
    among them, and the upgrade stops at its stamp."""
    project.edit_env(NO_HOOK)
    project.put("views-and-functions/entities.py", "app/entities.py")
    output = fail(project, "entities", capfd)
    assert "permission denied for table alembic_version" in output
    upgrade = migration(script(project, "email domains"))
    assert "PGGrantTable(schema='public', table='alembic_version'" in upgrade
    assert "op.drop_entity(public_alembic_version_" in upgrade


def test_without_the_hook_autogenerate_drops_what_it_does_not_manage(
    managed: Project,
    postgres: Postgres,
    url: str,
    capfd: pytest.CaptureFixture[str],
) -> None:
    managed.edit_env(NO_HOOK)
    make_by_hand(postgres, url)
    output = fail(managed, "check", capfd)
    assert "FAILED: New upgrade operations detected: [" in output
    assert "('drop_entity', 'PGView: public.report')" in output
    assert "('drop_entity', 'PGFunction: public.answer()')" in output


def test_with_the_hook_autogenerate_leaves_alone_what_it_does_not_manage(
    managed: Project,
    postgres: Postgres,
    url: str,
    capfd: pytest.CaptureFixture[str],
) -> None:
    """The view and the function made by hand, and the view taken out of
    ENTITIES: none is dropped."""
    make_by_hand(postgres, url)
    path = managed.root / "app" / "entities.py"
    text = path.read_text().replace(
        "[email_domain, account_domain]", "[email_domain]"
    )
    path.write_text(text)
    assert "No new upgrade operations detected." in run(
        managed, "check", capfd
    )
    assert sorted(entities(postgres, url)["views"]) == [
        "account_domain",
        "report",
    ]


def test_alembic_alone_does_not_compare_views(
    managed: Project,
    postgres: Postgres,
    url: str,
    capfd: pytest.CaptureFixture[str],
) -> None:
    """The page's env.py without alembic_utils finds nothing to do with the
    page's entities, nor with a view and a function made by hand; in the
    process that has just migrated the entities with alembic_utils, which
    compared them then and is forgotten since."""
    assert "alembic_utils" not in sys.modules
    managed.env_py.write_text(without_alembic_utils())
    make_by_hand(postgres, url)
    assert "No new upgrade operations detected." in run(
        managed, "check", capfd
    )


def test_the_install_line_names_the_packages_the_page_is_tested_with() -> None:
    requirements = installed_as_claimed(f"{COMMANDS}:install")
    names = {requirement.name for requirement in requirements}
    assert names == packages_tested_with("recipes/views-and-functions")

"""The notes' pages (docs/basics/): each test is a promise one of them makes."""

import itertools
import re
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from harness import (
    DOCS,
    MARKER,
    SNIPPETS,
    MariaDB,
    Postgres,
    Project,
    Site,
    installed_as_claimed,
    packages_tested_with,
    project_requirements,
    read_snippet,
    shell,
    with_values,
)

SNIPPET = (SNIPPETS / "basics" / "env.py").read_text()


@pytest.fixture
def basics(project: Project) -> Project:
    """The project with the complete env.py and the example application."""
    project.add_env("basics/env.py")
    project.add_app("basics/app")
    return project


def files_in(root: Path) -> set[str]:
    return {
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


# docs/basics/db-uri.md


def test_db_uri_names_the_only_database_file(basics: Project) -> None:
    before = files_in(basics.root)
    basics.run("first_migration")
    new = {f for f in files_in(basics.root) - before if "versions" not in f}
    assert new == {"database.sqlite"}
    assert basics.tables() == {"some_model"}


def test_db_uri_for_postgresql_migrates_the_server(
    basics: Project, postgres: Postgres
) -> None:
    """The PostgreSQL tab's section, with the server's values in place."""
    url = postgres.url("basics_db_uri")
    section = with_values(read_snippet("basics/postgresql.py:db_uri"), url)
    basics.edit_env(read_snippet("basics/env.py:db_uri"), section)
    basics.run("first_migration")
    assert postgres.tables("basics_db_uri") == {"some_model"}
    assert not basics.db_file.exists()


def test_db_uri_for_mariadb_migrates_the_server(
    basics: Project, mariadb: MariaDB
) -> None:
    """The MariaDB tab's section, with the server's values in place."""
    url = mariadb.url("basics_db_uri")
    section = with_values(read_snippet("basics/mariadb.py:db_uri"), url)
    basics.edit_env(read_snippet("basics/env.py:db_uri"), section)
    basics.run("first_migration")
    assert mariadb.tables("basics_db_uri") == {"some_model"}
    assert not basics.db_file.exists()


# A password PyMySQL encodes as Latin-1, and one it cannot; what the
# upgrade stops with, for each.
LATIN_1, NOT_LATIN_1 = "pässwörd", "pass€"
ACCESS_DENIED = "(1045, \"Access denied for user '{}'@'127.0.0.1'"
NOT_ENCODED = "'latin-1' codec can't encode character '\\u20ac' in position 4"
# Names of the MariaDB users (and databases) of these tests.
USERS = (f"basics_utf8_{n}" for n in itertools.count())


def on_mariadb(basics: Project, mariadb: MariaDB, password: str) -> str:
    """The MariaDB tab's DB_URI for a new user, and a revision written while
    its password was ASCII; then the password given, on the server and in
    DB_URI. The user's name."""
    name = next(USERS)
    url = sa.make_url(mariadb.url(name))
    section = with_values(
        read_snippet("basics/mariadb.py:db_uri"),
        url.render_as_string(hide_password=False),
    )
    basics.edit_env(read_snippet("basics/env.py:db_uri"), section)
    command.revision(basics.config, "create some_model", autogenerate=True)
    mariadb.create_role(name, password)
    basics.edit_env(f"password={url.password!r},", f"password={password!r},")
    return name


def test_pymysql_sends_a_latin_1_password_that_mariadb_refuses(
    basics: Project, mariadb: MariaDB
) -> None:
    """MariaDB checks the UTF-8 of the password it was set with."""
    name = on_mariadb(basics, mariadb, LATIN_1)
    with pytest.raises(sa.exc.OperationalError) as error:
        command.upgrade(basics.config, "head")
    assert ACCESS_DENIED.format(name) in str(error.value)
    assert mariadb.tables(name) == set()


def test_pymysql_cannot_send_a_password_beyond_latin_1(
    basics: Project, mariadb: MariaDB
) -> None:
    name = on_mariadb(basics, mariadb, NOT_LATIN_1)
    with pytest.raises(UnicodeEncodeError, match=re.escape(NOT_ENCODED)):
        command.upgrade(basics.config, "head")
    assert mariadb.tables(name) == set()


@pytest.mark.parametrize("password", [LATIN_1, NOT_LATIN_1])
def test_the_password_as_utf8_bytes_reaches_mariadb(
    basics: Project, mariadb: MariaDB, password: str
) -> None:
    """The MariaDB tab's engine, in run_migrations_online, which leaves no
    connection open after the command."""
    name = on_mariadb(basics, mariadb, password)
    basics.edit_engine(read_snippet("basics/mariadb.py:utf8_password"))
    command.upgrade(basics.config, "head")
    assert mariadb.tables(name) == {"some_model"}
    assert mariadb.open_connections() == 0


def test_the_mariadb_tab_installs_the_driver_the_page_is_tested_with() -> None:
    requirements = installed_as_claimed("basics/commands.sh:install_pymysql")
    names = {requirement.name for requirement in requirements}
    assert names == packages_tested_with("basics/db-uri") == {"pymysql"}


def test_a_run_from_a_subfolder_migrates_the_same_database(
    basics: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app is imported anew, as a new process does: through the path
    that prepend_sys_path adds."""
    basics.edit_ini("basics/alembic.ini")
    command.revision(basics.config, "create some_model", autogenerate=True)
    basics.forget_imports()
    monkeypatch.chdir(basics.root / "alembic")
    basics.run("from_subfolder")
    assert basics.tables() == {"some_model"}
    assert not (basics.root / "alembic" / "database.sqlite").exists()


def test_prepend_sys_path_dot_follows_the_current_directory(
    basics: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the alembic.ini change, a subfolder run cannot import the app."""
    monkeypatch.chdir(basics.root / "alembic")
    with pytest.raises(ModuleNotFoundError, match="No module named 'app'"):
        basics.run("from_subfolder")
    assert not basics.db_file.exists()


# docs/basics/sqlalchemy-url.md


def test_sqlalchemy_url_replaces_the_ini_value(basics: Project) -> None:
    config = basics.config
    assert config.get_main_option("sqlalchemy.url").startswith("driver://")
    command.upgrade(config, "head")
    url = sa.make_url(config.get_main_option("sqlalchemy.url"))
    assert url.drivername == "sqlite+pysqlite"
    assert Path(url.database) == basics.db_file


@pytest.mark.parametrize("password", ["100%", "p@ss:w/rd", "%(here)s", "é 1"])
def test_sqlalchemy_url_keeps_any_password(password: str) -> None:
    """The page's section, run on its own: the password survives ConfigParser."""
    url = sa.URL.create(
        "postgresql+psycopg", "app", password, "localhost", database="app"
    )
    config = Config()
    exec(  # noqa: S102
        read_snippet("basics/env.py:sqlalchemy_url"),
        {"config": config, "DB_URI": url},
    )
    stored = sa.make_url(config.get_main_option("sqlalchemy.url"))
    assert stored.password == password
    assert stored == url


def test_config_file_name_is_the_attribute_alembic_has(
    basics: Project,
) -> None:
    """The notes' `config.config_filename` does not exist."""
    config = basics.config
    assert config.config_file_name == str(basics.ini)
    assert not hasattr(config, "config_filename")
    anchor = "if config.config_file_name is not None:"
    assert anchor in generated_env_py("generic")
    assert anchor in basics.env_py.read_text().splitlines()


# docs/basics/target-metadata.md


def test_autogenerate_upgrade_check_downgrade(basics: Project) -> None:
    config = basics.config
    script = command.revision(config, "create some_model", autogenerate=True)
    assert "op.create_table('some_model'" in Path(script.path).read_text()
    command.upgrade(config, "head")
    assert basics.tables() == {"some_model"}
    command.check(config)
    command.downgrade(config, "base")
    assert basics.tables() == set()


def test_base_metadata_is_what_the_instance_reaches(basics: Project) -> None:
    """The notes' `Base().metadata` is `Base.metadata`, via a needless instance."""
    sys.path.insert(0, str(basics.root))
    from app.core.database import Base

    assert Base().metadata is Base.metadata
    assert not hasattr(Base.metadata, "create")
    assert callable(Base.metadata.create_all)


def test_a_model_never_imported_is_dropped_by_autogenerate(
    basics: Project,
) -> None:
    config = basics.config
    command.revision(config, "create some_model", autogenerate=True)
    command.upgrade(config, "head")
    models_import = read_snippet("basics/env.py:model_imports").splitlines()[
        -1
    ]
    env = basics.env_py.read_text()
    basics.env_py.write_text(env.replace(models_import + "\n", ""))
    basics.forget_imports()
    script = command.revision(config, "forgot the import", autogenerate=True)
    assert "op.drop_table('some_model')" in Path(script.path).read_text()


def test_create_all_before_upgrade_fails_until_stamp_head(
    basics: Project,
) -> None:
    config = basics.config
    command.revision(config, "create some_model", autogenerate=True)
    from app.core.database import Base

    engine = sa.create_engine(f"sqlite:///{basics.db_file}")
    Base.metadata.create_all(bind=engine)
    engine.dispose()
    with pytest.raises(
        sa.exc.OperationalError, match="table some_model already exists"
    ):
        command.upgrade(config, "head")
    basics.run("stamp")
    command.check(config)
    assert basics.tables() == {"some_model"}


# docs/basics/complete-env-py.md


def test_complete_env_py_from_the_page_runs_with_the_alembic_cli(
    tmp_path: Path, site: Site
) -> None:
    """A reader's run: `alembic init`, paste the pages' env.py and models
    (a package without __init__.py files imports as a namespace package),
    migrate."""
    reader = Project(tmp_path)

    def commands(section: str) -> str:
        return read_snippet(f"basics/commands.sh:{section}")

    shell(commands("init"), tmp_path)
    reader.paste(site, "basics/complete-env-py", "alembic/env.py")
    reader.paste(
        site,
        "basics/alembic-init",
        "app/core/database.py",
        "app/module/models.py",
    )
    shell(commands("first_migration"), tmp_path)
    assert reader.tables() == {"some_model"}
    checked = shell(commands("check"), tmp_path).stdout
    assert checked == "No new upgrade operations detected.\n"
    shell(commands("downgrade"), tmp_path)
    assert reader.tables() == set()


@pytest.fixture
def add_email(basics: Project) -> Project:
    """The first migration applied, then the page's revision without batch
    mode, not applied."""
    basics.run("first_migration")
    basics.add_revision("basics/versions/add_email.py")
    return basics


def some_model(project: Project) -> tuple[str, dict[str, str]]:
    """The revision in alembic_version, and some_model's column types."""
    with project.connect() as db:
        [(revision,)] = db.execute("SELECT * FROM alembic_version")
        columns = db.execute(
            "SELECT name, type FROM pragma_table_info(?)", ["some_model"]
        )
        return revision, dict(columns.fetchall())


def test_a_migration_without_batch_mode_fails_half_way(
    add_email: Project, capfd: pytest.CaptureFixture[str]
) -> None:
    """Its first operation stays, alembic_version stays, a rerun fails."""
    before, _ = some_model(add_email)
    with pytest.raises(
        sa.exc.OperationalError, match='near "ALTER": syntax error'
    ) as failure:
        command.upgrade(add_email.config, "head")
    assert failure.value.statement == (
        "ALTER TABLE some_model ALTER COLUMN name TYPE VARCHAR(100)"
    )
    assert "Will assume non-transactional DDL." in capfd.readouterr().err
    assert some_model(add_email) == (
        before,
        {"id": "INTEGER", "name": "VARCHAR(50)", "email": "VARCHAR(100)"},
    )
    with pytest.raises(
        sa.exc.OperationalError, match="duplicate column name: email"
    ):
        command.upgrade(add_email.config, "head")


def test_the_column_dropped_by_hand_and_batch_mode_finish_the_migration(
    add_email: Project,
) -> None:
    """The page's command leaves the database as the revision before left
    it; the revision in batch mode then upgrades and downgrades."""
    before = some_model(add_email)
    with pytest.raises(sa.exc.OperationalError):
        command.upgrade(add_email.config, "head")
    add_email.run("recover")
    assert some_model(add_email) == before
    add_email.add_revision("basics/versions/add_email_batch.py")
    command.upgrade(add_email.config, "head")
    assert some_model(add_email) == (
        "3f6a2c1d9b7e",
        {"id": "INTEGER", "name": "VARCHAR(100)", "email": "VARCHAR(100)"},
    )
    command.downgrade(add_email.config, "-1")
    assert some_model(add_email)[1] == {"id": "INTEGER", "name": "VARCHAR(50)"}


# The complete env.py page: where each addition goes.

# The table's names for the sections of snippets/basics/env.py.
SECTIONS = {
    "imports": "imports",
    "model imports": "model_imports",
    "DB_URI": "db_uri",
    "sqlalchemy.url": "sqlalchemy_url",
    "target_metadata": "target_metadata",
}
PLACEMENT = re.compile(
    r"^\| \[([^\]]+)\]\([^)]*\) \| (after|replaces) \| `([^`]+)` \|$",
    re.MULTILINE,
)


def placement() -> list[tuple[str, str, str]]:
    """(section, "after" or "replaces", generated line) of the page's table."""
    page = (DOCS / "basics" / "complete-env-py.md").read_text()
    return [(SECTIONS[n], w, line) for n, w, line in PLACEMENT.findall(page)]


def generated_env_py(template: str) -> list[str]:
    return (
        Path(Config().get_template_directory(), template, "env.py")
        .read_text()
        .splitlines()
    )


def without_additions(lines: list[str]) -> tuple[list[str], dict[str, str]]:
    """The template rebuilt from the snippet, and the line before each addition.

    An "after" addition is dropped with the blank line that follows it; a
    "replaces" one gives way to the generated line it replaces.
    """
    rules = {section: (where, line) for section, where, line in placement()}
    kept: list[str] = []
    before: dict[str, str] = {}
    i = 0
    while i < len(lines):
        marker = MARKER.match(lines[i])
        if not marker:
            kept.append(lines[i])
            i += 1
            continue
        section = marker[2]
        where, anchor = rules[section]
        before[section] = next(k for k in reversed(kept) if k.strip()).strip()
        i += 1
        while not MARKER.match(lines[i]):
            i += 1
        i += 1
        if where == "replaces":
            kept.append(anchor)
        elif i < len(lines) and not lines[i].strip():
            i += 1
    return kept, before


def test_the_table_places_every_section() -> None:
    sections = {m[2] for m in map(MARKER.match, SNIPPET.splitlines()) if m}
    assert sorted(s for s, _, _ in placement()) == sorted(sections)


@pytest.mark.parametrize("template", ["generic", "pyproject"])
def test_env_py_without_the_additions_is_the_generated_template(
    template: str,
) -> None:
    """Fails when a new Alembic release moves a line the page anchors to."""
    generated = generated_env_py(template)
    rebuilt, before = without_additions(SNIPPET.splitlines())
    for section, where, anchor in placement():
        if where == "after":
            found = before[section]
            assert found == anchor, f"{section} follows {found!r} now"
        assert anchor in [g.strip() for g in generated], (
            f"the {template} template has no line {anchor!r} for {section}"
        )
    assert rebuilt == generated


def test_the_page_highlights_exactly_the_additions(site: Site) -> None:
    additions, inside = [], False
    for line in SNIPPET.splitlines():
        if marker := MARKER.match(line):
            inside = marker[1] == "start"
        elif inside:
            additions.append(line)
    (block,) = site.soup("basics/complete-env-py").select(
        "div.highlight:has(span.hll)"
    )
    highlighted = [
        span.get_text().rstrip("\n") for span in block("span", "hll")
    ]
    assert highlighted == additions


@pytest.mark.parametrize(
    "init_commands", ["basics/commands.sh:init_pyproject"]
)
def test_the_pyproject_template_runs_the_same_env_py(
    basics: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From a subfolder too, the app imported anew (prepend_sys_path)."""
    basics.edit_ini("basics/pyproject.toml", "pyproject.toml")
    command.revision(basics.config, "create some_model", autogenerate=True)
    basics.forget_imports()
    monkeypatch.chdir(basics.root / "app")
    basics.run("from_subfolder_pyproject")
    assert basics.tables() == {"some_model"}


@pytest.mark.parametrize("page", ["index", "basics/alembic-init"])
def test_the_pages_claim_the_lowest_versions_of_pyproject(page: str) -> None:
    """The install line's lower bounds, and the sentence above it."""
    ours = project_requirements()
    requirements = installed_as_claimed("basics/commands.sh:install")
    assert {r.name: r.specifier for r in requirements} == {
        name: ours[name].specifier for name in ("alembic", "sqlalchemy")
    }
    text = (DOCS / f"{page}.md").read_text()
    pairs = zip(["Alembic", "SQLAlchemy"], requirements, strict=True)
    for name, requirement in pairs:
        [lowest] = requirement.specifier
        assert lowest.operator == ">="
        assert f"{name} {lowest.version} or newer" in text

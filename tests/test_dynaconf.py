"""docs/recipes/dynaconf.md: connection settings from dynaconf."""

import json
import re
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from dynaconf import ValidationError
from dynaconf.utils.parse_conf import converters
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from harness import (
    DOCS,
    MariaDB,
    Postgres,
    Project,
    Site,
    captured,
    installed_as_claimed,
    packages_tested_with,
    read_snippet,
    shell,
)
from harness.passwords import PASSWORDS, TEXT

SCRIPT = "dynaconf/commands.sh"
# The page's MariaDB lines: settings.toml's production table, and
# run_migrations_online's engine.
MARIADB_TABLE = "dynaconf/mariadb.toml"
MARIADB_ENGINE = "dynaconf/mariadb.py:engine"


@pytest.fixture
def recipe(project: Project, no_db_variables: None) -> Project:
    """The project with the recipe's env.py, settings and secrets files."""
    project.recipe("dynaconf/env.py", "basics/app", ini=None)
    project.put("dynaconf/settings.toml")
    project.put("dynaconf/.secrets.toml.example")
    project.run("secrets", SCRIPT)
    command.revision(project.config, "create some_model", autogenerate=True)
    return project


def url_given_to_alembic(project: Project) -> sa.URL:
    """Run env.py in offline mode, which connects to nothing, and read the URL."""
    config = project.config
    command.upgrade(config, "head", sql=True)
    return sa.make_url(config.get_main_option("sqlalchemy.url"))


def test_the_settings_file_picks_the_database_file(recipe: Project) -> None:
    recipe.run("upgrade", SCRIPT)
    assert recipe.tables("development.sqlite") == {"some_model"}
    assert {p.name for p in recipe.root.glob("*.sqlite")} == {
        "development.sqlite"
    }


def test_db_env_switches_the_database(recipe: Project) -> None:
    recipe.run("testing", SCRIPT)
    assert recipe.tables("testing.sqlite") == {"some_model"}
    assert recipe.tables("development.sqlite") == set()


# Each variable of the page's table, a value for it, and where the URL shows it.
OVERRIDES = {
    "DB_ENV": ("testing", lambda url: Path(url.database).name),
    "DB_DRIVERNAME": ("sqlite", lambda url: url.drivername),
    "DB_HOST": ("db.internal", lambda url: url.host),
    "DB_PORT": ("6543", lambda url: str(url.port)),
    "DB_USERNAME": ("someone", lambda url: url.username),
    "DB_PASSWORD": ("@str 123456", lambda url: "@str " + url.password),
    "DB_DATABASE": ("other.db", lambda url: Path(url.database).name),
    "DB_QUERY": ('{sslmode="disable"}', lambda url: dict(url.query)),
}
EXPECTED = {"DB_ENV": "testing.sqlite", "DB_QUERY": {"sslmode": "disable"}}


def test_the_page_lists_every_variable_the_tests_set() -> None:
    page = (DOCS / "recipes" / "dynaconf.md").read_text()
    assert re.findall(r"^\| `(DB_\w+)` \|", page, re.MULTILINE) == list(
        OVERRIDES
    )


@pytest.mark.parametrize("name", OVERRIDES)
def test_an_environment_variable_wins_over_both_files(
    recipe: Project, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """In production every value is set by settings.toml or .secrets.toml."""
    value, shown = OVERRIDES[name]
    monkeypatch.setenv("DB_ENV", "production")
    before = shown(url_given_to_alembic(recipe))
    monkeypatch.setenv(name, value)
    after = shown(url_given_to_alembic(recipe))
    assert after == EXPECTED.get(name, value)
    assert after != before


def test_production_connects_with_every_value_of_its_table(
    recipe: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """settings.toml's [production] over [default], and the secrets file's
    password."""
    monkeypatch.setenv("DB_ENV", "production")
    assert url_given_to_alembic(recipe) == sa.URL.create(
        "postgresql+psycopg",
        username="app",
        password="change me",
        host="db.example.com",
        port=5432,
        database="app",
        query={"sslmode": "require"},
    )


def test_an_in_memory_database_stays_in_memory(
    recipe: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`:memory:` is no file path to make relative to the project."""
    monkeypatch.setenv("DB_DATABASE", ":memory:")
    assert url_given_to_alembic(recipe).database == ":memory:"


# Each setting a validator types, and a TOML value of another type.
MISTYPED = {
    "DRIVERNAME": "5",
    "DATABASE": "5",
    "HOST": "5",
    "USERNAME": "5",
    "PORT": '"5432"',
    "QUERY": '"sslmode=require"',
}


@pytest.mark.parametrize("name", MISTYPED)
def test_a_mistyped_value_names_the_setting(
    recipe: Project, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """A string setting's message says how to quote it."""
    monkeypatch.setenv("DB_ENV", "production")
    (recipe.root / ".secrets.toml").write_text(
        f'[production]\npassword = "x"\n{name.lower()} = {MISTYPED[name]}\n'
    )
    with pytest.raises(ValidationError) as error:
        url_given_to_alembic(recipe)
    if name in ("PORT", "QUERY"):
        assert str(error.value).startswith(f"{name} must is_type_of ")
    else:
        assert str(error.value) == (
            f"{name} must be a string, not 5, in env production:"
            f" quote it in TOML, or set DB_{name}='@str ...'"
        )


def test_a_missing_value_names_the_setting_and_its_variable(
    recipe: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DB_ENV", "staging")
    databases = set(recipe.root.glob("*.sqlite"))
    with pytest.raises(ValidationError) as error:
        recipe.run("upgrade", SCRIPT)
    assert captured(error) == (
        "dynaconf.validator.ValidationError: "
        "DATABASE is missing in env staging: "
        "set it in settings.toml or as DB_DATABASE\n"
    )
    assert str(error.value) == (
        "DATABASE is missing in env staging: "
        "set it in settings.toml or as DB_DATABASE"
    )
    assert set(recipe.root.glob("*.sqlite")) == databases


@pytest.mark.parametrize("password", ["123456", "true", "1e3"])
def test_passwords_that_look_like_numbers_stay_strings(
    recipe: Project, monkeypatch: pytest.MonkeyPatch, password: str
) -> None:
    monkeypatch.setenv("DB_ENV", "production")
    secrets = recipe.root / ".secrets.toml"
    secrets.write_text(f'[production]\npassword = "{password}"\n')
    assert url_given_to_alembic(recipe).password == password
    monkeypatch.setenv("DB_PASSWORD", f"@str {password}")
    secrets.write_text("")
    assert url_given_to_alembic(recipe).password == password


@pytest.mark.parametrize(
    ("password", "read"),
    [("123456", "123456"), ("true", "True"), ("1e3", "1000.0")],
)
def test_an_unquoted_password_is_refused(
    recipe: Project, monkeypatch: pytest.MonkeyPatch, password: str, read: str
) -> None:
    """The message names the value TOML read, and how to quote it."""
    monkeypatch.setenv("DB_ENV", "production")
    (recipe.root / ".secrets.toml").write_text(
        f"[production]\npassword = {password}\n"
    )
    with pytest.raises(ValidationError) as error:
        url_given_to_alembic(recipe)
    assert captured(error) == (
        "dynaconf.validator.ValidationError: PASSWORD must be a string, not"
        f" {read}, in env production: quote it in TOML, or set"
        " DB_PASSWORD='@str ...'\n"
    )
    monkeypatch.setenv("DB_PASSWORD", password)
    with pytest.raises(ValidationError, match=r"DB_PASSWORD='@str \.\.\.'"):
        url_given_to_alembic(recipe)


@pytest.mark.parametrize(
    ("value", "password"), [("@str @str x", "x"), ("@str @int 5", 5)]
)
def test_str_converts_a_password_that_starts_with_a_marker_again(
    recipe: Project,
    monkeypatch: pytest.MonkeyPatch,
    value: str,
    password: str | int,
) -> None:
    """`@str` keeps numbers, not "whatever follows": 5 is refused."""
    monkeypatch.setenv("DB_ENV", "production")
    monkeypatch.setenv("DB_PASSWORD", value)
    if isinstance(password, str):
        assert url_given_to_alembic(recipe).password == password
        return
    with pytest.raises(ValidationError, match="PASSWORD must be a string"):
        url_given_to_alembic(recipe)


def test_a_marker_in_the_secrets_file_is_converted_too(
    recipe: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DB_ENV", "production")
    (recipe.root / ".secrets.toml").write_text(
        '[production]\npassword = "@int 5"\n'
    )
    with pytest.raises(ValidationError, match="not 5,"):
        url_given_to_alembic(recipe)


def test_render_as_string_escapes_the_password_that_url_create_keeps(
    recipe: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DB_ENV", "production")
    (recipe.root / ".secrets.toml").write_text(
        '[production]\npassword = "p@ss:/%"\n'
    )
    config = recipe.config
    command.upgrade(config, "head", sql=True)
    url = config.get_main_option("sqlalchemy.url")
    # %40 %3A %2F on every SQLAlchemy the site supports; % itself only on
    # newer ones, which the round trip covers either way.
    assert "//app:p%40ss%3A%2F" in url
    assert sa.make_url(url).password == "p@ss:/%"
    assert sa.URL.create("postgresql", password="p@ss:/%").password == (
        "p@ss:/%"
    )


def test_a_run_from_a_subfolder_migrates_the_same_database(
    recipe: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    recipe.edit_ini("basics/alembic.ini")
    monkeypatch.chdir(recipe.root / "app")
    recipe.run("from_subfolder")
    assert recipe.tables("development.sqlite") == {"some_model"}
    assert not list((recipe.root / "app").glob("*.sqlite"))


def test_the_settings_are_found_from_outside_the_project(
    recipe: Project,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    recipe.edit_ini("basics/alembic.ini")
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    command.upgrade(recipe.config, "head")
    assert recipe.tables("development.sqlite") == {"some_model"}


def test_bare_file_names_are_not_found_from_outside_the_project(
    recipe: Project,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    recipe.edit_ini("basics/alembic.ini")
    env = recipe.env_py.read_text()
    for name in ("settings.toml", ".secrets.toml"):
        env = env.replace(f'str(PROJECT_DIR / "{name}")', f'"{name}"')
    recipe.env_py.write_text(env)
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    with pytest.raises(ValidationError, match="DRIVERNAME is missing"):
        command.upgrade(recipe.config, "head")
    monkeypatch.chdir(recipe.root)
    command.upgrade(recipe.config, "head")


def test_files_copied_from_the_page_give_one_database_and_the_password(
    project: Project,
    no_db_variables: None,
    site: Site,
    server: Postgres | MariaDB,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A reader's files, pasted from the page, and the page's commands, run
    from the project's root and from a subfolder; on MariaDB, with the
    page's MariaDB lines pasted too."""
    password = "from the page: %@:/ é"
    server.create_role("guide_reader", password)
    project.edit_ini("basics/alembic.ini")
    project.add_app("basics/app")
    project.paste(
        site,
        "recipes/dynaconf",
        "alembic/env.py",
        "settings.toml",
        ".secrets.toml.example",
    )
    if isinstance(server, MariaDB):
        blocks = dict(site.code_blocks("recipes/dynaconf"))
        for_mariadb(
            project,
            blocks["settings.toml: [production]"],
            blocks["alembic/env.py: run_migrations_online"],
        )
    project.run("secrets", SCRIPT)
    command.revision(project.config, "create some_model", autogenerate=True)

    project.run("upgrade", SCRIPT)
    monkeypatch.chdir(project.root / "app")
    project.run("from_subfolder")
    monkeypatch.chdir(project.root)
    assert [p.name for p in project.root.rglob("*.sqlite")] == [
        "development.sqlite"
    ]
    assert project.tables("development.sqlite") == {"some_model"}

    use_server(monkeypatch, server, "guide_reader")
    (project.root / ".secrets.toml").write_text(
        f"[production]\npassword = {json.dumps(password)}\n"
    )
    project.run("production", SCRIPT)
    assert server.tables("guide_reader") == {"some_model"}


def test_git_ignores_the_secrets_file(tmp_path: Path) -> None:
    shell("git init -q", tmp_path)
    (tmp_path / ".gitignore").write_text(read_snippet("dynaconf/.gitignore"))
    shell("git check-ignore -q .secrets.toml", tmp_path)
    with pytest.raises(subprocess.CalledProcessError):
        shell("git check-ignore -q .secrets.toml.example", tmp_path)


# A real server: the password must survive to authenticate.


@pytest.fixture(params=["postgres", "mariadb"])
def server(request: pytest.FixtureRequest) -> Postgres | MariaDB:
    """Each server the production environment is tested on."""
    return request.getfixturevalue(request.param)


def for_mariadb(project: Project, table: str, engine: str) -> None:
    """A reader's MariaDB lines: the production table in place of
    settings.toml's own (its last), and run_migrations_online's engine."""
    settings = project.root / "settings.toml"
    text = settings.read_text()
    settings.write_text(text[: text.index("[production]")] + table + "\n")
    project.edit_engine(engine)


def use_server(
    monkeypatch: pytest.MonkeyPatch, server: Postgres | MariaDB, role: str
) -> None:
    """Point the production environment at the test server, which has no
    TLS."""
    monkeypatch.setenv("DB_ENV", "production")
    monkeypatch.setenv("DB_HOST", server.host)
    monkeypatch.setenv("DB_PORT", str(server.port))
    monkeypatch.setenv("DB_USERNAME", role)
    monkeypatch.setenv("DB_DATABASE", role)
    if isinstance(server, Postgres):
        monkeypatch.setenv("DB_QUERY", '{sslmode="disable"}')


def on_server(
    project: Project,
    monkeypatch: pytest.MonkeyPatch,
    server: Postgres | MariaDB,
    role: str,
) -> None:
    """use_server, with the page's MariaDB lines on MariaDB."""
    if isinstance(server, MariaDB):
        mariadb_lines(project)
    use_server(monkeypatch, server, role)


def mariadb_lines(project: Project) -> None:
    """The page's MariaDB lines, in the project."""
    table, engine = read_snippet(MARIADB_TABLE), read_snippet(MARIADB_ENGINE)
    for_mariadb(project, table, engine)


def test_the_recipe_migrates_a_real_server(
    recipe: Project,
    monkeypatch: pytest.MonkeyPatch,
    server: Postgres | MariaDB,
) -> None:
    password = "p%w@rd:with/slashes"
    server.create_role("guide_app", password)
    on_server(recipe, monkeypatch, server, "guide_app")
    monkeypatch.setenv("DB_PASSWORD", f"@str {password}")
    recipe.run("production", SCRIPT)
    assert server.tables("guide_app") == {"some_model"}
    command.check(recipe.config)
    command.downgrade(recipe.config, "base")
    assert server.tables("guide_app") == set()


def test_the_password_never_appears_in_alembic_output(
    recipe: Project,
    monkeypatch: pytest.MonkeyPatch,
    server: Postgres | MariaDB,
    capfd: pytest.CaptureFixture[str],
) -> None:
    """The page's `alembic upgrade head`, with SQLAlchemy's engine log on.

    The password's distinctive start would show in any of its forms: plain,
    URL-escaped or with `%` doubled.
    """
    password = "s3cret%@:/word"
    server.create_role("guide_logs", password)
    on_server(recipe, monkeypatch, server, "guide_logs")
    value = json.dumps(password)
    (recipe.root / ".secrets.toml").write_text(
        f"[production]\npassword = {value}\n"
    )
    engine_log = "level = {}\nhandlers =\nqualname = sqlalchemy.engine"
    ini = recipe.ini.read_text()
    assert engine_log.format("WARNING") in ini
    ini = ini.replace(engine_log.format("WARNING"), engine_log.format("INFO"))
    recipe.ini.write_text(ini)
    capfd.readouterr()
    recipe.run("upgrade", SCRIPT)
    output = "".join(capfd.readouterr())
    assert "Running upgrade" in output
    assert "CREATE TABLE some_model" in output
    assert "s3cret" not in output


def test_on_mariadb_psycopgs_sslmode_is_refused(
    recipe: Project, monkeypatch: pytest.MonkeyPatch, mariadb: MariaDB
) -> None:
    """settings.toml's own production table, with PyMySQL for driver."""
    mariadb.create_role("guide_sslmode", "password")
    (recipe.root / ".secrets.toml").write_text(
        '[production]\npassword = "password"\n'
    )
    use_server(monkeypatch, mariadb, "guide_sslmode")
    monkeypatch.setenv("DB_DRIVERNAME", "mysql+pymysql")
    with pytest.raises(
        TypeError, match="unexpected keyword argument 'sslmode'"
    ):
        recipe.run("production", SCRIPT)
    mariadb_lines(recipe)
    monkeypatch.delenv("DB_DRIVERNAME")
    recipe.run("production", SCRIPT)
    assert mariadb.tables("guide_sslmode") == {"some_model"}


def test_the_mariadb_table_gives_production_every_value(
    recipe: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    mariadb_lines(recipe)
    monkeypatch.setenv("DB_ENV", "production")
    assert url_given_to_alembic(recipe) == sa.URL.create(
        "mysql+pymysql",
        username="app",
        password="change me",
        host="db.example.com",
        port=3306,
        database="app",
    )


def test_the_mariadb_engine_leaves_no_connection_open(
    recipe: Project, monkeypatch: pytest.MonkeyPatch, mariadb: MariaDB
) -> None:
    mariadb.create_role("guide_closed", "password")
    on_server(recipe, monkeypatch, mariadb, "guide_closed")
    monkeypatch.setenv("DB_PASSWORD", "password")
    recipe.run("production", SCRIPT)
    assert mariadb.tables("guide_closed") == {"some_model"}
    assert mariadb.open_connections() == 0


def test_the_mariadb_lines_keep_development_on_sqlite(
    recipe: Project,
) -> None:
    mariadb_lines(recipe)
    recipe.run("upgrade", SCRIPT)
    assert recipe.tables("development.sqlite") == {"some_model"}


def test_the_mariadb_lines_take_a_user_without_a_password(
    recipe: Project, monkeypatch: pytest.MonkeyPatch, mariadb: MariaDB
) -> None:
    mariadb.create_role("guide_nopassword", "")
    on_server(recipe, monkeypatch, mariadb, "guide_nopassword")
    (recipe.root / ".secrets.toml").write_text("")
    recipe.run("production", SCRIPT)
    assert mariadb.tables("guide_nopassword") == {"some_model"}


# A password, or a dynaconf marker and text after it.
MARKED = st.builds(
    "{}{}".format,
    st.sampled_from(sorted(converters)),
    st.one_of(st.just(""), st.builds(" {}".format, TEXT)),
)


def marked(password: str) -> bool:
    """Whether dynaconf reads the password as one of its markers."""
    return password.partition(" ")[0] in converters


def test_any_password_reaches_the_engine_unchanged(
    recipe: Project,
    monkeypatch: pytest.MonkeyPatch,
    server: Postgres | MariaDB,
) -> None:
    """Authentication succeeds only if the server gets the exact password:
    any, through `@format`; any without a marker, from the secrets file."""
    server.create_role("guide_any", "placeholder")
    on_server(recipe, monkeypatch, server, "guide_any")
    monkeypatch.delenv("DB_ENV")
    secrets = recipe.root / ".secrets.toml"

    @settings(max_examples=100, deadline=None)
    @given(
        password=st.one_of(PASSWORDS, MARKED),
        through_format=st.booleans(),
    )
    @example(password="@int 5", through_format=True)
    @example(password="@str @json {", through_format=True)
    @example(password="@format {x}", through_format=True)
    def migrate_with(password: str, through_format: bool) -> None:
        assume(through_format or not marked(password))
        server.create_role("guide_any", password)
        if through_format:
            monkeypatch.setenv("APP_DB_PASSWORD", password)
            secrets.write_text("")
            recipe.run("any_password", SCRIPT)
            assert server.tables("guide_any") == {"some_model"}
        else:
            monkeypatch.setenv("DB_ENV", "production")
            value = json.dumps(password, ensure_ascii=False)
            secrets.write_text(f"[production]\npassword = {value}\n")
            command.current(recipe.config)

    migrate_with()


def test_the_install_lines_name_the_packages_the_page_is_tested_with() -> None:
    names = {
        requirement.name
        for section in ("install", "install_mariadb")
        for requirement in installed_as_claimed(f"{SCRIPT}:{section}")
    }
    assert names == packages_tested_with("recipes/dynaconf")

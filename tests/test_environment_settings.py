"""docs/recipes/environment-settings.md: the URL from environment variables,
read from os.environ or by a pydantic-settings class."""

import pytest
import sqlalchemy as sa
from alembic import command
from hypothesis import example, given, settings
from pydantic import ValidationError

from harness import (
    Postgres,
    Project,
    captured,
    installed_as_claimed,
    matches_output,
    packages_tested_with,
)
from harness.passwords import PASSWORDS

SCRIPT = "environment-settings/commands.sh"
# The page's tabs, and the env.py of each.
WAYS = {
    "os-environ": "environment-settings/os-environ/env.py",
    "pydantic": "environment-settings/pydantic/env.py",
}
# Each variable the page names, for the test server's values.
NAMES = ["DB_HOST", "DB_PORT", "DB_USERNAME", "DB_PASSWORD", "DB_DATABASE"]


def point_at(
    monkeypatch: pytest.MonkeyPatch, server: Postgres, role: str, password: str
) -> None:
    """Set the page's variables to a role's database on the test server."""
    values = [server.host, str(server.port), role, password, role]
    for name, value in zip(NAMES, values, strict=True):
        monkeypatch.setenv(name, value)


@pytest.fixture(params=WAYS)
def way(request: pytest.FixtureRequest) -> str:
    """The page's tab."""
    return request.param


@pytest.fixture
def recipe(project: Project, no_db_variables: None, way: str) -> Project:
    """The project with the tab's env.py and the notes' application."""
    return project.recipe(WAYS[way], "basics/app", ini=None)


@pytest.fixture
def migrated(
    recipe: Project,
    monkeypatch: pytest.MonkeyPatch,
    postgres: Postgres,
    way: str,
) -> Project:
    """The recipe pointed at a role's database, with a first revision."""
    role = f"settings_{way.replace('-', '_')}"
    postgres.create_role(role, f"{role} password")
    point_at(monkeypatch, postgres, role, f"{role} password")
    command.revision(recipe.config, "create some_model", autogenerate=True)
    return recipe


def url_given_to_alembic(project: Project) -> sa.URL:
    """Run env.py in offline mode, which connects to nothing, and read the URL."""
    config = project.config
    command.upgrade(config, "head", sql=True)
    return sa.make_url(config.get_main_option("sqlalchemy.url"))


def test_each_way_migrates_the_server_the_variables_name(
    migrated: Project, postgres: Postgres, way: str
) -> None:
    migrated.run("upgrade", SCRIPT)
    role = f"settings_{way.replace('-', '_')}"
    assert postgres.tables(role) == {"some_model"}
    command.check(migrated.config)
    command.downgrade(migrated.config, "base")
    assert postgres.tables(role) == set()


def test_each_way_reads_every_variable(
    recipe: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in zip(
        NAMES, ["db", "6543", "me", "pw", "app"], strict=True
    ):
        monkeypatch.setenv(name, value)
    assert url_given_to_alembic(recipe) == sa.URL.create(
        "postgresql+psycopg",
        username="me",
        password="pw",
        host="db",
        port=6543,
        database="app",
    )


@pytest.mark.parametrize("way", ["os-environ"], indirect=True)
@pytest.mark.parametrize("name", NAMES)
def test_a_missing_variable_is_named_before_anything_is_made(
    recipe: Project, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """Not a bare KeyError: the message names the variable, and the list."""
    for each in NAMES:
        monkeypatch.setenv(each, "5432")
    monkeypatch.delenv(name)
    before = set(recipe.root.rglob("*"))
    with pytest.raises(RuntimeError) as error:
        recipe.run("upgrade", SCRIPT)
    assert str(error.value) == (
        f"set {name}: env.py builds the database URL from the environment"
        " variables DB_HOST, DB_PORT, DB_USERNAME, DB_PASSWORD, DB_DATABASE"
    )
    assert set(recipe.root.rglob("*")) - before == set()


@pytest.mark.parametrize("way", ["os-environ"], indirect=True)
def test_every_missing_variable_is_named_at_once(recipe: Project) -> None:
    with pytest.raises(RuntimeError) as error:
        recipe.run("upgrade", SCRIPT)
    matches_output(
        "environment-settings/output/missing-variables.txt", captured(error)
    )


@pytest.mark.parametrize("way", ["os-environ"], indirect=True)
def test_without_the_check_a_missing_variable_is_a_bare_key_error(
    recipe: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in NAMES:
        monkeypatch.setenv(name, "5432")
    monkeypatch.delenv("DB_PASSWORD")
    recipe.edit_env("if missing:", "if False:")
    with pytest.raises(KeyError) as error:
        url_given_to_alembic(recipe)
    assert captured(error).splitlines()[0] == "KeyError: 'DB_PASSWORD'"


@pytest.mark.parametrize("way", ["pydantic"], indirect=True)
def test_a_missing_setting_is_named_before_anything_is_made(
    recipe: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The message's first lines: the class, the setting, the reason."""
    for name in NAMES:
        monkeypatch.setenv(name, "secret value 5432")
    monkeypatch.setenv("DB_PORT", "5432")
    monkeypatch.delenv("DB_PASSWORD")
    before = set(recipe.root.rglob("*"))
    with pytest.raises(ValidationError) as error:
        recipe.run("upgrade", SCRIPT)
    lines = captured(error).splitlines(keepends=True)
    matches_output(
        "environment-settings/output/missing.txt", "".join(lines[:3])
    )
    assert "secret value" not in captured(error)
    assert set(recipe.root.rglob("*")) - before == set()


@pytest.mark.parametrize("way", ["pydantic"], indirect=True)
def test_a_mistyped_setting_is_named_and_its_value_kept_out(
    recipe: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in NAMES:
        monkeypatch.setenv(name, "x")
    monkeypatch.setenv("DB_PORT", "5432x")
    with pytest.raises(ValidationError) as error:
        url_given_to_alembic(recipe)
    assert captured(error).splitlines()[1:3] == [
        "port",
        (
            "  Input should be a valid integer, unable to parse string as an"
            " integer [type=int_parsing]"
        ),
    ]
    assert "5432x" not in captured(error)


@pytest.mark.parametrize("way", ["pydantic"], indirect=True)
def test_without_hide_input_the_message_shows_the_password(
    recipe: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in NAMES:
        monkeypatch.setenv(name, "x")
    monkeypatch.setenv("DB_PASSWORD", "s3cret")
    monkeypatch.setenv("DB_PORT", "5432x")
    recipe.edit_env("        hide_input_in_errors=True,\n")
    with pytest.raises(ValidationError) as error:
        url_given_to_alembic(recipe)
    assert "input_value='5432x'" in captured(error)
    monkeypatch.setenv("DB_PORT", "5432")
    monkeypatch.delenv("DB_DATABASE")
    with pytest.raises(ValidationError) as error:
        url_given_to_alembic(recipe)
    assert "'password': 's3cret'" in captured(error)


@pytest.mark.parametrize("way", ["pydantic"], indirect=True)
def test_the_env_file_sets_what_the_environment_does_not(
    recipe: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    recipe.put("environment-settings/.env.example")
    recipe.run("dotenv", SCRIPT)
    assert url_given_to_alembic(recipe) == sa.URL.create(
        "postgresql+psycopg",
        username="app",
        password="change me",
        host="localhost",
        port=5432,
        database="app",
    )
    monkeypatch.setenv("DB_HOST", "db.internal")
    assert url_given_to_alembic(recipe).host == "db.internal"


@pytest.mark.parametrize("way", ["pydantic"], indirect=True)
def test_the_env_file_is_found_from_outside_the_project(
    recipe: Project,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    recipe.edit_ini("basics/alembic.ini")
    recipe.put("environment-settings/.env.example", ".env")
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    assert url_given_to_alembic(recipe).username == "app"


def test_any_password_reaches_the_server_unchanged(
    migrated: Project,
    monkeypatch: pytest.MonkeyPatch,
    postgres: Postgres,
    way: str,
) -> None:
    """Authentication succeeds only if the server gets the exact password."""
    role = f"settings_{way.replace('-', '_')}"
    migrated.run("upgrade", SCRIPT)

    @settings(max_examples=100, deadline=None)
    @given(password=PASSWORDS)
    @example(password="123456")
    @example(password="true")
    def connect_with(password: str) -> None:
        postgres.create_role(role, password)
        monkeypatch.setenv("DB_PASSWORD", password)
        command.current(migrated.config)

    connect_with()


def test_the_install_line_names_the_packages_the_page_is_tested_with() -> None:
    requirements = installed_as_claimed(f"{SCRIPT}:install")
    names = {requirement.name for requirement in requirements}
    assert names == packages_tested_with("recipes/environment-settings")

"""docs/recipes/shared-connection.md: migrate the caller's connection."""

import pytest
import sqlalchemy as sa

from harness import (
    Project,
    captured,
    installed_as_claimed,
    packages_tested_with,
)


@pytest.fixture
def shared(project: Project) -> Project:
    """The notes' application with its first revision, and app.migrate."""
    return project.recipe(
        "shared-connection/env.py",
        "basics/app",
        revision="create some_model",
        put={"shared-connection/migrate.py": "app/migrate.py"},
    )


def migrate_in_memory(project: Project) -> set[str]:
    """app.migrate.upgrade on an in-memory database: the tables it then has."""
    upgrade = project.load("app.migrate").upgrade
    engine = sa.create_engine("sqlite://")
    with engine.connect() as connection:
        upgrade(connection)
        tables = set(sa.inspect(connection).get_table_names())
    engine.dispose()
    return tables - {"alembic_version"}


def test_upgrade_migrates_the_callers_in_memory_database(
    shared: Project,
) -> None:
    assert migrate_in_memory(shared) == {"some_model"}
    assert shared.tables() == set()


def test_without_the_recipe_env_py_migrates_its_own_database(
    shared: Project,
) -> None:
    shared.edit_env('config.attributes.get("connection")', "None")
    assert migrate_in_memory(shared) == set()
    assert shared.tables() == {"some_model"}


def test_alembic_commits_unless_the_caller_began_a_transaction(
    shared: Project,
) -> None:
    upgrade = shared.load("app.migrate").upgrade
    for began in (False, True):
        engine = sa.create_engine("sqlite://")
        with engine.connect() as connection:
            if began:
                connection.begin()
            upgrade(connection)
            assert connection.in_transaction() is began
        engine.dispose()


def run_readers_tests(reader: pytest.Pytester) -> pytest.RunResult:
    """pytest on the reader's tests, in this process: without the cache
    (which writes files), and, as this suite, without Hypothesis' plugin
    (which cannot start once Hypothesis is imported)."""
    result = reader.runpytest_inprocess(
        "-p", "no:cacheprovider", "-p", "no:hypothesispytest", "tests"
    )
    captured(result.stdout.str())
    return result


@pytest.fixture
def reader(shared: Project, pytester: pytest.Pytester) -> pytest.Pytester:
    """The reader's tests and pytest settings, in the project."""
    for ref in (
        "shared-connection/tests/conftest.py",
        "shared-connection/tests/test_app.py",
        "shared-connection/tests/test_migrations.py",
    ):
        shared.put(ref, ref.removeprefix("shared-connection/"))
    shared.put("shared-connection/pyproject.toml", "pyproject.toml")
    return pytester


def test_the_readers_fixture_and_pytest_alembics_tests_pass(
    shared: Project, reader: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the fixtures' in-memory databases: alembic.ini's is untouched."""
    before = shared.db_file.read_bytes()
    monkeypatch.chdir(shared.root)
    result = run_readers_tests(reader)
    result.assert_outcomes(passed=5)
    assert shared.db_file.read_bytes() == before


def test_without_the_block_pytest_alembic_fails_to_collect(
    shared: Project, reader: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reason for the pyproject.toml setting, with the tested versions."""
    (shared.root / "pyproject.toml").write_text("[tool.pytest.ini_options]\n")
    monkeypatch.chdir(shared.root)
    result = run_readers_tests(reader)
    result.stdout.fnmatch_lines(["*'TestCollector' object has no attribute*"])
    result.assert_outcomes(errors=1)


def test_without_the_recipe_pytest_alembic_tests_another_database(
    shared: Project, reader: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its four tests pass on alembic.ini's file; the fixture's is empty."""
    shared.edit_env('config.attributes.get("connection")', "None")
    monkeypatch.chdir(shared.root)
    result = run_readers_tests(reader)
    result.assert_outcomes(passed=4, failed=1)
    result.stdout.fnmatch_lines(
        ["tests/test_app.py F*", "tests/test_migrations.py ....*"]
    )
    result.stdout.fnmatch_lines(["E * no such table: some_model"])
    assert shared.tables() == {"some_model"}


def test_the_install_line_names_the_packages_the_page_is_tested_with() -> None:
    requirements = installed_as_claimed(
        "shared-connection/commands.sh:install"
    )
    names = {requirement.name for requirement in requirements}
    assert names == packages_tested_with("recipes/shared-connection")

"""docs/recipes/async-engine.md: the async template, with aiosqlite."""

import asyncio
import gc

import pytest
from alembic import command
from sqlalchemy.ext.asyncio import create_async_engine

from harness import (
    Project,
    captured,
    installed_as_claimed,
    packages_tested_with,
    without_section,
)


@pytest.fixture
def init_commands() -> str:
    """This page's `alembic init`, with the async template."""
    return "async-engine/commands.sh:init"


@pytest.fixture
def asynchronous(project: Project) -> Project:
    """The notes' application, with an aiosqlite URL."""
    return project.recipe(
        "async-engine/env.py",
        "basics/app",
        ini="async-engine/alembic.ini",
        put={"async-engine/startup.py": "startup.py"},
    )


def test_the_alembic_command_runs_the_async_env_py(
    asynchronous: Project,
) -> None:
    asynchronous.run("first_migration")
    assert asynchronous.tables() == {"some_model"}


def test_migrate_upgrades_from_a_running_event_loop(
    asynchronous: Project,
) -> None:
    command.revision(asynchronous.config, "some_model", autogenerate=True)
    startup = asynchronous.load("startup")
    engine = create_async_engine(f"sqlite+aiosqlite:///{asynchronous.db_file}")

    async def main() -> None:
        await startup.migrate(engine)
        await engine.dispose()

    asyncio.run(main())
    assert asynchronous.tables() == {"some_model"}


def upgrade_in_a_running_loop(project: Project) -> str:
    """Call command.upgrade from a coroutine: the error it raises.

    The coroutine that the template made, and never awaited, is collected
    before this returns, and warns then.
    """

    async def main() -> None:
        command.upgrade(project.config, "head")

    try:
        asyncio.run(main())
    except RuntimeError as error:
        message = captured(error)
    gc.collect()
    return message


def test_the_template_alone_cannot_run_in_a_running_loop(
    asynchronous: Project,
) -> None:
    command.revision(asynchronous.config, "some_model", autogenerate=True)
    asynchronous.env_py.write_text(
        without_section("async-engine/env.py:connection")
    )
    with pytest.warns(RuntimeWarning, match="was never awaited"):
        error = upgrade_in_a_running_loop(asynchronous)
    assert "cannot be called from a running event loop" in error
    assert asynchronous.tables() == set()


def test_the_install_line_names_the_packages_the_page_is_tested_with() -> None:
    requirements = installed_as_claimed("async-engine/commands.sh:install")
    names = {requirement.name for requirement in requirements}
    assert names == packages_tested_with("recipes/async-engine")

"""docs/recipes/compare-type.md: what autogenerate compares, by option."""

from inspect import signature
from pathlib import Path

import pytest
from alembic import command
from alembic.runtime.environment import EnvironmentContext

from harness import Project, matches_output, migration


@pytest.fixture
def compared(project: Project) -> Project:
    """The notes' model migrated, then given a longer name with a default."""
    project.recipe("compare-type/env.py", "basics/app")
    project.run("first_migration")
    project.put("compare-type/models.py", "app/module/models.py")
    project.forget_imports()
    return project


def test_the_recipe_detects_the_new_type_and_server_default(
    compared: Project,
) -> None:
    assert compared.detected() == {"modify_type", "modify_default"}
    script = command.revision(compared.config, "longer", autogenerate=True)
    matches_output(
        "compare-type/output/longer_name.py",
        migration(Path(script.path).read_text()),
    )


def test_compare_type_is_alembics_default(compared: Project) -> None:
    """The recipe leaves it out: the longer type is seen all the same."""
    assert "compare_type" not in compared.env_py.read_text()
    default = signature(EnvironmentContext.configure).parameters[
        "compare_type"
    ]
    assert default.default is True
    compared.edit_env("compare_server_default=True,")
    assert compared.detected() == {"modify_type"}


def test_compare_type_false_misses_the_longer_column(
    compared: Project,
) -> None:
    compared.edit_env("compare_server_default=True,", "compare_type=False,")
    assert compared.detected() == set()


def test_unchanged_columns_and_defaults_report_nothing(
    project: Project,
) -> None:
    project.recipe("compare-type/env.py", "basics/app")
    project.put("compare-type/models.py", "app/module/models.py")
    project.run("first_migration")
    assert project.detected() == set()

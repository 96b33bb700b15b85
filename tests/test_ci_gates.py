"""docs/recipes/ci-gates.md: one head, and a database at it."""

import subprocess

import pytest
from alembic import command
from alembic.script import ScriptDirectory

from harness import (
    Project,
    installed_as_claimed,
    matches_output,
    packages_tested_with,
)

COMMANDS = "ci-gates/commands.sh"
VERSIONS = "ci-gates/versions"
BASE = "1f0e8c2b4a6d"
BRANCHES = {"5a3c9e7b1d20": "add_email", "9d2b6f4e8c13": "add_phone"}


@pytest.fixture
def branches(project: Project, monkeypatch: pytest.MonkeyPatch) -> Project:
    """The notes' model migrated by BASE, and the page's two revisions after
    it, as two merged branches leave them; the page's test file in tests/.

    The page's pytest runs without this environment's plugins, which a
    reader's project does not have (they take seconds a run to load).
    """
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    project.recipe("drift-check/env.py", "basics/app")
    command.revision(
        project.config, "create some_model", autogenerate=True, rev_id=BASE
    )
    for revision, name in BRANCHES.items():
        project.put(
            f"{VERSIONS}/{name}.py",
            f"alembic/versions/{revision}_{name}.py",
        )
    project.put("ci-gates/test_migrations.py", "tests/test_migrations.py")
    return project


def heads(project: Project) -> tuple[str, ...]:
    return ScriptDirectory.from_config(project.config).get_heads()


def columns(project: Project) -> list[str]:
    with project.connect() as db:
        rows = db.execute("SELECT name FROM pragma_table_info('some_model')")
        return [name for (name,) in rows]


def failing(project: Project, section: str) -> str:
    """Run a pytest section of the page, which must fail: what it printed."""
    with pytest.raises(subprocess.CalledProcessError) as error:
        project.run(section, COMMANDS)
    assert error.value.returncode == 1
    return error.value.stdout


def test_alembic_heads_lists_both_branches_revisions(
    branches: Project, capfd: pytest.CaptureFixture[str]
) -> None:
    branches.run("heads", COMMANDS)
    matches_output("ci-gates/output/heads.txt", capfd.readouterr().out)
    assert set(heads(branches)) == set(BRANCHES)


def test_upgrade_head_fails_while_there_are_two_heads(
    branches: Project, capfd: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit:
        branches.run("upgrade", COMMANDS)
    assert exit.value.code != 0
    printed = capfd.readouterr()
    assert (
        "FAILED: Multiple head revisions are present for given argument"
        " 'head'; please specify a specific target revision,"
        " '<branchname>@head' to narrow to a specific head, or 'heads' for"
        " all heads"
    ) in printed.out + printed.err
    assert branches.tables() == set()


def test_merge_heads_makes_one_head_that_upgrade_head_reaches(
    branches: Project,
) -> None:
    branches.run("merge", COMMANDS)
    [merge] = heads(branches)
    revision = ScriptDirectory.from_config(branches.config).get_revision(merge)
    assert set(revision.down_revision) == set(BRANCHES)
    assert revision.doc == "merge email and phone"
    branches.run("upgrade", COMMANDS)
    assert sorted(columns(branches)) == ["email", "id", "name", "phone"]


def test_the_one_head_test_fails_until_the_heads_are_merged(
    branches: Project,
) -> None:
    branches.db_file.unlink()
    assert (
        "AssertionError: ['5a3c9e7b1d20', '9d2b6f4e8c13']: run alembic merge"
        " heads"
    ) in failing(branches, "one_head")
    branches.run("merge", COMMANDS)
    branches.run("one_head", COMMANDS)
    assert not branches.db_file.exists()


def test_the_database_test_fails_until_the_database_is_at_head(
    branches: Project,
) -> None:
    branches.run("merge", COMMANDS)
    command.upgrade(branches.config, BASE)
    out = failing(branches, "at_head")
    assert f"AssertionError: ('{BASE}',): run alembic upgrade head" in out
    branches.run("upgrade", COMMANDS)
    branches.run("at_head", COMMANDS)


def test_the_install_line_names_the_packages_the_page_is_tested_with() -> None:
    requirements = installed_as_claimed(f"{COMMANDS}:install")
    names = {requirement.name for requirement in requirements}
    assert names == packages_tested_with("recipes/ci-gates")

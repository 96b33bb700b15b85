"""docs/recipes/format-revisions.md: ruff on every new revision, as Alembic's
post-write hooks run it."""

import os
import re
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory

from harness import (
    Project,
    alembic_cli,
    installed_as_claimed,
    matches_output,
    packages_tested_with,
    read_snippet,
    shell,
)

COMMANDS = "format-revisions/commands.sh"
# The reader's ruff settings (pyproject.toml's [tool.ruff]) and the
# revisions' own (alembic/versions/ruff.toml), under other names here: as
# ruff.toml, or a pyproject.toml with [tool.ruff], this repository's ruff
# would take them for settings of its snippets/ folder.
SETTINGS = "format-revisions/tool-ruff.toml"
VERSIONS_SETTINGS = "format-revisions/versions-ruff.toml"
# The hooks: in alembic.ini, with either runner, and in pyproject.toml.
HOOKS = "format-revisions/alembic.ini"
EXEC_HOOKS = "format-revisions/exec.ini"
TOML_HOOKS = "format-revisions/post_write_hooks.toml"
HEADER = "[post_write_hooks]\n"
# What the hooks print after `Generating ...`, and the revision they leave.
PRINTED = "format-revisions/output/hooks.txt"
REVISION = "format-revisions/output/create_some_model.py"
# A body that a reader writes into a revision of `alembic revision -m`.
UPGRADE = 'op.add_column("some_model", sa.Column("nickname", sa.String(50)))'
DOWNGRADE = 'op.drop_column("some_model", "nickname")'
# A message whose docstring line, with its opening quotes, has 80
# characters: one more than the settings' line length.
LONG_MESSAGE = (
    "add a nickname column, shown in the lists in place of names that are"
    " too long"
)
# As autogenerate writes it, the hooks not run.
UNFORMATTED = "from typing import Sequence, Union\n"
FORMATTED = "from collections.abc import Sequence\n"


def add_hooks(project: Project, ref: str = HOOKS) -> None:
    """Put a snippet's hooks under the `[post_write_hooks]` header that
    `alembic init` writes, above its commented examples."""
    project.edit("alembic.ini", HEADER, read_snippet(ref) + "\n")


def notes(project: Project, pyproject: str = "") -> Project:
    """The notes' env.py and models, with the page's ruff settings (and
    `pyproject`'s further lines) and the revisions' own."""
    project.recipe(
        "basics/env.py",
        "basics/app",
        ini=None,
        put={VERSIONS_SETTINGS: "alembic/versions/ruff.toml"},
    )
    settings = read_snippet(SETTINGS) + "\n" + pyproject
    (project.root / "pyproject.toml").write_text(settings)
    return project


def formatted(project: Project, hooks: str = HOOKS) -> Project:
    """The notes' project with a snippet's hooks in alembic.ini."""
    add_hooks(notes(project), hooks)
    return project


@pytest.fixture
def hooked(project: Project) -> Project:
    """The page's project, with the module runner's hooks."""
    return formatted(project)


def check_lines() -> list[str]:
    """The page's two checks."""
    return read_snippet(f"{COMMANDS}:check").splitlines()


def after_generating(printed: str) -> str:
    """What `alembic revision` printed after its `Generating ...` line."""
    return printed[printed.index("\nRunning post write hook") + 1 :]


def below_docstring(script: str) -> str:
    """A migration script without its docstring, which holds its date."""
    return script[script.index('"""\n', 3) + len('"""\n\n') :]


def test_without_hooks_a_new_revision_fails_ruff_check_and_ruff_format(
    project: Project,
) -> None:
    notes(project)
    project.run("revision", COMMANDS)
    script = project.head_script()
    assert "from alembic import op\nimport sqlalchemy as sa\n" in script
    assert "down_revision: Union[str, Sequence[str], None] = None\n" in script
    assert "op.create_table('some_model',\n    sa.Column('id', " in script
    [check, format_check] = check_lines()
    with pytest.raises(subprocess.CalledProcessError) as lint:
        shell(check, project.root)
    codes = set(re.findall(r"^([A-Z]+\d+) ", lint.value.stdout, re.MULTILINE))
    assert codes == {"I001", "UP007", "UP035"}
    with pytest.raises(subprocess.CalledProcessError) as formatting:
        shell(format_check, project.root)
    assert "1 file would be reformatted" in formatting.value.stdout
    # No warning of ruff's on the settings, such as a deprecated place.
    assert lint.value.stderr == formatting.value.stderr == ""


def test_the_hooks_leave_a_new_revision_that_both_checks_pass(
    hooked: Project, capfd: pytest.CaptureFixture[str]
) -> None:
    hooked.run("revision", COMMANDS)
    matches_output(PRINTED, after_generating(capfd.readouterr().out))
    hooked.run("check", COMMANDS)
    head = ScriptDirectory.from_config(hooked.config).get_revision("head")
    assert head.doc == "create some_model"


def test_the_hooks_write_the_revision_the_page_shows(hooked: Project) -> None:
    script = command.revision(
        hooked.config,
        "create some_model",
        autogenerate=True,
        rev_id="1f0e8c2b4a6d",
    )
    matches_output(REVISION, below_docstring(Path(script.path).read_text()))


def test_without_the_revisions_settings_fix_deletes_the_imports_they_need(
    hooked: Project,
) -> None:
    (hooked.root / "alembic" / "versions" / "ruff.toml").unlink()
    hooked.write_revision("add nickname", UPGRADE, DOWNGRADE)
    assert "from alembic import op" not in hooked.head_script()
    assert "import sqlalchemy" not in hooked.head_script()
    with pytest.raises(NameError, match=r"^name 'op' is not defined$"):
        command.upgrade(hooked.config, "head")


def test_with_the_revisions_settings_a_revision_keeps_the_imports_it_needs(
    hooked: Project,
) -> None:
    command.revision(hooked.config, "create some_model", autogenerate=True)
    hooked.write_revision("add nickname", UPGRADE, DOWNGRADE)
    command.upgrade(hooked.config, "head")
    with hooked.connect() as db:
        rows = db.execute("SELECT name FROM pragma_table_info('some_model')")
        assert [name for (name,) in rows] == ["id", "name", "nickname"]
    hooked.run("check", COMMANDS)


def test_the_revisions_settings_allow_the_unused_imports_there_alone(
    project: Project,
) -> None:
    """The application's modules keep the page's settings of pyproject.toml."""
    notes(project)
    imports = "import sqlalchemy as sa\nfrom alembic import op\n"
    (project.root / "alembic" / "versions" / "unused.py").write_text(imports)
    (project.root / "app" / "unused.py").write_text(imports)
    shell("ruff check alembic/versions/unused.py", project.root)
    with pytest.raises(subprocess.CalledProcessError) as lint:
        shell("ruff check app/unused.py", project.root)
    assert lint.value.stdout.count("F401 [*]") == 2


@pytest.mark.parametrize(
    "init_commands", ["basics/commands.sh:init_pyproject"]
)
def test_pyproject_tomls_hooks_run_with_the_pyproject_template(
    project: Project, capfd: pytest.CaptureFixture[str]
) -> None:
    """Its alembic.ini has no [post_write_hooks] section."""
    assert HEADER not in project.ini.read_text()
    generated = (project.root / "pyproject.toml").read_text()
    notes(project, generated + "\n" + read_snippet(TOML_HOOKS))
    project.run("revision", COMMANDS)
    matches_output(PRINTED, after_generating(capfd.readouterr().out))
    project.run("check", COMMANDS)


def test_pyproject_tomls_hooks_are_ignored_while_alembic_ini_has_the_section(
    project: Project, capfd: pytest.CaptureFixture[str]
) -> None:
    """The generic template's section, every line of it a comment."""
    notes(project, read_snippet(TOML_HOOKS))
    command.revision(project.config, "create some_model", autogenerate=True)
    assert "Running post write hook" not in capfd.readouterr().out
    assert UNFORMATTED in project.head_script()
    project.edit("alembic.ini", HEADER)
    command.revision(project.config, "add nickname")
    assert "Running post write hook" in capfd.readouterr().out
    assert FORMATTED in project.head_script()


def test_the_generic_templates_ruff_example_uses_the_module_runner(
    project: Project,
) -> None:
    """Its commented-out example, as `alembic init` writes it."""
    ini = project.ini.read_text()
    assert "# ruff.type = module\n# ruff.module = ruff\n" in ini


def test_the_module_runner_needs_no_ruff_on_the_path(
    hooked: Project,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path_factory.mktemp("no-ruff")))
    hooked.run("revision", COMMANDS)
    assert FORMATTED in hooked.head_script()


def test_the_exec_runner_runs_the_ruff_on_the_path(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This environment's bin folder, where `pip install ruff` put it."""
    formatted(project, EXEC_HOOKS)
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent), os.pathsep)
    project.run("revision", COMMANDS)
    project.run("check", COMMANDS)


def test_without_ruff_on_the_path_the_exec_runner_fails_and_leaves_the_revision(
    project: Project,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    formatted(project, EXEC_HOOKS)
    monkeypatch.setenv("PATH", str(tmp_path_factory.mktemp("no-ruff")))
    with pytest.raises(FileNotFoundError) as missing:
        project.run("revision", COMMANDS)
    assert str(missing.value) == "[Errno 2] No such file or directory: 'ruff'"
    assert UNFORMATTED in project.head_script()


def test_the_console_scripts_runner_finds_no_ruff(
    hooked: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """ruff's wheel installs a program, and no Python entry point."""
    scripts = {entry.name for entry in entry_points(group="console_scripts")}
    assert "ruff" not in scripts
    assert "alembic" in scripts
    hooked.edit(
        "alembic.ini",
        "ruff_fix.type = module\nruff_fix.module = ruff\n",
        "ruff_fix.type = console_scripts\nruff_fix.entrypoint = ruff\n",
    )
    with pytest.raises(SystemExit):
        hooked.run("revision", COMMANDS)
    printed = capsys.readouterr().out
    assert printed.endswith(
        "FAILED: Could not find entrypoint console_scripts.ruff\n"
    )
    assert UNFORMATTED in hooked.head_script()


def test_alembic_ignores_a_hook_that_fails(
    hooked: Project, capfd: pytest.CaptureFixture[str]
) -> None:
    """ruff check cannot fix a line too long in the docstring: the command
    goes on, formats the file and exits 0, the revision not ruff-clean."""
    assert len(f'"""{LONG_MESSAGE}') == 80
    alembic_cli("revision", "-m", LONG_MESSAGE)
    printed = after_generating(capfd.readouterr().out)
    fixing, formatting = printed.split("Running post write hook 'ruff_format'")
    assert fixing.startswith("Running post write hook 'ruff_fix' ...\n")
    assert "E501 Line too long (80 > 79)\n" in fixing
    assert fixing.endswith("Found 7 errors (6 fixed, 1 remaining).\n  done\n")
    assert formatting == " ...\n1 file reformatted\n  done\n"
    [check, format_check] = check_lines()
    with pytest.raises(subprocess.CalledProcessError) as lint:
        shell(check, hooked.root)
    assert "E501 Line too long (80 > 79)" in lint.value.stdout
    shell(format_check, hooked.root)


def test_the_install_line_names_the_packages_the_page_is_tested_with() -> None:
    requirements = installed_as_claimed(f"{COMMANDS}:install")
    names = {requirement.name for requirement in requirements}
    assert names == packages_tested_with("recipes/format-revisions")

"""docs/recipes/revision-imports.md: revisions that import the types they
name, on the SQLModel shape and the shape with a column type of its own."""

import subprocess
from dataclasses import replace

import pytest
from alembic import command
from ruff.__main__ import find_ruff_bin

from harness import (
    ENV_PAGES,
    SHAPES,
    EnvPage,
    Reader,
    Shape,
    installed_as_claimed,
    packages_tested_with,
    read_snippet,
)

# The lines of the generated script.py.mako that the page's lines replace.
TEMPLATE_IMPORTS = (
    "from alembic import op\n"
    "import sqlalchemy as sa\n"
    '${imports if imports else ""}\n'
)
ENVS = {
    **ENV_PAGES,
    "revision-imports/env.py": EnvPage(
        "revision-imports/env.py", None, "target_metadata"
    ),
    "revision-imports/prefix/env.py": EnvPage(
        "revision-imports/prefix/env.py", None, "target_metadata"
    ),
}
BOTH = ["sqlmodel", "own-type"]


@pytest.fixture
def shape(request: pytest.FixtureRequest) -> Shape:
    """A shape whose revisions stay as autogenerate writes them."""
    return replace(SHAPES[request.param], revision_import=None)


@pytest.fixture
def env_page(request: pytest.FixtureRequest) -> EnvPage:
    """A complete env.py page's, or one of this recipe's."""
    return ENVS[request.param]


def add_to_template(reader: Reader, ref: str) -> str:
    """Put the page's lines over the generated template's imports; the line
    they add."""
    lines = read_snippet(ref) + "\n"
    generated = TEMPLATE_IMPORTS.splitlines(keepends=True)
    [added] = [
        line
        for line in lines.splitlines(keepends=True)
        if line not in generated
    ]
    assert lines.replace(added, "") == TEMPLATE_IMPORTS
    path = reader.project.root / "alembic" / "script.py.mako"
    text = path.read_text()
    assert text.count(TEMPLATE_IMPORTS) == 1
    path.write_text(text.replace(TEMPLATE_IMPORTS, lines))
    return added


def migrates(reader: Reader) -> None:
    """`upgrade head` creates the table, `check` finds nothing to do and
    `downgrade base` drops it."""
    config = reader.project.config
    command.upgrade(config, "head")
    assert set(reader.schema()) == {"some_model"}
    command.check(config)
    command.downgrade(config, "base")
    assert reader.schema() == {}


@pytest.mark.parametrize("env_page", ["basics/complete-env-py"], indirect=True)
@pytest.mark.parametrize(
    ("shape", "written", "name"),
    [
        (
            "sqlmodel",
            (
                "sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=50),"
                " nullable=False)"
            ),
            "sqlmodel",
        ),
        (
            "own-type",
            (
                "sa.Column('code', app.core.types.GUID(length=32),"
                " nullable=False)"
            ),
            "app",
        ),
    ],
    indirect=["shape"],
)
def test_autogenerate_names_the_types_module_which_the_revision_lacks(
    reader: Reader, written: str, name: str
) -> None:
    text = reader.revision("some_model")
    assert written in text
    assert f"import {name}" not in text
    with pytest.raises(NameError) as error:
        command.upgrade(reader.project.config, "head")
    assert str(error.value) == f"name '{name}' is not defined"


@pytest.mark.parametrize("env_page", list(ENV_PAGES), indirect=True)
@pytest.mark.parametrize(
    ("shape", "template"),
    [
        ("sqlmodel", "revision-imports/sqlmodel/script.py.mako"),
        ("own-type", "revision-imports/own-type/script.py.mako"),
    ],
    indirect=["shape"],
)
def test_an_import_in_script_py_mako_is_in_every_new_revision(
    reader: Reader, template: str
) -> None:
    added = add_to_template(reader, template)
    imports = f"import sqlalchemy as sa\n{added}"
    assert imports in reader.revision("some_model")
    migrates(reader)
    command.upgrade(reader.project.config, "head")
    assert imports in reader.revision("no change")


@pytest.mark.parametrize(
    "env_page", ["revision-imports/prefix/env.py"], indirect=True
)
@pytest.mark.parametrize(
    ("shape", "types", "written"),
    [
        (
            "sqlmodel",
            "revision-imports/sqlmodel/app/migration_types.py",
            "app.migration_types.AutoString(length=50)",
        ),
        (
            "own-type",
            "revision-imports/own-type/app/migration_types.py",
            "app.migration_types.GUID(length=32)",
        ),
    ],
    indirect=["shape"],
)
def test_user_module_prefix_names_every_such_type_after_one_module(
    reader: Reader, types: str, written: str
) -> None:
    """With that module, and its import in script.py.mako."""
    reader.project.put(types, str(reader.package / "migration_types.py"))
    added = add_to_template(reader, "revision-imports/prefix/script.py.mako")
    assert added == "import app.migration_types\n"
    text = reader.revision("some_model")
    assert written in text
    assert f"import sqlalchemy as sa\n{added}" in text
    migrates(reader)


@pytest.mark.parametrize(
    "env_page", ["revision-imports/prefix/env.py"], indirect=True
)
@pytest.mark.parametrize("shape", BOTH, indirect=True)
def test_user_module_prefix_without_the_import_stops_with_name_error(
    reader: Reader,
) -> None:
    reader.revision("some_model")
    with pytest.raises(NameError) as error:
        command.upgrade(reader.project.config, "head")
    assert str(error.value) == "name 'app' is not defined"


@pytest.mark.parametrize(
    "env_page", ["revision-imports/env.py"], indirect=True
)
@pytest.mark.parametrize(
    ("shape", "imported", "written"),
    [
        (
            "sqlmodel",
            "from sqlmodel.sql.sqltypes import AutoString",
            "sa.Column('name', AutoString(length=50), nullable=False)",
        ),
        (
            "own-type",
            "from app.core.types import GUID",
            "sa.Column('code', GUID(length=32), nullable=False)",
        ),
    ],
    indirect=["shape"],
)
def test_render_item_writes_each_such_type_by_name_and_imports_it(
    reader: Reader, imported: str, written: str
) -> None:
    """With the generated script.py.mako."""
    text = reader.revision("some_model")
    assert f"import sqlalchemy as sa\n{imported}\n" in text
    assert written in text
    assert "sa.Column('id', sa.Integer(), nullable=False)" in text
    migrates(reader)


# ruff's unused import and undefined name in __all__, for stdin.
UNUSED = ["--select", "F401,F822", "--stdin-filename", "migration_types.py"]


@pytest.mark.parametrize("shape_name", BOTH)
def test_migration_types_declares_what_it_re_exports(shape_name: str) -> None:
    """`__all__`: a linter keeps the imports that nothing in the module uses."""
    ref = f"revision-imports/{shape_name}/app/migration_types.py"
    lint = subprocess.run(
        [find_ruff_bin(), "check", "--isolated", "--no-cache", *UNUSED],
        input=read_snippet(ref),
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout


def test_the_install_line_names_the_packages_the_page_is_tested_with() -> None:
    requirements = installed_as_claimed("revision-imports/commands.sh:install")
    names = {requirement.name for requirement in requirements}
    assert names == packages_tested_with("recipes/revision-imports")

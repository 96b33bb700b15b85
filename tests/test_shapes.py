"""The example application in the shapes of readers' projects, through the
two complete env.py pages (docs/basics/complete-env-py.md and
docs/recipes/complete-env-py.md): each shape's tab, run."""

import enum
import re
import textwrap
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from harness import (
    ENV_PAGES,
    SHAPES,
    EnvPage,
    Project,
    Reader,
    Site,
    fences,
    includes,
    read_snippet,
    snippet_text,
)

ROWS = [
    {
        "id": 1,
        "name": "ada",
        "code": "0" * 31 + "1",
        "note": "first",
        "level": "low",
    },
    {
        "id": 2,
        "name": "alan",
        "code": "0" * 31 + "2",
        "note": None,
        "level": "high",
    },
    {
        "id": 3,
        "name": "grace",
        "code": "0" * 31 + "3",
        "note": "third",
        "level": "low",
    },
]
INSERT = (
    "INSERT INTO some_model (id, name, code, note, level)"
    " VALUES (:id, :name, :code, :note, :level)"
)
KEPT = "SELECT id, name, code, level FROM some_model ORDER BY id"
CHANGED = "SELECT id, name, code, level, status FROM some_model ORDER BY id"
# some_model's columns as the models declare them, on each database (but
# `code`, whose type is the shape's): SQLite has an Enum as a VARCHAR as long
# as its longest member's name, PostgreSQL as a type of its own, with the
# members' names, MariaDB as an ENUM column; PostgreSQL's integer primary key
# draws from a sequence.
COLUMNS = {
    "sqlite": {
        "id": "INTEGER NOT NULL",
        "name": "VARCHAR(50) NOT NULL",
        "note": "VARCHAR(200)",
        "level": "VARCHAR(4) NOT NULL",
    },
    "postgresql": {
        "id": "INTEGER NOT NULL DEFAULT nextval('some_model_id_seq'::regclass)",
        "name": "VARCHAR(50) NOT NULL",
        "note": "VARCHAR(200)",
        "level": "ENUM('low', 'high', name='level') NOT NULL",
    },
    "mysql": {
        "id": "INTEGER(11) NOT NULL",
        "name": "VARCHAR(50) NOT NULL",
        "note": "VARCHAR(200)",
        "level": "ENUM('low', 'high') NOT NULL",
    },
}
# The default of the NOT NULL column that the change adds, as each database
# reflects it.
STATUS_DEFAULT = {
    "sqlite": "DEFAULT 'active'",
    "postgresql": "DEFAULT 'active'::character varying",
    "mysql": "DEFAULT 'active'",
}
# What the pages quote and show for PostgreSQL.
DUPLICATE = '(psycopg.errors.DuplicateObject) type "level" already exists'
DROP_TYPE = "shapes/postgresql/revision.py:drop_type"
# The new column without a length, and what MariaDB's upgrade says of it.
UNSIZED_STATUS = (
    '    status: Mapped[str] = mapped_column(server_default="active")\n'
)
NO_LENGTH = "VARCHAR requires a length on dialect mysql"
# Each shape's tab on both pages, and the snippet folder of what it shows.
TABS = {
    "app-package": ("app/ package", "shapes/app-package"),
    "src-layout": ("src/ layout", "shapes/src-layout"),
    "flask-sqlalchemy": ("Flask-SQLAlchemy", "shapes/flask-sqlalchemy"),
    "sqlmodel": ("SQLModel", "shapes/sqlmodel"),
    "own-type": ("A column type of its own", "shapes/own-type"),
}


def kept_rows() -> list[tuple[int, str, str, str]]:
    return [(r["id"], r["name"], r["code"], r["level"]) for r in ROWS]


def declared(reader: Reader) -> dict[str, str]:
    """some_model's columns as the reader's models declare them."""
    code = f"{reader.shape.code_type} NOT NULL"
    return {**COLUMNS[reader.backend], "code": code}


def status(reader: Reader) -> str:
    """The `status` column the change adds, as the shape's models declare
    it: SQLModel's `str` is its AutoString (a VARCHAR, of 255 on MySQL's
    dialect), Flask-SQLAlchemy's `db.String` a VARCHAR without a length, the
    others' `String(20)`."""
    if reader.shape is SHAPES["sqlmodel"]:
        from sqlmodel.sql.sqltypes import AutoString

        kind: sa.types.TypeEngine = AutoString()
    elif reader.shape is SHAPES["flask-sqlalchemy"]:
        kind = sa.String()
    else:
        kind = sa.String(20)
    with reader.engine() as engine:
        ddl = kind.compile(engine.dialect)
    return f"{ddl} NOT NULL {STATUS_DEFAULT[reader.backend]}"


def before(reader: Reader) -> dict:
    """The schema the first revision creates."""
    return {
        "some_model": {
            "columns": declared(reader),
            "indexes": {"ix_some_model_name"},
            "uniques": {"uq_some_model_code"},
        }
    }


def after(reader: Reader) -> dict:
    """The schema after the change: `status` in place of `note`, the index
    and the constraint renamed."""
    columns = declared(reader)
    del columns["note"]
    return {
        "some_model": {
            "columns": {**columns, "status": status(reader)},
            "indexes": {"some_model_name_idx"},
            "uniques": {"some_model_code_key"},
        }
    }


@pytest.mark.parametrize(
    ("shape", "database"),
    [(name, db) for name in SHAPES for db in ("sqlite", "postgresql")]
    + [("app-package", "mariadb"), ("sqlmodel", "mariadb")],
    indirect=True,
)
def test_every_shape_migrates_and_a_later_change_keeps_every_row(
    reader: Reader,
) -> None:
    """Autogenerate, upgrade (each column as the models declare it), check,
    downgrade base, upgrade; then a new NOT NULL column with a server
    default, a dropped column, a renamed index and a renamed constraint,
    with rows in the table, and `downgrade -1`. In batch mode where env.py
    has it: on SQLite, as the pages give it.
    """
    config = reader.project.config
    assert "op.create_table('some_model'" in reader.revision("some_model")
    command.upgrade(config, "head")
    assert reader.schema() == before(reader)
    command.check(config)
    command.downgrade(config, "base")
    assert reader.schema() == {}
    command.upgrade(config, "head")
    reader.execute(INSERT, *ROWS)
    reader.ready_for_sqlite_changes()
    reader.change_models()
    batch = "render_as_batch=True" in reader.project.env_py.read_text()
    assert batch or reader.backend != "sqlite"
    change = reader.revision("change")
    assert ("batch_alter_table('some_model'" in change) == batch
    command.upgrade(config, "head")
    assert reader.schema() == after(reader)
    assert reader.execute(CHANGED) == [(*row, "active") for row in kept_rows()]
    command.downgrade(config, "-1")
    assert reader.schema() == before(reader)
    assert reader.execute(KEPT) == kept_rows()


@pytest.mark.parametrize("env_page", ["basics/complete-env-py"], indirect=True)
def test_without_batch_mode_sqlite_stops_the_change_halfway(
    reader: Reader,
) -> None:
    """The template's configure call: the constraint cannot be renamed, and
    what ran before it stays, since SQLite's DDL is not transactional."""
    config = reader.project.config
    reader.revision("some_model")
    command.upgrade(config, "head")
    reader.execute(INSERT, *ROWS)
    first = reader.execute("SELECT version_num FROM alembic_version")
    reader.change_models()
    reader.revision("change")
    with pytest.raises(
        NotImplementedError,
        match="No support for ALTER of constraints in SQLite dialect",
    ):
        command.upgrade(config, "head")
    assert reader.execute("SELECT version_num FROM alembic_version") == first
    columns = {**declared(reader), "status": status(reader)}
    assert reader.schema() == {
        "some_model": {
            "columns": columns,
            "indexes": set(),
            "uniques": {"uq_some_model_code"},
        }
    }
    assert reader.execute(KEPT) == kept_rows()


@pytest.mark.parametrize(
    ("shape", "database"), [("app-package", "postgresql")], indirect=True
)
def test_on_postgresql_downgrade_leaves_the_enum_type_and_upgrade_fails(
    reader: Reader,
) -> None:
    """The autogenerated downgrade drops the table, not its Enum's type."""
    config = reader.project.config
    command.revision(config, "some_model", autogenerate=True)
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    assert reader.schema() == {}
    assert reader.enum_types() == {"level"}
    with pytest.raises(sa.exc.ProgrammingError, match=re.escape(DUPLICATE)):
        command.upgrade(config, "head")
    assert reader.schema() == {}


@pytest.mark.parametrize(
    ("shape", "database"),
    [("app-package", "postgresql"), ("sqlmodel", "postgresql")],
    indirect=True,
)
def test_on_postgresql_a_downgrade_that_drops_the_type_round_trips(
    reader: Reader,
) -> None:
    """With the page's line after drop_table, as `reader.revision` adds it."""
    config = reader.project.config
    drop = textwrap.indent(read_snippet(DROP_TYPE), " " * 4)
    assert drop in reader.revision("some_model")
    command.upgrade(config, "head")
    assert reader.enum_types() == {"level"}
    command.downgrade(config, "base")
    assert reader.enum_types() == set()
    command.upgrade(config, "head")
    assert reader.schema() == before(reader)


@pytest.mark.parametrize(
    ("shape", "database"), [("app-package", "mariadb")], indirect=True
)
def test_on_mariadb_a_str_column_needs_a_length(reader: Reader) -> None:
    """`Mapped[str]` alone is a VARCHAR without a length, which the MySQL
    dialect cannot write: the upgrade stops before it changes anything."""
    config = reader.project.config
    reader.revision("some_model")
    command.upgrade(config, "head")
    note, _ = reader.shape.column
    reader.shape = replace(reader.shape, column=(note, UNSIZED_STATUS))
    reader.change_models()
    assert "sa.Column('status', sa.String()," in reader.revision("change")
    with pytest.raises(sa.exc.CompileError, match=re.escape(NO_LENGTH)):
        command.upgrade(config, "head")
    assert reader.schema() == before(reader)


@pytest.mark.parametrize(
    ("shape", "written", "name"),
    [
        (
            "sqlmodel",
            "sqlmodel.sql.sqltypes.AutoString(length=50)",
            "sqlmodel",
        ),
        ("own-type", "app.core.types.GUID(length=32)", "app"),
    ],
    indirect=["shape"],
)
def test_a_revision_naming_a_type_it_does_not_import_stops_with_name_error(
    reader: Reader, written: str, name: str
) -> None:
    """Until the tab's import is added to the revision."""
    config = reader.project.config
    script = command.revision(config, "some_model", autogenerate=True)
    assert written in Path(script.path).read_text()
    with pytest.raises(NameError, match=f"name '{name}' is not defined"):
        command.upgrade(config, "head")
    reader.add_import(Path(script.path))
    command.upgrade(config, "head")
    assert reader.schema() == before(reader)


def test_an_enum_column_holds_its_members_names_not_their_values() -> None:
    """The database's labels, and the revision's, are Level's names: its
    values are the application's alone."""
    level = enum.Enum("Level", {"low": "a value", "high": "another"})
    assert sa.Enum(level).enums == ["low", "high"]


@pytest.mark.parametrize("env_page", ["basics/complete-env-py"], indirect=True)
@pytest.mark.parametrize(
    ("shape", "database"),
    [("own-type", "sqlite"), ("own-type", "postgresql")],
    indirect=True,
)
def test_the_own_column_type_stores_a_uuid_as_32_digits_and_reads_it_back(
    reader: Reader,
) -> None:
    """Through the models: a uuid.UUID in, the same uuid.UUID out, its 32
    hexadecimal digits in the column. With cache_ok, SQLAlchemy caches the
    statements that use the type: a query run again reuses its compiled
    SQL (without cache_ok it warns, and a warning fails the suite; with it
    False, each run compiles anew)."""
    reader.revision("some_model")
    command.upgrade(reader.project.config, "head")
    models = reader.project.load("app.module.models")
    code = uuid.uuid4()
    row = {"name": "ada", "code": code, "level": models.Level.low}
    query = sa.select(models.SomeModel.code).where(
        models.SomeModel.code == code
    )
    with reader.engine() as engine, engine.begin() as connection:
        connection.execute(sa.insert(models.SomeModel), [row])
        first = connection.execute(query)
        second = connection.execute(query)
        assert [first.scalar_one(), second.scalar_one()] == [code, code]
        assert second.context.compiled is first.context.compiled
    assert reader.execute("SELECT code FROM some_model") == [(code.hex,)]


def test_a_src_layout_needs_prepend_sys_path_to_import_the_app(
    project: Project, env_page: EnvPage
) -> None:
    """With the generated `prepend_sys_path = .`, `app` is out of reach."""
    Reader(project, replace(SHAPES["src-layout"], ini=None), env_page)
    with pytest.raises(ModuleNotFoundError, match="No module named 'app'"):
        command.revision(project.config, "some_model", autogenerate=True)


@pytest.mark.parametrize("page", list(ENV_PAGES))
def test_each_page_shows_each_shapes_lines_in_its_tab(
    page: str, site: Site
) -> None:
    """The tabs are the shapes', in order, and each shows the lines the
    shape's reader takes, and every snippet of the page from its folder."""
    (tabs,) = site.soup(page).select("div.tabbed-set")
    labels = [label.get_text() for label in tabs.select(".tabbed-labels > *")]
    assert labels == [label for label, _ in TABS.values()]
    blocks = tabs.select(".tabbed-content > .tabbed-block")
    refs = [
        ref for _, source in fences(page) for ref in includes(source) or []
    ]
    for (name, (_, folder)), block in zip(TABS.items(), blocks, strict=True):
        codes = block.select("div.highlight code")
        shown = [code.get_text().rstrip("\n") for code in codes]
        mine = [r for r in refs if r.startswith(f"{folder}/")]
        for ref in [*SHAPES[name].edits(ENV_PAGES[page]), *mine]:
            assert snippet_text(ref).rstrip("\n") in shown, f"{name}: {ref}"

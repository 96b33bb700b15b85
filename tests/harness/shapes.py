"""The example application in the shapes of readers' projects.

A `Shape` is the example application as one kind of project declares it:
an `app/` package with a `DeclarativeBase`, the same in a `src/` layout,
Flask-SQLAlchemy, SQLModel, and a column type of the application's own. An
`EnvPage` is a page's complete env.py. The `reader` fixture is a project of
each shape with each page's env.py, edited as the shape's tab says; a test
asks for `shape` or `env_page` by name, indirectly, to take fewer.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from .project import Project
from .snippets import read_snippet

# What the second model change renames, in every shape.
RENAMES = {
    "ix_some_model_name": "some_model_name_idx",
    "uq_some_model_code": "some_model_code_key",
}


# run_migrations_online's configure call, as the generic template writes it.
TEMPLATE_CONFIGURE = """\
        context.configure(
            connection=connection, target_metadata=target_metadata
        )"""


@dataclass(frozen=True)
class EnvPage:
    """A page's complete env.py, and what else it needs in the project."""

    env: str
    # alembic.ini's lines for it, or None to keep the generated file.
    ini: str | None
    # The shape's section that takes the place of the page's target_metadata
    # line; None keeps the page's own.
    target: str | None
    # The lines the page gives for a change SQLite's ALTER cannot do: they
    # replace the template's configure call.
    sqlite_changes: str | None = None


@dataclass(frozen=True)
class Shape:
    """The example application as a kind of project declares it."""

    app: str
    # The shape's env.py lines, by section: model_imports, target_metadata
    # and target_metadata_list (a list, for the recipes' env.py).
    env: Mapping[str, str]
    # The models module, in the package, and its nullable `note` column's
    # line and the NOT NULL `status` line that replaces it.
    models: str
    column: tuple[str, str]
    # Snippet files put over the package's own: ref to path in the package.
    put: Mapping[str, str] = field(default_factory=dict)
    folder: str = ""
    ini: str | None = None
    # What the shape's revisions import, besides the template's imports.
    revision_import: str | None = None
    # Clears what the shape's library keeps of the models after their
    # modules are forgotten, as a new process would.
    forget: Callable[[], None] | None = None

    def edits(self, page: EnvPage) -> list[str]:
        """The snippets a reader of this shape takes for the page's env.py."""
        lines = [self.env["model_imports"]]
        lines += [self.env[page.target]] if page.target else []
        return lines + [r for r in (self.ini, self.revision_import) if r]


def forget_sqlmodel_tables() -> None:
    """SQLModel's own registry and MetaData hold every table class made."""
    from sqlmodel import SQLModel
    from sqlmodel.main import default_registry

    default_registry.dispose()
    SQLModel.metadata.clear()


def sections(file: str) -> dict[str, str]:
    """A shape's env.py lines, each section of one snippet file."""
    names = ["model_imports", "target_metadata", "target_metadata_list"]
    return {name: f"{file}:{name}" for name in names}


APP_PACKAGE_ENV = {
    "model_imports": "basics/env.py:model_imports",
    "target_metadata": "basics/env.py:target_metadata",
    "target_metadata_list": "shapes/app-package/env.py:target_metadata_list",
}
DECLARATIVE_COLUMN = (
    "    note: Mapped[str | None] = mapped_column(String(200))\n",
    '    status: Mapped[str] = mapped_column(server_default="active")\n',
)
SHAPES = {
    "app-package": Shape(
        app="basics/app",
        env=APP_PACKAGE_ENV,
        put={"shapes/app-package/app/module/models.py": "module/models.py"},
        models="module/models.py",
        column=DECLARATIVE_COLUMN,
    ),
    "src-layout": Shape(
        app="basics/app",
        env=APP_PACKAGE_ENV,
        put={"shapes/app-package/app/module/models.py": "module/models.py"},
        models="module/models.py",
        column=DECLARATIVE_COLUMN,
        folder="src",
        ini="shapes/src-layout/alembic.ini",
    ),
    "flask-sqlalchemy": Shape(
        app="shapes/flask-sqlalchemy/app",
        env=sections("shapes/flask-sqlalchemy/env.py"),
        models="models.py",
        column=(
            "    note = db.Column(db.String(200))\n",
            (
                "    status = db.Column(db.String, nullable=False,"
                ' server_default="active")\n'
            ),
        ),
    ),
    "sqlmodel": Shape(
        app="shapes/sqlmodel/app",
        env=sections("shapes/sqlmodel/env.py"),
        models="models.py",
        column=(
            "    note: str | None = Field(default=None, max_length=200)\n",
            (
                "    status: str = Field(sa_column_kwargs="
                '{"server_default": "active"})\n'
            ),
        ),
        revision_import="shapes/sqlmodel/revision.py:import",
        forget=forget_sqlmodel_tables,
    ),
    "own-type": Shape(
        app="basics/app",
        env=APP_PACKAGE_ENV,
        put={
            "shapes/own-type/app/core/types.py": "core/types.py",
            "shapes/own-type/app/module/models.py": "module/models.py",
        },
        models="module/models.py",
        column=DECLARATIVE_COLUMN,
        revision_import="shapes/own-type/revision.py:import",
    ),
}
ENV_PAGES = {
    "basics/complete-env-py": EnvPage(
        "basics/env.py",
        None,
        "target_metadata",
        sqlite_changes="batch-mode/env.py:render_as_batch",
    ),
    "recipes/complete-env-py": EnvPage(
        "complete-env-py/env.py", "recipes/alembic.ini", "target_metadata_list"
    ),
}


class Reader:
    """A project of one shape, with a page's env.py edited as its tab says.

    Every check reads the database through `url`, with SQLAlchemy: the
    SQLite file next to alembic.ini, which both pages' env.py migrate.
    """

    def __init__(self, project: Project, shape: Shape, page: EnvPage) -> None:
        self.project, self.shape, self.page = project, shape, page
        for ini in (page.ini, shape.ini):
            if ini is not None:
                project.edit_ini(ini)
        project.add_env(page.env)
        for section, mine in [
            ("model_imports", "model_imports"),
            ("target_metadata", page.target),
        ]:
            if mine is not None:
                project.edit_env(
                    read_snippet(f"{page.env}:{section}"),
                    read_snippet(shape.env[mine]),
                )
        project.add_app(shape.app)
        package = project.root / Path(shape.app).name
        if shape.folder:
            (project.root / shape.folder).mkdir()
            package = package.rename(
                project.root / shape.folder / package.name
            )
        self.package = package.relative_to(project.root)
        for ref, path in shape.put.items():
            project.put(ref, str(self.package / path))
        self.url = f"sqlite:///{project.db_file}"

    def revision(self, message: str) -> str:
        """Autogenerate a revision, with the import the shape's tab adds;
        the revision's text."""
        script = command.revision(
            self.project.config, message, autogenerate=True
        )
        path = Path(script.path)
        if self.shape.revision_import is not None:
            self.add_import(path)
        return path.read_text()

    def add_import(self, path: Path) -> None:
        """Add the shape's import below the revision's `import sqlalchemy`."""
        anchor = "import sqlalchemy as sa\n"
        line = read_snippet(self.shape.revision_import) + "\n"
        text = path.read_text()
        assert text.count(anchor) == 1, f"{path.name} has no single {anchor!r}"
        path.write_text(text.replace(anchor, anchor + line))

    def change_models(self) -> None:
        """The second change: a NOT NULL column with a server default in
        place of a dropped one, a renamed index and a renamed constraint."""
        models = self.project.root / self.package / self.shape.models
        text = models.read_text()
        for old, new in [self.shape.column, *RENAMES.items()]:
            assert text.count(old) == 1, f"{models.name} has no single {old!r}"
            text = text.replace(old, new)
        models.write_text(text)
        self.forget_imports()

    def ready_for_sqlite_changes(self) -> None:
        """Give env.py the lines its page gives for changes SQLite's ALTER
        cannot do, if it needs them."""
        if self.page.sqlite_changes is not None:
            lines = read_snippet(self.page.sqlite_changes)
            self.project.edit_env(
                TEMPLATE_CONFIGURE, textwrap.indent(lines, " " * 8)
            )

    def forget_imports(self) -> None:
        """Forget the application's models, as a new process would."""
        self.project.forget_imports()
        if self.shape.forget is not None:
            self.shape.forget()

    def execute(self, sql: str, *rows: dict) -> list[tuple]:
        """Run SQL on the database at `url`, once a row given; the rows it
        returns."""
        engine = sa.create_engine(self.url)
        try:
            with engine.begin() as connection:
                result = connection.execute(sa.text(sql), list(rows) or None)
                return (
                    [tuple(r) for r in result] if result.returns_rows else []
                )
        finally:
            engine.dispose()

    def schema(self) -> dict[str, dict[str, set[str]]]:
        """Each table but Alembic's: its columns, and the names of its
        indexes and unique constraints."""
        engine = sa.create_engine(self.url)
        try:
            inspector = sa.inspect(engine)
            return {
                table: {
                    "columns": {
                        c["name"] for c in inspector.get_columns(table)
                    },
                    "indexes": {
                        i["name"] for i in inspector.get_indexes(table)
                    },
                    "uniques": {
                        u["name"]
                        for u in inspector.get_unique_constraints(table)
                    },
                }
                for table in inspector.get_table_names()
                if table != "alembic_version"
            }
        finally:
            engine.dispose()


@pytest.fixture(params=list(SHAPES))
def shape(request: pytest.FixtureRequest) -> Shape:
    """Each shape of the example application."""
    return SHAPES[request.param]


@pytest.fixture(params=list(ENV_PAGES))
def env_page(request: pytest.FixtureRequest) -> EnvPage:
    """Each page's complete env.py."""
    return ENV_PAGES[request.param]


@pytest.fixture
def reader(
    project: Project, shape: Shape, env_page: EnvPage
) -> Iterator[Reader]:
    """A project of the shape, with the page's env.py as its tab edits it."""
    reader = Reader(project, shape, env_page)
    yield reader
    reader.forget_imports()

"""docs/recipes/flask-migrate.md: Flask-Migrate's commands and its env.py.

The page's `flask db` lines run in-process, through Flask's own command line
(`Project.run`); `test_the_four_commands_run_for_real` runs them in a real
shell, end to end, and so does the upgrade whose traceback the page quotes.
"""

import inspect
import subprocess
import textwrap
from collections.abc import Callable
from importlib.metadata import requires

import pytest
from flask_migrate import Migrate
from packaging.requirements import Requirement

from harness import (
    Project,
    installed_as_claimed,
    matches_output,
    migration,
    packages_tested_with,
    read_snippet,
    shell,
)

SCRIPT = "flask-migrate/commands.sh"
WSGI = "flask-migrate/wsgi.py"
ENV = "flask-migrate/migrations/env.py"
DATABASE = "instance/database.sqlite"
# The shape's models, and its nullable `note` column.
MODELS = "app/models.py"
NOTE = "    note = db.Column(db.String(200))\n"


@pytest.fixture
def no_flask_app(monkeypatch: pytest.MonkeyPatch) -> None:
    """No FLASK_APP of the machine's own: `flask` finds wsgi.py."""
    monkeypatch.delenv("FLASK_APP", raising=False)


@pytest.fixture
def flask_app(
    made_once: Callable[[str, Callable[[Project], None]], Project],
    no_flask_app: None,
) -> Project:
    """The Flask-SQLAlchemy application with the page's wsgi.py, which
    `flask` finds in the current folder, its first revision applied by the
    page's commands (run once a session: each test gets a copy)."""
    return made_once("flask-migrate", first_revision_applied)


def add_application(project: Project) -> None:
    """The Flask-SQLAlchemy shape's application, and the page's wsgi.py."""
    project.add_app("shapes/flask-sqlalchemy/app")
    project.put(WSGI)


def first_revision_applied(project: Project) -> None:
    """`flask db init`, `migrate` and `upgrade`, in the application."""
    add_application(project)
    for section in ["init", "migrate", "upgrade"]:
        flask(project, section)


def flask(project: Project, section: str) -> str:
    """Run a section of the page's commands in-process; what they printed."""
    return project.run(section, SCRIPT)


def real_flask(project: Project, section: str) -> str:
    """Run a section of the page's commands in a real shell."""
    result = shell(read_snippet(f"{SCRIPT}:{section}"), project.root)
    return result.stdout + result.stderr


def migrate(project: Project) -> str | None:
    """`flask db migrate` after a change: the text of the revision it wrote,
    or None."""
    versions = project.root / "migrations" / "versions"
    before = set(versions.glob("*.py"))
    flask(project, "migrate")
    new = [
        script.read_text() for script in set(versions.glob("*.py")) - before
    ]
    assert len(new) <= 1
    return new[0] if new else None


def lines_between(text: str, first: str, last: str) -> str:
    """The lines of a text from the one that starts with `first` to the one
    that starts with `last`, both in."""
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith(first))
    stop = next(
        i
        for i, line in enumerate(lines)
        if i > start and line.startswith(last)
    )
    return "".join(lines[start : stop + 1])


@pytest.mark.usefixtures("no_flask_app")
def test_the_four_commands_run_for_real(project: Project) -> None:
    add_application(project)
    for section in ["init", "migrate", "upgrade"]:
        real_flask(project, section)
    assert project.tables(DATABASE) == {"some_model"}
    real_flask(project, "downgrade")
    assert project.tables(DATABASE) == set()
    assert not (project.root / "database.sqlite").exists()


def test_its_alembic_ini_has_no_url(flask_app: Project) -> None:
    ini = (flask_app.root / "migrations" / "alembic.ini").read_text()
    assert "sqlalchemy.url" not in ini


def test_flask_db_init_writes_the_lines_the_page_shows(
    flask_app: Project,
) -> None:
    env = (flask_app.root / "migrations" / "env.py").read_text()
    matches_output(
        "flask-migrate/output/engine.py",
        lines_between(env, "def get_engine():", "target_db = "),
    )
    matches_output(
        "flask-migrate/output/online.py",
        lines_between(env, "    def process_revision_directives", "        )"),
    )


def test_the_page_s_env_py_is_the_generated_one_and_its_section(
    flask_app: Project,
) -> None:
    generated = (flask_app.root / "migrations" / "env.py").read_text()
    own = textwrap.indent(read_snippet(f"{ENV}:own_options"), "    ")
    assert read_snippet(ENV).replace(own + "\n", "") + "\n" == generated


def test_an_unchanged_schema_writes_no_revision(flask_app: Project) -> None:
    versions = list((flask_app.root / "migrations" / "versions").iterdir())
    output = flask(flask_app, "migrate")
    assert "No changes in schema detected." in output
    assert list((flask_app.root / "migrations" / "versions").iterdir()) == (
        versions
    )


@pytest.mark.parametrize("batch", [True, False])
def test_render_as_batch_makes_the_alter_work_on_sqlite(
    flask_app: Project, batch: bool
) -> None:
    flask_app.edit(
        "wsgi.py",
        "render_as_batch=True",
        f"render_as_batch={batch}",
    )
    flask_app.edit(MODELS, NOTE, NOTE.replace("))", "), nullable=False)"))
    script = migrate(flask_app)
    if batch:
        matches_output(
            "flask-migrate/output/note_required.py", migration(script)
        )
        flask(flask_app, "upgrade")
        flask(flask_app, "downgrade")
        return
    with pytest.raises(subprocess.CalledProcessError) as error:
        real_flask(flask_app, "upgrade")
    assert (
        '(sqlite3.OperationalError) near "ALTER": syntax error\n'
        "[SQL: ALTER TABLE some_model ALTER COLUMN note SET NOT NULL]"
    ) in error.value.stderr


@pytest.mark.parametrize("compare", [True, False])
def test_compare_type_reaches_configure(
    flask_app: Project, compare: bool
) -> None:
    flask_app.edit("wsgi.py", "compare_type=True", f"compare_type={compare}")
    flask_app.edit(MODELS, NOTE, NOTE.replace("200", "300"))
    script = migrate(flask_app)
    if compare:
        assert "type_=sa.String(length=300)" in script
    else:
        assert script is None


@pytest.mark.parametrize("include", [True, False])
def test_include_object_keeps_another_application_s_table(
    flask_app: Project, include: bool
) -> None:
    with flask_app.connect(DATABASE) as db:
        db.execute("CREATE TABLE legacy_audit (id INTEGER PRIMARY KEY)")
    if not include:
        flask_app.edit("wsgi.py", "    include_object=include_object,\n", "")
    script = migrate(flask_app)
    if include:
        assert script is None
    else:
        assert "op.drop_table('legacy_audit')" in script


@pytest.mark.parametrize("own", [True, False])
def test_an_option_of_your_own_in_env_py_reaches_configure(
    flask_app: Project, own: bool
) -> None:
    """compare_server_default is off in Migrate and in Alembic, and env.py's
    own wins over Migrate's keyword."""
    if own:
        flask_app.put(ENV, "migrations/env.py")
        flask_app.edit(
            "wsgi.py",
            "    include_object=include_object,\n",
            "    include_object=include_object,\n"
            "    compare_server_default=False,\n",
        )
    flask_app.edit(MODELS, NOTE, NOTE.replace("))", '), server_default="-")'))
    script = migrate(flask_app)
    if own:
        assert "server_default=" in script
    else:
        assert script is None


def test_flask_migrate_turns_batch_mode_and_type_comparison_on() -> None:
    """Its defaults: the page's True values change nothing, False does."""
    parameters = inspect.signature(Migrate).parameters
    assert parameters["render_as_batch"].default is True
    assert parameters["compare_type"].default is True


def test_flask_migrate_brings_flask_sqlalchemy_and_alembic() -> None:
    names = {Requirement(r).name for r in requires("flask-migrate")}
    assert {"Flask-SQLAlchemy", "alembic"} <= names


def test_the_install_line_names_the_packages_the_page_is_tested_with() -> None:
    requirements = installed_as_claimed(f"{SCRIPT}:install")
    names = {requirement.name for requirement in requirements}
    assert names == packages_tested_with("recipes/flask-migrate")

"""The migrations have one head, and the database is at it."""

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

config = Config("alembic.ini")
heads = ScriptDirectory.from_config(config).get_heads()


def test_one_head() -> None:
    assert len(heads) == 1, f"{heads}: run alembic merge heads"


def test_database_at_head() -> None:
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    assert set(current) == set(heads), f"{current}: run alembic upgrade head"

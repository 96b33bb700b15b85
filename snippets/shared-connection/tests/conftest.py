from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from app.migrate import upgrade


# --8<-- [start:connection]
@pytest.fixture
def connection() -> Iterator[sa.Connection]:
    """A new in-memory database at head, for one test."""
    engine = sa.create_engine("sqlite://")
    with engine.connect() as connection:
        upgrade(connection)
        yield connection
    engine.dispose()


# --8<-- [end:connection]
# --8<-- [start:alembic_engine]
@pytest.fixture
def alembic_engine() -> Iterator[sa.Connection]:
    """pytest-alembic's database: it hands this connection to env.py."""
    engine = sa.create_engine("sqlite://")
    with engine.connect() as connection:
        yield connection
    engine.dispose()


# --8<-- [end:alembic_engine]

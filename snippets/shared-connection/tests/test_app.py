import sqlalchemy as sa

from app.module.models import SomeModel


def test_a_row_written_is_read_back(connection: sa.Connection) -> None:
    connection.execute(sa.insert(SomeModel).values(name="first"))
    assert connection.scalars(sa.select(SomeModel.name)).all() == ["first"]

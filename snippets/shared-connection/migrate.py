from alembic import command
from alembic.config import Config
from sqlalchemy import Connection


def upgrade(connection: Connection) -> None:
    """Upgrade the database of `connection` to head, in its transaction."""
    config = Config("alembic.ini")
    config.attributes["connection"] = connection
    command.upgrade(config, "head")

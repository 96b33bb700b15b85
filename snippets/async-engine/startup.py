from alembic import command
from alembic.config import Config
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine


def upgrade(connection: Connection, config: Config) -> None:
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


async def migrate(engine: AsyncEngine) -> None:
    """Upgrade the database to head, from the running event loop."""
    async with engine.begin() as connection:
        await connection.run_sync(upgrade, Config("alembic.ini"))

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine

from app.core.database import Base
from app.module.models import SomeModel  # noqa: F401

# A new database: every table of the models at once, then head recorded
# in alembic_version, as Alembic's cookbook does it.
config = Config("alembic.ini")
engine = create_engine(config.get_main_option("sqlalchemy.url"))
Base.metadata.create_all(engine)
engine.dispose()
command.stamp(config, "head")

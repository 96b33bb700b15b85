from logging.config import fileConfig

from sqlalchemy import engine_from_config
from sqlalchemy import pool

from alembic import context

# --8<-- [start:imports]
from pathlib import Path

import sqlalchemy as sa
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

# --8<-- [end:imports]
# --8<-- [start:model_imports]
# Import every module that defines tables, so that they are registered on
# Base.metadata before autogenerate compares it with the database.
from app.core.database import Base
from app.module.models import SomeModel  # noqa: F401

# --8<-- [end:model_imports]
# this is the Alembic Config object, which provides
# access to the values within the .ini file in use.
config = context.config

# Interpret the config file for Python logging.
# This line sets up loggers basically.
if config.config_file_name is not None:
    fileConfig(config.config_file_name)


# --8<-- [start:db_uri]
class DatabaseSettings(BaseSettings):
    """The connection values: DB_HOST, ..., from the environment, or from
    the .env file next to alembic.ini."""

    model_config = SettingsConfigDict(
        env_prefix="DB_",
        env_file=Path(__file__).resolve().parent.parent / ".env",
        # A refused value, such as a password, stays out of the message.
        hide_input_in_errors=True,
    )

    host: str
    port: int
    username: str
    password: SecretStr
    database: str


# Validation runs here: a missing or mistyped value stops env.py before it
# connects.
settings = DatabaseSettings()

DB_URI: sa.URL = sa.URL.create(
    drivername="postgresql+psycopg",
    username=settings.username,
    password=settings.password.get_secret_value(),
    host=settings.host,
    port=settings.port,
    database=settings.database,
)
# --8<-- [end:db_uri]

# --8<-- [start:sqlalchemy_url]
config.set_main_option(
    "sqlalchemy.url",
    # str(DB_URI) would hide the password as "***"; ConfigParser reads "%"
    # as interpolation, so it is escaped as "%%".
    DB_URI.render_as_string(hide_password=False).replace("%", "%%"),
)
# --8<-- [end:sqlalchemy_url]

# add your model's MetaData object here
# for 'autogenerate' support
# from myapp import mymodel
# target_metadata = mymodel.Base.metadata
# --8<-- [start:target_metadata]
target_metadata = Base.metadata
# --8<-- [end:target_metadata]

# other values from the config, defined by the needs of env.py,
# can be acquired:
# my_important_option = config.get_main_option("my_important_option")
# ... etc.


def run_migrations_offline() -> None:
    """Run migrations in 'offline' mode.

    This configures the context with just a URL
    and not an Engine, though an Engine is acceptable
    here as well.  By skipping the Engine creation
    we don't even need a DBAPI to be available.

    Calls to context.execute() here emit the given string to the
    script output.

    """
    url = config.get_main_option("sqlalchemy.url")
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )

    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run migrations in 'online' mode.

    In this scenario we need to create an Engine
    and associate a connection with the context.

    """
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )

    with connectable.connect() as connection:
        context.configure(
            connection=connection, target_metadata=target_metadata
        )

        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

from logging.config import fileConfig

from sqlalchemy import engine_from_config
from sqlalchemy import pool

from alembic import context

# --8<-- [start:imports]
from alembic.util import CommandError
from sqlalchemy import inspect, text

# --8<-- [end:imports]

from app.core.database import Base
from app.module.models import SomeModel  # noqa: F401

# this is the Alembic Config object, which provides
# access to the values within the .ini file in use.
config = context.config

# Interpret the config file for Python logging.
# This line sets up loggers basically.
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

# --8<-- [start:tenant]
# `alembic -x tenant=NAME ...` migrates that tenant's schema, and no other.
tenant = context.get_x_argument(as_dictionary=True).get("tenant")
if not tenant:
    raise CommandError("No tenant: name one with -x tenant=NAME")
# --8<-- [end:tenant]

# add your model's MetaData object here
# for 'autogenerate' support
# from myapp import mymodel
# target_metadata = mymodel.Base.metadata
target_metadata = Base.metadata

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
        # --8<-- [start:search_path]
        if not inspect(connection).has_schema(tenant):
            raise CommandError(f"No tenant {tenant!r}: no schema of that name")
        # The tenant's schema is the only one: every statement without a
        # schema goes there, Alembic's own and autogenerate's reflection.
        # Quoted as an identifier, the name cannot be read as SQL.
        schema = connection.dialect.identifier_preparer.quote_identifier(
            tenant
        )
        connection.execute(text(f"SET search_path TO {schema}"))
        # Committed, or Alembic takes the open transaction for one of its
        # caller's, and leaves it uncommitted.
        connection.commit()

        context.configure(
            connection=connection, target_metadata=target_metadata
        )
        # --8<-- [end:search_path]

        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

from logging.config import fileConfig

from sqlalchemy import engine_from_config
from sqlalchemy import pool
from sqlalchemy.engine import Connection

from alembic import context

# --8<-- [start:model_imports]
# Importing the package imports every model module in it.
import app.models  # noqa: F401
from app.db import AuditBase, Base

# --8<-- [end:model_imports]
# this is the Alembic Config object, which provides
# access to the values within the .ini file in use.
config = context.config

# Interpret the config file for Python logging.
# This line sets up loggers basically.
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

# `alembic -x url=... upgrade head` migrates the database at that URL.
# Without -x, and from code, where config.cmd_opts is None, the URL of
# alembic.ini stays. ConfigParser reads "%" as interpolation: "%%".
x_url = context.get_x_argument(as_dictionary=True).get("url")
if x_url is not None:
    config.set_main_option("sqlalchemy.url", x_url.replace("%", "%%"))

# add your model's MetaData object here
# for 'autogenerate' support
# from myapp import mymodel
# target_metadata = mymodel.Base.metadata
# --8<-- [start:target_metadata]
target_metadata = [Base.metadata, AuditBase.metadata]
# --8<-- [end:target_metadata]


def include_name(name, type_, parent_names):
    """Reflect only the tables that the models define."""
    if type_ == "table":
        return any(name in metadata.tables for metadata in target_metadata)
    return True


def include_object(obj, name, type_, reflected, compare_to):
    """Leave out the models' tables that are views in the database."""
    return not (type_ == "table" and obj.info.get("is_view", False))


def process_revision_directives(context, revision, directives):
    """Write no revision file when autogenerate finds no change."""
    if getattr(config.cmd_opts, "autogenerate", False):
        script = directives[0]
        if script.upgrade_ops.is_empty():
            directives[:] = []


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
    # A connection from the caller: migrate the database it is connected to.
    connection = config.attributes.get("connection")
    if connection is not None:
        do_run_migrations(connection)
        return

    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )

    with connectable.connect() as connection:
        do_run_migrations(connection)


def do_run_migrations(connection: Connection) -> None:
    """Run the migrations on a connection, with every recipe's options."""
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        include_name=include_name,
        include_object=include_object,
        process_revision_directives=process_revision_directives,
        compare_server_default=True,
    )

    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

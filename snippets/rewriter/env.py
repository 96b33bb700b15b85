from logging.config import fileConfig

from sqlalchemy import engine_from_config
from sqlalchemy import pool

from alembic import context

# --8<-- [start:imports]
from alembic.autogenerate import rewriter
from alembic.operations import ops

# --8<-- [end:imports]
# --8<-- [start:compare_imports]
from sqlalchemy import String
# --8<-- [end:compare_imports]

from app.core.database import Base
from app.module.models import SomeModel  # noqa: F401

# this is the Alembic Config object, which provides
# access to the values within the .ini file in use.
config = context.config

# Interpret the config file for Python logging.
# This line sets up loggers basically.
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

# add your model's MetaData object here
# for 'autogenerate' support
# from myapp import mymodel
# target_metadata = mymodel.Base.metadata
target_metadata = Base.metadata

# --8<-- [start:writer]
writer = rewriter.Rewriter()
# --8<-- [end:writer]


# --8<-- [start:no_drop_index]
@writer.rewrites(ops.UpgradeOps)
@writer.rewrites(ops.DowngradeOps)
def no_drop_index_of_dropped_tables(context, revision, directive):
    """Leave out the drop_index of a table that the same function drops."""
    dropped = {
        (op.table_name, op.schema)
        for op in directive.ops
        if isinstance(op, ops.DropTableOp)
    }
    directive.ops = [
        op
        for op in directive.ops
        if not isinstance(op, ops.ModifyTableOps)
        or (op.table_name, op.schema) not in dropped
    ]
    return directive


# --8<-- [end:no_drop_index]
# --8<-- [start:if_exists]
@writer.rewrites(ops.CreateTableOp)
@writer.rewrites(ops.CreateIndexOp)
def create_if_not_exists(context, revision, op):
    op.if_not_exists = True
    return op


@writer.rewrites(ops.DropTableOp)
@writer.rewrites(ops.DropIndexOp)
def drop_if_exists(context, revision, op):
    op.if_exists = True
    return op


# --8<-- [end:if_exists]
# --8<-- [start:compare]
def compare_type(
    context, inspected_column, metadata_column, inspected_type, metadata_type
):
    """SQLite keeps any text in a text column: a new length is no change.
    Returning None, elsewhere, leaves the comparison to Alembic."""
    if context.dialect.name == "sqlite" and isinstance(metadata_type, String):
        return not isinstance(inspected_type, String)


def compare_server_default(
    context,
    inspected_column,
    metadata_column,
    inspected_default,
    metadata_default,
    rendered_metadata_default,
):
    """A default the database has and the model does not is no change.
    Returning None, for the others, leaves the comparison to Alembic."""
    if metadata_default is None:
        return False


# --8<-- [end:compare]

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
        # --8<-- [start:configure]
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            process_revision_directives=writer,
            compare_type=compare_type,
            compare_server_default=compare_server_default,
        )
        # --8<-- [end:configure]

        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

from logging.config import fileConfig

from sqlalchemy import engine_from_config
from sqlalchemy import pool

from alembic import context

# --8<-- [start:imports]
from pathlib import Path

import sqlalchemy as sa
from dynaconf import Dynaconf, ValidationError, Validator

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

# --8<-- [start:settings]
# The folder of alembic.ini: the settings files, and a relative SQLite path,
# are found there whichever folder alembic is run from.
PROJECT_DIR = Path(__file__).resolve().parent.parent

settings = Dynaconf(
    settings_files=[
        str(PROJECT_DIR / "settings.toml"),
        str(PROJECT_DIR / ".secrets.toml"),
    ],
    environments=True,
    env_switcher="DB_ENV",
    envvar_prefix="DB",
    validators=[
        Validator(
            "DRIVERNAME",
            "DATABASE",
            must_exist=True,
            messages={
                "must_exist_true": "{name} is missing in env {env}: "
                "set it in settings.toml or as DB_{name}"
            },
        ),
        Validator(
            "DRIVERNAME",
            "DATABASE",
            "HOST",
            "USERNAME",
            is_type_of=str,
            messages={
                "operations": "{name} must be a string, not {value!r}, in "
                "env {env}: quote it in TOML, or set DB_{name}='@str ...'"
            },
        ),
        Validator("PORT", is_type_of=int),
        Validator("QUERY", is_type_of=dict),
    ],
)
# --8<-- [end:settings]

# --8<-- [start:db_uri]
# Dynaconf runs the validators on this first access: a missing or mistyped
# value stops here, before any connection is made.
database = settings.DATABASE
if settings.DRIVERNAME.startswith("sqlite") and database != ":memory:":
    database = str(PROJECT_DIR / database)

# Not a validator's: one sets the value again, which converts a password
# that starts with one of dynaconf's markers, such as "@int 5".
password = settings.get("PASSWORD")
if not isinstance(password, str | None):
    raise ValidationError(
        f"PASSWORD must be a string, not {password!r}, in env "
        f"{settings.current_env.lower()}: quote it in TOML, or set "
        "DB_PASSWORD='@str ...'"
    )

DB_URI: sa.URL = sa.URL.create(
    drivername=settings.DRIVERNAME,
    username=settings.get("USERNAME"),
    password=password,
    host=settings.get("HOST"),
    port=settings.get("PORT"),
    database=database,
    query=settings.get("QUERY", {}),
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

import sqlalchemy as sa
from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
# As env.py builds them (dynaconf/env.py:db_uri).
DB_URI: sa.URL = sa.make_url(config.get_main_option("sqlalchemy.url"))
password = DB_URI.password


def engine() -> sa.Engine:
    """run_migrations_online's engine, for MariaDB (docs/recipes/dynaconf.md)."""
    # --8<-- [start:engine]
    # PyMySQL sends a str password as Latin-1; MariaDB checks its UTF-8.
    connect_args = {}
    if DB_URI.get_driver_name() == "pymysql" and password:
        connect_args["password"] = password.encode()
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
        connect_args=connect_args,
    )
    # --8<-- [end:engine]
    return connectable

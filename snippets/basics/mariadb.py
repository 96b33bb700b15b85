import sqlalchemy as sa
from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config

# --8<-- [start:db_uri]
DB_URI: sa.URL = sa.URL.create(
    drivername="mysql+pymysql",
    username="app",
    password="p@ss:w/rd",
    host="localhost",
    port=3306,
    database="app",
)
# --8<-- [end:db_uri]


def engine() -> sa.Engine:
    """run_migrations_online's engine, for MariaDB (docs/basics/db-uri.md)."""
    # --8<-- [start:utf8_password]
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
        # PyMySQL sends a str password as Latin-1; MariaDB checks its UTF-8.
        connect_args={"password": DB_URI.password.encode()},
    )
    # --8<-- [end:utf8_password]
    return connectable

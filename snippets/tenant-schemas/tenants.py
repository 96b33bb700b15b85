from argparse import Namespace

import sqlalchemy as sa
from alembic import command
from alembic.config import Config


def tenant_config(tenant: str) -> Config:
    """alembic.ini's configuration, with -x tenant=... as if typed."""
    return Config("alembic.ini", cmd_opts=Namespace(x=[f"tenant={tenant}"]))


def upgrade_all(tenants: list[str]) -> None:
    """Every tenant's schema to head, one after the other."""
    for tenant in tenants:
        command.upgrade(tenant_config(tenant), "head")


def add_tenant(tenant: str) -> None:
    """A new tenant: its schema, created, then migrated to head."""
    config = tenant_config(tenant)
    engine = sa.create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as connection:
        connection.execute(sa.schema.CreateSchema(tenant))
    engine.dispose()
    command.upgrade(config, "head")

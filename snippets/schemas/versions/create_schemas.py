"""create the schemas

Revision ID: 3f2a9c1d7b40
"""

import sqlalchemy as sa
from alembic import op

revision = "3f2a9c1d7b40"
down_revision = None


# --8<-- [start:schemas]
def upgrade() -> None:
    op.execute(sa.schema.CreateSchema("sales"))
    op.execute(sa.schema.CreateSchema("billing"))


def downgrade() -> None:
    op.execute(sa.schema.DropSchema("billing"))
    op.execute(sa.schema.DropSchema("sales"))


# --8<-- [end:schemas]

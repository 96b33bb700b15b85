"""add account.name

Revision ID: 8d4e1b2a6c90
"""

import sqlalchemy as sa
from alembic import op

revision = "8d4e1b2a6c90"
down_revision = None  # the revision before, as `alembic revision` writes it


# --8<-- [start:upgrade]
def upgrade() -> None:
    with op.batch_alter_table("account") as batch_op:
        batch_op.add_column(sa.Column("name", sa.String(50)))


# --8<-- [end:upgrade]


def downgrade() -> None:
    with op.batch_alter_table("account") as batch_op:
        batch_op.drop_column("name")

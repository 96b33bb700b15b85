"""audit table

Revision ID: 2b7e9d4f6a18
"""

import sqlalchemy as sa
from alembic import op

revision = "2b7e9d4f6a18"
down_revision = None  # the revision before, as `alembic revision` writes it


# --8<-- [start:upgrade]
def upgrade() -> None:
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("account_id", sa.Integer, nullable=False),
    )


# --8<-- [end:upgrade]


def downgrade() -> None:
    op.drop_table("audit")

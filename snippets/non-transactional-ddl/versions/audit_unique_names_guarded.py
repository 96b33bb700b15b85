"""audit table, unique account names

Revision ID: 5d1a7c3e9b20
"""

import sqlalchemy as sa
from alembic import op

revision = "5d1a7c3e9b20"
down_revision = None  # the revision before, as `alembic revision` writes it


# --8<-- [start:upgrade]
def upgrade() -> None:
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("account_id", sa.Integer, nullable=False),
        if_not_exists=True,
    )
    op.create_unique_constraint("uq_account_name", "account", ["name"])


# --8<-- [end:upgrade]


def downgrade() -> None:
    op.drop_constraint("uq_account_name", "account", type_="unique")
    op.drop_table("audit")

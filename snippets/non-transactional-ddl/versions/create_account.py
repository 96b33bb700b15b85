"""create account

Revision ID: 1c0a5e7b3d92
"""

import sqlalchemy as sa
from alembic import op

revision = "1c0a5e7b3d92"
down_revision = None


# --8<-- [start:upgrade]
def upgrade() -> None:
    op.create_table(
        "account",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50), nullable=False),
    )


# --8<-- [end:upgrade]


def downgrade() -> None:
    op.drop_table("account")

"""add phone, on another branch

Revision ID: 9d2b6f4e8c13
"""

import sqlalchemy as sa
from alembic import op

# --8<-- [start:ids]
revision = "9d2b6f4e8c13"
down_revision = "1f0e8c2b4a6d"
# --8<-- [end:ids]


def upgrade() -> None:
    op.add_column("some_model", sa.Column("phone", sa.String(20)))


def downgrade() -> None:
    op.drop_column("some_model", "phone")

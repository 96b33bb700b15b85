"""add email, on one branch

Revision ID: 5a3c9e7b1d20
"""

import sqlalchemy as sa
from alembic import op

# --8<-- [start:ids]
revision = "5a3c9e7b1d20"
down_revision = "1f0e8c2b4a6d"
# --8<-- [end:ids]


def upgrade() -> None:
    op.add_column("some_model", sa.Column("email", sa.String(100)))


def downgrade() -> None:
    op.drop_column("some_model", "email")

"""add email, without batch mode

Revision ID: 3f6a2c1d9b7e
"""

import sqlalchemy as sa
from alembic import op

revision = "3f6a2c1d9b7e"
down_revision = None  # the revision before, as `alembic revision` writes it


# --8<-- [start:upgrade]
def upgrade() -> None:
    op.add_column("some_model", sa.Column("email", sa.String(100)))
    op.alter_column(
        "some_model", "name", existing_type=sa.String(50), type_=sa.String(100)
    )


# --8<-- [end:upgrade]


def downgrade() -> None:
    op.alter_column(
        "some_model", "name", existing_type=sa.String(100), type_=sa.String(50)
    )
    op.drop_column("some_model", "email")

"""add email, in batch mode

Revision ID: 3f6a2c1d9b7e
"""

import sqlalchemy as sa
from alembic import op

revision = "3f6a2c1d9b7e"
down_revision = None  # the revision before, as `alembic revision` writes it


# --8<-- [start:upgrade]
def upgrade() -> None:
    with op.batch_alter_table("some_model") as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(100)))
        batch_op.alter_column(
            "name", existing_type=sa.String(50), type_=sa.String(100)
        )


# --8<-- [end:upgrade]


def downgrade() -> None:
    with op.batch_alter_table("some_model") as batch_op:
        batch_op.alter_column(
            "name", existing_type=sa.String(100), type_=sa.String(50)
        )
        batch_op.drop_column("email")

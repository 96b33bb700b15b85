"""account.email up to 200 characters, with --sql too

Revision ID: 4c1e7a9b3d58
"""

import sqlalchemy as sa
from alembic import op

revision = "4c1e7a9b3d58"
down_revision = None  # the revision before, as `alembic revision` writes it


# --8<-- [start:migration]
def account(email_length: int) -> sa.Table:
    """The table before the change, which --sql cannot reflect."""
    return sa.Table(
        "account",
        sa.MetaData(),
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("email", sa.String(email_length), nullable=False),
    )


def upgrade() -> None:
    with op.batch_alter_table("account", copy_from=account(100)) as batch_op:
        batch_op.alter_column("email", type_=sa.String(200))


def downgrade() -> None:
    with op.batch_alter_table("account", copy_from=account(200)) as batch_op:
        batch_op.alter_column("email", type_=sa.String(100))


# --8<-- [end:migration]

"""account.name required

Revision ID: 5b9f3e7d2a14
"""

import sqlalchemy as sa
from alembic import op

revision = "5b9f3e7d2a14"
down_revision = None  # the revision before, as `alembic revision` writes it


# --8<-- [start:upgrade]
def upgrade() -> None:
    # --8<-- [start:fill]
    op.execute(
        "UPDATE account SET name = substr(email, 1, instr(email, '@') - 1)"
        " WHERE name IS NULL"
    )
    # --8<-- [end:fill]
    with op.batch_alter_table("account") as batch_op:
        batch_op.alter_column(
            "name", existing_type=sa.String(50), nullable=False
        )


# --8<-- [end:upgrade]


def downgrade() -> None:
    with op.batch_alter_table("account") as batch_op:
        batch_op.alter_column(
            "name", existing_type=sa.String(50), nullable=True
        )

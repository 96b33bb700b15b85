"""create account

Revision ID: 6c1d8e2f4a90
"""

import sqlalchemy as sa
from alembic import op

revision = "6c1d8e2f4a90"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column(
            "status",
            sa.Enum("active", "closed", name="status"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id"),
    )


# --8<-- [start:downgrade]
def downgrade() -> None:
    op.drop_table("account")
    # drop_table leaves the type of the table's Enum column: drop it too.
    sa.Enum(name="status").drop(op.get_bind())


# --8<-- [end:downgrade]

"""index account.email, concurrently

Revision ID: 3e8a5c1f7b20
"""

from alembic import op

revision = "3e8a5c1f7b20"
down_revision = None  # the revision before, as `alembic revision` writes it


# --8<-- [start:migration]
def upgrade() -> None:
    with op.get_context().autocommit_block():
        op.create_index(
            "ix_account_email",
            "account",
            ["email"],
            postgresql_concurrently=True,
        )


def downgrade() -> None:
    with op.get_context().autocommit_block():
        op.drop_index("ix_account_email", postgresql_concurrently=True)


# --8<-- [end:migration]

"""unique account names

Revision ID: 8e2b4f6a1c37
"""

from alembic import op

revision = "8e2b4f6a1c37"
down_revision = None  # the revision before, as `alembic revision` writes it


# --8<-- [start:upgrade]
def upgrade() -> None:
    op.create_unique_constraint("uq_account_name", "account", ["name"])


# --8<-- [end:upgrade]


def downgrade() -> None:
    op.drop_constraint("uq_account_name", "account", type_="unique")

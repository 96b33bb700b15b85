"""account.email holds an @

Revision ID: 0c7a9e3f5d21
"""

from alembic import op

revision = "0c7a9e3f5d21"
down_revision = None  # the revision before, as `alembic revision` writes it


# --8<-- [start:migration]
def upgrade() -> None:
    with op.batch_alter_table("account") as batch_op:
        batch_op.create_check_constraint(
            batch_op.f("ck_account_email_has_at"), "email LIKE '%@%'"
        )


def downgrade() -> None:
    with op.batch_alter_table("account") as batch_op:
        batch_op.drop_constraint(
            batch_op.f("ck_account_email_has_at"), type_="check"
        )


# --8<-- [end:migration]

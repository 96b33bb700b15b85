"""deleting an account deletes its logins

Revision ID: 9a5c2f8e0b63
"""

from alembic import op

revision = "9a5c2f8e0b63"
down_revision = None  # the revision before, as `alembic revision` writes it


# --8<-- [start:upgrade]
def upgrade() -> None:
    with op.batch_alter_table("login") as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_login_account_id_account"), type_="foreignkey"
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_login_account_id_account"),
            "account",
            ["account_id"],
            ["id"],
            ondelete="CASCADE",
        )


# --8<-- [end:upgrade]


def downgrade() -> None:
    with op.batch_alter_table("login") as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_login_account_id_account"), type_="foreignkey"
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_login_account_id_account"),
            "account",
            ["account_id"],
            ["id"],
        )

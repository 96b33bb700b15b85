"""archived status

Revision ID: 9e4b7a1c3d52
"""

from alembic import op

revision = "9e4b7a1c3d52"
down_revision = "6c1d8e2f4a90"


# --8<-- [start:add_value]
def upgrade() -> None:
    # Committed before the UPDATE: a new value is refused until then.
    with op.get_context().autocommit_block():
        op.execute("ALTER TYPE status ADD VALUE 'archived'")
    op.execute(
        "UPDATE account SET status = 'archived' WHERE status = 'closed'"
    )


def downgrade() -> None:
    op.execute(
        "UPDATE account SET status = 'closed' WHERE status = 'archived'"
    )
    # PostgreSQL drops no value from a type: make the type again without it.
    op.execute("ALTER TYPE status RENAME TO status_old")
    op.execute("CREATE TYPE status AS ENUM ('active', 'closed')")
    op.execute(
        "ALTER TABLE account ALTER COLUMN status TYPE status"
        " USING status::text::status"
    )
    op.execute("DROP TYPE status_old")


# --8<-- [end:add_value]

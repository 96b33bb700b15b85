"""give every unnamed row a name

Revision ID: 5b1e9d3c7a42
"""

import sqlalchemy as sa
from alembic import op

revision = "5b1e9d3c7a42"
down_revision = None  # the revision before, as `alembic revision` writes it


# --8<-- [start:upgrade]
def upgrade() -> None:
    some_model = sa.table("some_model", sa.column("name", sa.String))
    op.execute(
        some_model.update()
        .where(some_model.c.name.is_(None))
        .values(name="unnamed")
    )


# --8<-- [end:upgrade]


def downgrade() -> None:
    pass

"""name the constraints of the revisions before the convention

Revision ID: 6e2d8b4a1f37
"""

from alembic import op

from app.db import Base

revision = "6e2d8b4a1f37"
down_revision = None  # the revision before, as `alembic revision` writes it


# --8<-- [start:migration]
def upgrade() -> None:
    for table in ("account", "login"):
        with op.batch_alter_table(
            table,
            recreate="always",
            naming_convention=Base.metadata.naming_convention,
        ):
            pass


def downgrade() -> None:
    """The names stay: the revisions before now create them too."""


# --8<-- [end:migration]

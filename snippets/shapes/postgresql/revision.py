import sqlalchemy as sa
from alembic import op

# --8<-- [start:drop_type]
# drop_table leaves the type of the table's Enum column: drop it too.
sa.Enum(name="level").drop(op.get_bind())
# --8<-- [end:drop_type]

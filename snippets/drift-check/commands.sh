# --8<-- [start:ci]
alembic upgrade head
alembic check
# --8<-- [end:ci]

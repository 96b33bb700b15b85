# --8<-- [start:autogenerate]
alembic revision --autogenerate -m "add columns"
# --8<-- [end:autogenerate]
# --8<-- [start:hand_written]
alembic revision -m "fill in missing names"
# --8<-- [end:hand_written]

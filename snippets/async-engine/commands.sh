# --8<-- [start:init]
alembic init -t async alembic
# --8<-- [end:init]

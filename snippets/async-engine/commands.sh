# --8<-- [start:init]
alembic init -t async alembic
# --8<-- [end:init]
# --8<-- [start:install]
pip install aiosqlite
# --8<-- [end:install]

# --8<-- [start:offline]
alembic upgrade head --sql > upgrade.sql
sqlite3 offline.sqlite < upgrade.sql
# --8<-- [end:offline]

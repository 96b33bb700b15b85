# --8<-- [start:upgrade]
alembic revision --autogenerate -m "longer, unique email"
alembic upgrade head
# --8<-- [end:upgrade]
# --8<-- [start:downgrade]
alembic downgrade -1
# --8<-- [end:downgrade]
# --8<-- [start:cleanup]
sqlite3 database.sqlite "DROP TABLE _alembic_tmp_account"
alembic upgrade head
# --8<-- [end:cleanup]

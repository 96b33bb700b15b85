# --8<-- [start:install]
pip install "psycopg[binary]" alembic-postgresql-enum
# --8<-- [end:install]
# --8<-- [start:first]
alembic revision --autogenerate -m "create account"
alembic upgrade head
# --8<-- [end:first]
# --8<-- [start:again]
alembic downgrade base
alembic upgrade head
# --8<-- [end:again]
# --8<-- [start:archived]
alembic revision --autogenerate -m "archived status"
alembic upgrade head
# --8<-- [end:archived]
# --8<-- [start:downgrade]
alembic downgrade -1
# --8<-- [end:downgrade]

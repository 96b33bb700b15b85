# --8<-- [start:install]
pip install alembic-utils "psycopg[binary]"
# --8<-- [end:install]
# --8<-- [start:entities]
alembic revision --autogenerate -m "email domains"
alembic upgrade head
# --8<-- [end:entities]
# --8<-- [start:change]
alembic revision --autogenerate -m "lower-case domains"
alembic upgrade head
# --8<-- [end:change]
# --8<-- [start:downgrade]
alembic downgrade -1
# --8<-- [end:downgrade]
# --8<-- [start:check]
alembic check
# --8<-- [end:check]

# --8<-- [start:install]
pip install "psycopg[binary]"
# --8<-- [end:install]
# --8<-- [start:migrate]
alembic upgrade head
alembic revision --autogenerate -m "customers and invoices"
alembic upgrade head
alembic check
# --8<-- [end:migrate]

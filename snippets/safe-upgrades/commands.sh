# --8<-- [start:install]
pip install "psycopg[binary]"
# --8<-- [end:install]
# --8<-- [start:upgrade]
alembic upgrade head
# --8<-- [end:upgrade]

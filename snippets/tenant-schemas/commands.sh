# --8<-- [start:install]
pip install "psycopg[binary]"
# --8<-- [end:install]
# --8<-- [start:revision]
alembic -x tenant=acme revision --autogenerate -m "create some_model"
# --8<-- [end:revision]
# --8<-- [start:upgrade]
alembic -x tenant=acme upgrade head
alembic -x tenant=globex upgrade head
# --8<-- [end:upgrade]

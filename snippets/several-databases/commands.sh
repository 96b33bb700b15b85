# --8<-- [start:init]
alembic init --template multidb alembic
# --8<-- [end:init]
# --8<-- [start:migrate]
alembic revision --autogenerate -m "create tables"
alembic upgrade head
# --8<-- [end:migrate]
# --8<-- [start:offline]
alembic upgrade head --sql
# --8<-- [end:offline]
# --8<-- [start:install]
pip install "psycopg[binary]"
# --8<-- [end:install]

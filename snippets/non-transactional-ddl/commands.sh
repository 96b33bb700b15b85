# --8<-- [start:install]
pip install pymysql
# --8<-- [end:install]
# --8<-- [start:upgrade]
alembic upgrade head
# --8<-- [end:upgrade]
# --8<-- [start:sql]
alembic upgrade 1c0a5e7b3d92:5d1a7c3e9b20 --sql
# --8<-- [end:sql]
# --8<-- [start:stamp]
alembic stamp 5d1a7c3e9b20
# --8<-- [end:stamp]

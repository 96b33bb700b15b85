# --8<-- [start:revision]
alembic revision --autogenerate -m "create some_model"
# --8<-- [end:revision]

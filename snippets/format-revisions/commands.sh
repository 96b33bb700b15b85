# --8<-- [start:install]
pip install ruff
# --8<-- [end:install]
# --8<-- [start:revision]
alembic revision --autogenerate -m "create some_model"
# --8<-- [end:revision]
# --8<-- [start:check]
ruff check alembic/versions
ruff format --check alembic/versions
# --8<-- [end:check]

# --8<-- [start:init]
alembic init --template pyproject alembic
# --8<-- [end:init]
# --8<-- [start:no_ini]
rm alembic.ini
# --8<-- [end:no_ini]
# --8<-- [start:migrate]
alembic revision --autogenerate -m "create some_model"
alembic upgrade head
# --8<-- [end:migrate]
# --8<-- [start:install]
pip install aiosqlite
# --8<-- [end:install]
# --8<-- [start:init_async]
alembic init --template pyproject_async alembic
# --8<-- [end:init_async]

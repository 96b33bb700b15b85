# --8<-- [start:init]
alembic init alembic
# --8<-- [end:init]
# --8<-- [start:first_migration]
alembic revision --autogenerate -m "create some_model"
alembic upgrade head
# --8<-- [end:first_migration]
# --8<-- [start:check]
alembic check
# --8<-- [end:check]
# --8<-- [start:downgrade]
alembic downgrade base
# --8<-- [end:downgrade]
# --8<-- [start:stamp]
alembic stamp head
# --8<-- [end:stamp]
# --8<-- [start:from_subfolder]
alembic -c ../alembic.ini upgrade head
# --8<-- [end:from_subfolder]
# --8<-- [start:init_pyproject]
alembic init --template pyproject alembic
# --8<-- [end:init_pyproject]
# --8<-- [start:from_subfolder_pyproject]
alembic -c ../alembic.ini -c ../pyproject.toml upgrade head
# --8<-- [end:from_subfolder_pyproject]
# --8<-- [start:recover]
sqlite3 database.sqlite "ALTER TABLE some_model DROP COLUMN email"
# --8<-- [end:recover]
# --8<-- [start:install]
pip install "alembic>=1.16.3" "sqlalchemy>=2.0.16"
# --8<-- [end:install]
# --8<-- [start:install_pymysql]
pip install pymysql
# --8<-- [end:install_pymysql]

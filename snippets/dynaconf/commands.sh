# --8<-- [start:secrets]
cp .secrets.toml.example .secrets.toml
# --8<-- [end:secrets]
# --8<-- [start:upgrade]
alembic upgrade head
# --8<-- [end:upgrade]
# --8<-- [start:testing]
DB_ENV=testing alembic upgrade head
# --8<-- [end:testing]
# --8<-- [start:production]
DB_ENV=production alembic upgrade head
# --8<-- [end:production]
# --8<-- [start:any_password]
DB_ENV=production DB_PASSWORD='@format {env[APP_DB_PASSWORD]}' alembic upgrade head
# --8<-- [end:any_password]
# --8<-- [start:install]
pip install dynaconf "psycopg[binary]"
# --8<-- [end:install]
# --8<-- [start:install_mariadb]
pip install dynaconf pymysql
# --8<-- [end:install_mariadb]

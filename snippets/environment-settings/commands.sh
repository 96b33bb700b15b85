# --8<-- [start:install]
pip install pydantic-settings "psycopg[binary]"
# --8<-- [end:install]
# --8<-- [start:dotenv]
cp .env.example .env
# --8<-- [end:dotenv]
# --8<-- [start:upgrade]
alembic upgrade head
# --8<-- [end:upgrade]

import sqlalchemy as sa

# --8<-- [start:db_uri]
DB_URI: sa.URL = sa.URL.create(
    drivername="postgresql+psycopg",
    username="app",
    password="p@ss:w/rd",
    host="localhost",
    port=5432,
    database="app",
)
# --8<-- [end:db_uri]

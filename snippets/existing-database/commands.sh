# --8<-- [start:autogenerate]
alembic revision --autogenerate -m "baseline"
# --8<-- [end:autogenerate]
# --8<-- [start:new_database]
alembic -x url=sqlite:///new.sqlite upgrade head
# --8<-- [end:new_database]
# --8<-- [start:baseline]
alembic -x url=sqlite:///empty.sqlite revision --autogenerate -m "baseline"
rm empty.sqlite
# --8<-- [end:baseline]
# --8<-- [start:stamp]
alembic stamp head
alembic check
# --8<-- [end:stamp]
# --8<-- [start:purge]
alembic stamp --purge head
# --8<-- [end:purge]

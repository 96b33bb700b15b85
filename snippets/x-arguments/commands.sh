# --8<-- [start:other_database]
alembic -x url=sqlite:///other.sqlite upgrade head
# --8<-- [end:other_database]

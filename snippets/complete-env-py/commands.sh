# --8<-- [start:revision]
alembic revision --autogenerate -m "accounts and audit events"
# --8<-- [end:revision]
# --8<-- [start:upgrade]
alembic upgrade head
# --8<-- [end:upgrade]
# --8<-- [start:check]
alembic check
# --8<-- [end:check]
# --8<-- [start:downgrade]
alembic downgrade base
# --8<-- [end:downgrade]

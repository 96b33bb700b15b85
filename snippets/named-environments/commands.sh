# --8<-- [start:init]
alembic init migrations/app
alembic init migrations/analytics
# --8<-- [end:init]
# --8<-- [start:revisions]
alembic revision --autogenerate -m "create account"
alembic --name analytics revision --autogenerate -m "create page_view"
# --8<-- [end:revisions]
# --8<-- [start:upgrade]
alembic upgrade head
alembic --name analytics upgrade head
# --8<-- [end:upgrade]
# --8<-- [start:unknown]
alembic --name analytic upgrade head
# --8<-- [end:unknown]

# --8<-- [start:install]
pip install pytest
# --8<-- [end:install]
# --8<-- [start:heads]
alembic heads
# --8<-- [end:heads]
# --8<-- [start:upgrade]
alembic upgrade head
# --8<-- [end:upgrade]
# --8<-- [start:merge]
alembic merge heads -m "merge email and phone"
# --8<-- [end:merge]
# --8<-- [start:one_head]
pytest tests/test_migrations.py::test_one_head
# --8<-- [end:one_head]
# --8<-- [start:at_head]
pytest tests/test_migrations.py::test_database_at_head
# --8<-- [end:at_head]

# --8<-- [start:install]
pip install pytest pytest-alembic
# --8<-- [end:install]

# --8<-- [start:install]
pip install sqlmodel
# --8<-- [end:install]

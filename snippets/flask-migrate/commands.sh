# --8<-- [start:install]
pip install flask-migrate
# --8<-- [end:install]
# --8<-- [start:init]
flask db init
# --8<-- [end:init]
# --8<-- [start:migrate]
flask db migrate -m "create some_model"
# --8<-- [end:migrate]
# --8<-- [start:upgrade]
flask db upgrade
# --8<-- [end:upgrade]
# --8<-- [start:downgrade]
flask db downgrade
# --8<-- [end:downgrade]

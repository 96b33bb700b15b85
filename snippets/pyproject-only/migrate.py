from alembic import command
from alembic.config import Config

config = Config(toml_file="pyproject.toml")
config.set_main_option("sqlalchemy.url", "sqlite:///database.sqlite")
command.upgrade(config, "head")

from alembic import command
from alembic.config import Config

# As `alembic stamp head`: head goes into alembic_version; nothing runs.
command.stamp(Config("alembic.ini"), "head")

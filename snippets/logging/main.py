import logging

from alembic import command
from alembic.config import Config

logger = logging.getLogger(__name__)


def main() -> None:
    command.upgrade(Config("alembic.ini"), "head")
    logger.warning("database upgraded, starting")

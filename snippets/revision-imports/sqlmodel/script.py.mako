from alembic import op
import sqlalchemy as sa
import sqlmodel
${imports if imports else ""}

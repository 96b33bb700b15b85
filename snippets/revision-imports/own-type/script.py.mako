from alembic import op
import sqlalchemy as sa
import app.core.types
${imports if imports else ""}

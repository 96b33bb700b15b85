from alembic import op
import sqlalchemy as sa
import app.migration_types
${imports if imports else ""}

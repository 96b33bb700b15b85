# --8<-- [start:model_imports]
# Import every module that defines tables, so that they are registered on
# db.metadata before autogenerate compares it with the database.
import app.models  # noqa: F401
from app.extensions import db

# --8<-- [end:model_imports]
# --8<-- [start:target_metadata]
target_metadata = db.metadata
# --8<-- [end:target_metadata]
# --8<-- [start:target_metadata_list]
target_metadata = [db.metadata]
# --8<-- [end:target_metadata_list]

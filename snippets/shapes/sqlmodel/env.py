# --8<-- [start:model_imports]
# Import every module that defines tables, so that they are registered on
# SQLModel.metadata before autogenerate compares it with the database.
from sqlmodel import SQLModel

import app.models  # noqa: F401

# --8<-- [end:model_imports]
# --8<-- [start:target_metadata]
target_metadata = SQLModel.metadata
# --8<-- [end:target_metadata]
# --8<-- [start:target_metadata_list]
target_metadata = [SQLModel.metadata]
# --8<-- [end:target_metadata_list]

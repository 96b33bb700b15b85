from app.core.database import Base

# --8<-- [start:target_metadata_list]
target_metadata = [Base.metadata]
# --8<-- [end:target_metadata_list]

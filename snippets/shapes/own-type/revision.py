# --8<-- [start:import]
import app.core.types

# --8<-- [end:import]
# What autogenerate writes into the revision, which needs the import.
app.core.types.GUID(length=32)

# --8<-- [start:import]
import sqlmodel

# --8<-- [end:import]
# What autogenerate writes into the revision, which needs the import.
sqlmodel.sql.sqltypes.AutoString(length=50)

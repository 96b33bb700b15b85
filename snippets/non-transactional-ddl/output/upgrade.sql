-- Running upgrade 1c0a5e7b3d92 -> 5d1a7c3e9b20

CREATE TABLE audit (
    id INTEGER NOT NULL AUTO_INCREMENT, 
    account_id INTEGER NOT NULL, 
    PRIMARY KEY (id)
);

ALTER TABLE account ADD CONSTRAINT uq_account_name UNIQUE (name);

UPDATE alembic_version SET version_num='5d1a7c3e9b20' WHERE alembic_version.version_num = '1c0a5e7b3d92';


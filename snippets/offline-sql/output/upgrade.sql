CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running upgrade  -> 1c4f0e2b8d93

CREATE TABLE some_model (
    id INTEGER NOT NULL, 
    name VARCHAR(50) NOT NULL, 
    PRIMARY KEY (id)
);

INSERT INTO alembic_version (version_num) VALUES ('1c4f0e2b8d93') RETURNING version_num;

-- Running upgrade 1c4f0e2b8d93 -> 7e2a6d0c4b15

ALTER TABLE some_model ADD COLUMN email VARCHAR(100);

UPDATE alembic_version SET version_num='7e2a6d0c4b15' WHERE alembic_version.version_num = '1c4f0e2b8d93';

-- Running upgrade 7e2a6d0c4b15 -> 5b1e9d3c7a42

UPDATE some_model SET name='unnamed' WHERE some_model.name IS NULL;

UPDATE alembic_version SET version_num='5b1e9d3c7a42' WHERE alembic_version.version_num = '7e2a6d0c4b15';


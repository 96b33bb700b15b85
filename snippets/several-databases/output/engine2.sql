BEGIN;

CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running upgrade  -> 3f1a9c2e7b40

CREATE TABLE page_view (
    id SERIAL NOT NULL, 
    path VARCHAR(200) NOT NULL, 
    PRIMARY KEY (id)
);

INSERT INTO alembic_version (version_num) VALUES ('3f1a9c2e7b40') RETURNING alembic_version.version_num;

COMMIT;


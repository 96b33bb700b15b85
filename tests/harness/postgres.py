"""A PostgreSQL server of the machine's own, for the session, and a login
role of a test's own on it, with its database (`role_url`, `role`).

psycopg is imported where it is used: a run of SQLite tests loads none of it.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import pytest
import sqlalchemy as sa

from .cache import fresh_data
from .programs import run_checked

if TYPE_CHECKING:
    import psycopg


class Activity(NamedTuple):
    """A session of the server, as pg_stat_activity shows it."""

    # Its statement, or its last one when it is idle.
    query: str
    # What it waits for, when it waits for a lock: "relation", "advisory",
    # "transactionid", "virtualxid"...; "" when it does not.
    lock: str


class Postgres:
    """A PostgreSQL server of the machine's own, on a loopback port.

    Local (socket) connections as `postgres` are trusted; TCP connections
    need a password (scram-sha-256), as a deployed server would.
    """

    def __init__(self, folder: Path, port: int) -> None:
        self.folder = folder
        self.host = "127.0.0.1"
        self.port = port
        self._numbers = itertools.count()

    def admin(self, database: str = "postgres") -> psycopg.Connection:
        """A superuser connection over the server's socket."""
        import psycopg

        return psycopg.connect(
            host=str(self.folder),
            port=self.port,
            user="postgres",
            dbname=database,
            autocommit=True,
        )

    def create_role(self, name: str, password: str) -> None:
        """A login role with its own database, or a new password for it."""
        from psycopg import sql as psql

        with self.admin() as db:
            exists = db.execute(
                "SELECT 1 FROM pg_roles WHERE rolname = %s", [name]
            ).fetchone()
            verb = "ALTER" if exists else "CREATE"
            db.execute(
                psql.SQL(verb + " ROLE {} LOGIN PASSWORD {}").format(
                    psql.Identifier(name), psql.Literal(password)
                )
            )
            if not exists:
                db.execute(
                    psql.SQL("CREATE DATABASE {} OWNER {}").format(
                        psql.Identifier(name), psql.Identifier(name)
                    )
                )

    def url(self, name: str) -> str:
        """The URL of a new login role's own database (see create_role)."""
        password = f"{name} password"
        self.create_role(name, password)
        return sa.URL.create(
            "postgresql+psycopg",
            username=name,
            password=password,
            host=self.host,
            port=self.port,
            database=name,
        ).render_as_string(hide_password=False)

    def fresh_url(self, prefix: str) -> str:
        """The URL of a login role's own database, new to this session:
        `prefix_0`, `prefix_1`, ..."""
        return self.url(f"{prefix}_{next(self._numbers)}")

    @contextmanager
    def connect(self, url: str) -> Iterator[sa.Connection]:
        """A connection to a URL's database, as an application opens one;
        closed on leaving the block (its transaction rolled back unless
        committed)."""
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        try:
            with engine.connect() as connection:
                yield connection
        finally:
            engine.dispose()

    def activity(self, url: str) -> list[Activity]:
        """What each client session of a URL's database is doing."""
        with self.admin() as db:
            rows = db.execute(
                "SELECT query, CASE WHEN wait_event_type = 'Lock'"
                " THEN wait_event ELSE '' END FROM pg_stat_activity"
                " WHERE datname = %s AND backend_type = 'client backend'",
                [sa.make_url(url).database],
            )
            return [Activity(*row) for row in rows]

    def wait_for(
        self,
        url: str,
        condition: Callable[[list[Activity]], bool],
        *running: subprocess.Popen[str],
    ) -> None:
        """Poll the sessions of a URL's database until the condition holds
        of them; fail if one of the running processes ends first, or when
        nothing is reached in a minute (a test that would hang)."""
        for _ in range(600):
            if condition(self.activity(url)):
                return
            ended = [p.args for p in running if p.poll() is not None]
            assert not ended, f"ended before the sessions were so: {ended}"
            time.sleep(0.1)
        raise AssertionError(f"never so: {self.activity(url)}")

    def qualified_tables(self, database: str) -> set[str]:
        """Every table of a role's database, Alembic's too, as
        `schema.table`, outside PostgreSQL's own schemas."""
        with self.admin(database) as db:
            rows = db.execute(
                "SELECT schemaname || '.' || tablename FROM pg_tables"
                " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
            )
            return {name for (name,) in rows}

    def schemas(self, database: str) -> set[str]:
        """The schemas of a role's database, but PostgreSQL's own."""
        with self.admin(database) as db:
            rows = db.execute(
                "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg_%'"
                " AND nspname != 'information_schema'"
            )
            return {name for (name,) in rows}

    def versions(self, url: str) -> list[str] | None:
        """The revisions in the alembic_version table of a URL's database;
        None when it has no such table."""
        with self.connect(url) as db:
            if not sa.inspect(db).has_table("alembic_version"):
                return None
            rows = db.execute(sa.text("SELECT * FROM alembic_version"))
            return list(rows.scalars())

    def columns(self, url: str, table: str) -> list[str]:
        """The names of the columns of a table of a URL's database."""
        with self.connect(url) as db:
            return [c["name"] for c in sa.inspect(db).get_columns(table)]

    def tables(self, database: str) -> set[str]:
        """The tables of a role's database, but Alembic's own."""
        with self.admin(database) as db:
            rows = db.execute(
                "SELECT tablename FROM pg_tables"
                " WHERE schemaname = 'public' AND tableowner = %s",
                [database],
            )
            return {name for (name,) in rows} - {"alembic_version"}


def waits_for_a_lock(statement: str) -> Callable[[list[Activity]], bool]:
    """A condition of `Postgres.wait_for`: a session whose statement starts
    so waits for a lock."""
    return lambda sessions: any(
        s.lock and s.query.startswith(statement) for s in sessions
    )


def with_values(section: str, url: str) -> str:
    """A `URL.create(...)` section with a server's connection values in
    place of its own, as a reader types them there."""
    parts = sa.make_url(url)
    for key in ["username", "password", "host", "port", "database"]:
        value = repr(getattr(parts, key))
        section, count = re.subn(
            rf"^( +{key}=).*,$",
            lambda m, value=value: f"{m[1]}{value},",
            section,
            flags=re.MULTILINE,
        )
        assert count == 1, f"the section has no single {key}= line"
    return section


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """A new cluster for the session, in a temporary folder: a copy of the
    one initdb made for the first session (harness.cache).

    initdb and pg_ctl refuse root: as root they run as the `postgres` user,
    who owns the folder; as anyone else, as that user (GitHub's `runner`).
    """
    bin_dir = max(Path("/usr/lib/postgresql").glob("*/bin"), default=None)
    assert bin_dir, "PostgreSQL is not installed: `make test` installs it"
    folder = Path(tempfile.mkdtemp(prefix="alembic-guide-pg-"))
    as_root = os.geteuid() == 0
    if as_root:
        shutil.chown(folder, "postgres")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    def server_tool(*argv: str) -> None:
        runuser = ["runuser", "-u", "postgres", "--"] if as_root else []
        run_checked([*runuser, *argv], folder)

    data = folder / "data"
    initdb = [
        str(bin_dir / "initdb"),
        "-U",
        "postgres",
        "--auth-local=trust",
        "--auth-host=scram-sha-256",
        "--no-sync",
    ]
    fresh_data(
        "postgres", initdb, data, lambda: server_tool(*initdb, "-D", str(data))
    )
    options = (
        f"-c listen_addresses=127.0.0.1 -c port={port} -c fsync=off"
        f" -c unix_socket_directories={folder}"
    )
    pg_ctl = str(bin_dir / "pg_ctl")
    server_tool(
        pg_ctl,
        "-D",
        str(data),
        "-l",
        str(folder / "log"),
        "-o",
        options,
        "-w",
        "start",
    )
    try:
        yield Postgres(folder, port)
    finally:
        server_tool(pg_ctl, "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(folder)


@pytest.fixture
def role_url(postgres: Postgres) -> str:
    """The URL of a login role of the test's own, in its own database."""
    return postgres.fresh_url("role")


@pytest.fixture
def role(role_url: str) -> str:
    """The name of role_url's role, which its database has too."""
    return sa.make_url(role_url).database

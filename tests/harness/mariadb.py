"""A MariaDB server of the machine's own, for the session.

Debian's `mariadb-server` provides the programs; the server never reads the
system's configuration (`--no-defaults`) nor uses its service, data folder,
socket or port. pymysql is imported where it is used.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import sqlalchemy as sa

from .cache import fresh_data
from .programs import run_checked

if TYPE_CHECKING:
    import pymysql

SERVER = Path("/usr/sbin/mariadbd")
INSTALL_DB = Path("/usr/bin/mariadb-install-db")
# How long the server may take to answer, polled every POLL seconds.
READY_WITHIN, POLL = 60.0, 0.05


class MariaDB:
    """A MariaDB server on a loopback port.

    Socket connections as the login user who started it are trusted
    (MariaDB's unix_socket authentication; root's login is `root`); TCP
    connections need a password, as a deployed server would.
    """

    def __init__(self, folder: Path, port: int) -> None:
        self.folder = folder
        self.socket = folder / "socket"
        self.host = "127.0.0.1"
        self.port = port

    def admin(self, database: str | None = None) -> pymysql.Connection:
        """An all-privileged connection over the server's socket."""
        import pymysql

        return pymysql.connect(
            unix_socket=str(self.socket),
            user=pwd.getpwuid(os.geteuid()).pw_name,
            database=database,
            autocommit=True,
        )

    def create_role(self, name: str, password: str) -> None:
        """A login user (PostgreSQL's role: the same API as `Postgres`) with
        every privilege on a database of its own, or a new password for it."""
        with self.admin() as db, db.cursor() as cursor:
            cursor.execute(
                "CREATE USER IF NOT EXISTS %s@'%%' IDENTIFIED BY %s",
                [name, password],
            )
            cursor.execute(
                "ALTER USER %s@'%%' IDENTIFIED BY %s", [name, password]
            )
            database = f"`{name}`"
            cursor.execute(f"CREATE DATABASE IF NOT EXISTS {database}")
            cursor.execute(f"GRANT ALL ON {database}.* TO %s@'%%'", [name])

    def url(self, name: str) -> str:
        """The URL of a new login user's own database (see create_role)."""
        password = f"{name} password"
        self.create_role(name, password)
        return sa.URL.create(
            "mysql+pymysql",
            username=name,
            password=password,
            host=self.host,
            port=self.port,
            database=name,
        ).render_as_string(hide_password=False)

    def open_connections(self) -> int:
        """This process's open TCP connections to the server (an engine
        with NullPool closes its own as each block that uses it ends)."""
        sockets = set()
        for fd in Path("/proc/self/fd").iterdir():
            with contextlib.suppress(FileNotFoundError):
                sockets.add(os.readlink(fd))
        rows = Path("/proc/net/tcp").read_text().splitlines()[1:]
        return sum(
            int(remote.rpartition(":")[2], 16) == self.port
            and f"socket:[{inode}]" in sockets
            for _, _, remote, *_, inode in (row.split()[:10] for row in rows)
        )

    def tables(self, database: str) -> set[str]:
        """The tables of a user's database, but Alembic's own."""
        with self.admin(database) as db, db.cursor() as cursor:
            cursor.execute("SHOW TABLES")
            return {name for (name,) in cursor} - {"alembic_version"}


def wait_until_ready(
    server: subprocess.Popen[bytes], mariadb: MariaDB
) -> None:
    """Poll the socket until the server listens on it; fail if it stops
    first, or has not answered within READY_WITHIN seconds."""
    log = mariadb.folder / "log"
    deadline = time.monotonic() + READY_WITHIN
    while time.monotonic() < deadline:
        with socket.socket(socket.AF_UNIX) as probe:
            try:
                probe.connect(str(mariadb.socket))
                return
            except (FileNotFoundError, ConnectionRefusedError):
                pass
        try:
            code = server.wait(timeout=POLL)
        except subprocess.TimeoutExpired:
            continue
        raise RuntimeError(f"mariadbd stopped ({code}):\n{log.read_text()}")
    raise RuntimeError(f"mariadbd did not answer:\n{log.read_text()}")


@pytest.fixture(scope="session")
def mariadb() -> Iterator[MariaDB]:
    """A new data folder for the session, in a temporary folder: a copy of
    the one mariadb-install-db made for the first session (harness.cache).

    As root, the server runs as root (`--user=root`), which it otherwise
    refuses; as anyone else, as that user (GitHub's `runner`).

    The server offers no TLS, so no certificate is ever checked; yet
    PyMySQL makes a TLS context for each connection in case the server
    offers it, and loads the system's certificates into it: three hundredths
    of a second a connection, of a reader's engine in a test or of a shell
    it runs. For the session, OpenSSL's default certificates are none.
    """
    assert SERVER.exists(), "MariaDB is not installed: `make test` installs it"
    folder = Path(tempfile.mkdtemp(prefix="alembic-guide-mariadb-"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    data = folder / "data"
    as_root = ["--user=root"] if os.geteuid() == 0 else []
    # No test database and no anonymous users; grants by address, not name.
    install_db = [
        INSTALL_DB,
        "--no-defaults",
        "--skip-test-db",
        "--skip-name-resolve",
    ]
    fresh_data(
        "mariadb",
        install_db,
        data,
        lambda: run_checked([*install_db, f"--datadir={data}"], folder),
    )
    mariadb = MariaDB(folder, port)
    with (folder / "log").open("w") as log:
        server = subprocess.Popen(
            [
                # Killed with this process, should it be killed before its
                # teardown (as make mutants kills a run that hangs).
                *["setpriv", "--pdeathsig", "KILL", "--"],
                str(SERVER),
                "--no-defaults",
                f"--datadir={data}",
                f"--socket={mariadb.socket}",
                f"--port={port}",
                "--bind-address=127.0.0.1",
                "--skip-name-resolve",
                *as_root,
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_ready(server, mariadb)
        with pytest.MonkeyPatch.context() as monkeypatch:
            monkeypatch.setenv(
                "SSL_CERT_FILE", str(folder / "no-certificates")
            )
            monkeypatch.setenv("SSL_CERT_DIR", str(folder / "no-certificates"))
            yield mariadb
    finally:
        server.kill()
        server.wait()
        shutil.rmtree(folder)

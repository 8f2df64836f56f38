"""A throw-away PostgreSQL server for the tests: initdb in a temporary folder, 127.0.0.1 only."""

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

from archive.operations.postgres import program

# initdb refuses to run as root; as root, the server runs as Debian's postgres user.
SERVER_USER = "postgres"


def free_port() -> int:
    """Return a TCP port of 127.0.0.1 nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class TemporaryServer:
    """A PostgreSQL cluster of its own: started by start(), gone after stop()."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="archive-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.as_user = ["runuser", "-u", SERVER_USER, "--"] if os.geteuid() == 0 else []
        self._admin = None

    def _run(self, *command: str) -> None:
        result = subprocess.run(
            [*self.as_user, *command], capture_output=True, text=True, check=False
        )
        if result.returncode:
            log = self.folder / "server.log"
            server_log = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{command[0]} failed: {result.stdout}{result.stderr}{server_log}")

    def start(self) -> None:
        """Create the cluster and start the server; wait until it accepts connections."""
        if self.as_user:
            shutil.chown(self.folder, SERVER_USER)
        self._run(
            program("initdb"), "-D", str(self.data), "-U", "archive", "-A", "trust",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        # Durability is not what these tests test: skip the disk flushes.
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories={self.folder} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            program("pg_ctl"), "start", "-w", "-D", str(self.data),
            "-l", str(self.folder / "server.log"), "-o", options,
        )  # fmt: skip

    def execute(self, statement: str) -> None:
        """Run a statement outside a transaction (CREATE DATABASE needs that)."""
        if self._admin is None:
            self._admin = create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT")
        with self._admin.connect() as connection:
            connection.execute(text(statement))

    @contextmanager
    def database(self, name: str, template: str | None = None) -> Iterator[str]:
        """Create a database (a copy of template, if given); yield its URL; drop it after."""
        self.execute(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
        try:
            yield self.url(name)
        finally:
            self.execute(f"DROP DATABASE {name} WITH (FORCE)")

    def url(self, database: str) -> str:
        """Return the SQLAlchemy URL of a database on this server."""
        return f"postgresql+psycopg://archive@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        """Stop the server at once and remove its files."""
        if self._admin is not None:
            self._admin.dispose()
        if (self.data / "postmaster.pid").exists():
            self._run(program("pg_ctl"), "stop", "-D", str(self.data), "-m", "immediate")
        shutil.rmtree(self.folder, ignore_errors=True)

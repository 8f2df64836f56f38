"""A throw-away PostgreSQL server for the tests: initdb in a temporary folder, 127.0.0.1 only."""

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
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


class TemplateCopies:
    """Fresh copies of a template database, each made while the test before it runs.

    CREATE DATABASE … TEMPLATE takes a tenth of a second and DROP DATABASE a few
    hundredths, for every PostgreSQL test. One thread of its own does both, one statement
    at a time, while the suite runs the test in between; each test still gets a copy
    nobody has used.
    """

    def __init__(self, server: TemporaryServer, template: str):
        self._server = server
        self._template = template
        self._numbers = itertools.count(1)
        self._work = ThreadPoolExecutor(max_workers=1, thread_name_prefix="template-copies")
        self._ready: Future[str] = self._work.submit(self._create)

    def _create(self) -> str:
        name = f"test_{next(self._numbers)}"
        self._server.execute(f"CREATE DATABASE {name} TEMPLATE {self._template}")
        return name

    def _drop(self, name: str) -> None:
        self._server.execute(f"DROP DATABASE {name} WITH (FORCE)")

    @contextmanager
    def copy(self) -> Iterator[str]:
        """Yield the URL of a fresh copy of the template; it is dropped afterwards."""
        name = self._ready.result()  # raises here if the copy could not be made
        self._ready = self._work.submit(self._create)
        try:
            yield self._server.url(name)
        finally:
            self._work.submit(self._drop, name)

    def close(self) -> None:
        """Drop the copy made ahead, once the drops still queued are done."""
        if self._ready.exception() is None:
            self._work.submit(self._drop, self._ready.result())
        self._work.shutdown(wait=True)

"""Finding PostgreSQL's programs and giving them the app's database to work on."""

import glob
import shutil
from pathlib import Path

from sqlalchemy.engine import URL


def program(name: str) -> str:
    """Return the path of a PostgreSQL program (pg_dump, initdb…); raise FileNotFoundError.

    Debian keeps them off PATH, one folder per version (/usr/lib/postgresql/<version>/bin):
    the newest wins, as pg_dump must be at least as new as the server it dumps.
    """
    installed = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_version)
    found = installed[-1] if installed else shutil.which(name)
    if not found:
        raise FileNotFoundError(f"{name} not found: install PostgreSQL's client programs")
    return found


def _version(path: str) -> int:
    version = Path(path).parts[-3]
    return int(version) if version.isdigit() else 0


def libpq_arguments(url: URL) -> tuple[str, dict[str, str]]:
    """Return (connection string, environment) for libpq programs such as pg_dump.

    The password goes in the environment, never on a command line other users could read.
    """
    plain = URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    )
    environment = {"PGPASSWORD": url.password} if url.password else {}
    return plain.render_as_string(hide_password=False), environment

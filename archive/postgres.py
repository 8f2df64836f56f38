"""Finding PostgreSQL's programs and talking to them about the app's database."""

import shutil
from pathlib import Path

from sqlalchemy.engine import URL

# Debian keeps the server's programs (initdb, pg_ctl) off PATH, one folder per version.
_DEBIAN_BINDIRS = "/usr/lib/postgresql/*/bin"


def program(name: str) -> str:
    """Return the path of a PostgreSQL program (pg_dump, initdb…): the newest version wins.

    Raise FileNotFoundError saying what to install when there is none.
    """
    folders = sorted(
        Path("/").glob(_DEBIAN_BINDIRS.lstrip("/")),
        key=lambda folder: int(folder.parent.name) if folder.parent.name.isdigit() else 0,
    )
    # A dump must be made by a pg_dump at least as new as the server: prefer the newest.
    for folder in reversed(folders):
        if (folder / name).is_file():
            return str(folder / name)
    found = shutil.which(name)
    if found:
        return found
    raise FileNotFoundError(f"{name} not found: install PostgreSQL's client programs")


def libpq_arguments(url: URL) -> tuple[str, dict[str, str]]:
    """Return (connection string, environment) for libpq programs; the password goes in the
    environment, never on a command line that other users could read."""
    plain = url.set(drivername="postgresql", password=None)
    environment = {"PGPASSWORD": url.password} if url.password else {}
    return plain.render_as_string(hide_password=False), environment

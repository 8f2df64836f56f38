"""`flask backup` and `flask restore`: a consistent database snapshot, the files, checksums.

A backup is a folder: the database (SQLite's online backup, or pg_dump's custom format),
every stored file under media/ by its storage key, and manifest.json with the SHA-256 of
each of them and the schema revision. It goes through the Storage interface, so it works
whichever backend holds the files. It holds EDI answers and password hashes, so its folders
and files are created for the archive's own user only (0700 and 0600), whatever the umask.
"""

import hashlib
import json
import os
import sqlite3
import subprocess
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from alembic.migration import MigrationContext
from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import func, inspect, select

from archive.auth.models import User
from archive.consent.models import ConsentForm
from archive.core.database import create_private_file
from archive.exhibitions.models import Exhibition
from archive.extensions import db
from archive.operations.postgres import libpq_arguments, program
from archive.people.models import Person
from archive.photos.models import Photo
from archive.search.index import reindex
from archive.storage import StorageError, get_storage

MANIFEST = "manifest.json"
FORMAT = 1
MEDIA = "media"
# What makes an instance "not empty": restoring over any of it needs --replace.
_HOLDINGS = ((User, "users"), (Person, "people"), (Photo, "photos"),
             (ConsentForm, "consent forms"), (Exhibition, "exhibitions"))  # fmt: skip


class BackupError(Exception):
    """A backup could not be made or restored; the message says why and what to do."""


def backup(target: Path, on_file: Callable[[str], None] = lambda key: None) -> dict:
    """Write a backup of the database and every stored file into target; return its manifest.

    The database is copied first, as one consistent snapshot, then the files: a file is
    stored before the row naming it is committed and never changes afterwards, so every
    file the snapshot refers to is already there when the files are copied.
    """
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: back up into a new folder")
    _make_private_folder(target)
    target.chmod(0o700)  # an empty folder made beforehand holds the backup as well
    db.session.rollback()
    revision = _schema_revision()
    database = _dump_database(target)
    files = {database: _sha256(target / database)}
    storage = get_storage()
    for key in sorted(found.key for found in storage.stored_objects()):
        on_file(key)
        name = f"{MEDIA}/{key}"
        path = target / name
        _make_private_folder(path.parent)
        create_private_file(path)
        try:
            with storage.open(key) as stored, open(path, "wb") as copy:
                files[name] = _copy_hashing(stored, copy)
        except StorageError as error:
            raise BackupError(f"{error}; the backup in {target} is incomplete") from error
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "engine": db.engine.dialect.name,
        "schema_revision": revision,
        "database": database,
        "files": files,
    }
    create_private_file(target / MANIFEST)
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def _make_private_folder(path: Path) -> None:
    """Create the folder and any missing parents, each for its owner only."""
    if not path.is_dir():
        _make_private_folder(path.parent)
        path.mkdir(mode=0o700, exist_ok=True)


def restore(
    source: Path, *, replace: bool = False, on_file: Callable[[str], None] = lambda key: None
) -> dict:
    """Restore a backup into this instance, then rebuild the search index; return the manifest.

    Every checksum is verified before anything is touched. An instance that already holds
    data is refused unless replace is set; then its database is replaced, and files it
    held that the backup does not refer to are left for `check --repair` to remove.
    """
    manifest = backup_manifest(source)
    damaged = verify(source, manifest)
    if damaged:
        raise BackupError(
            "the backup is damaged, nothing was restored; missing or changed since the backup: "
            + ", ".join(damaged[:5])
            + (f" and {len(damaged) - 5} more" if len(damaged) > 5 else "")
        )
    engine = db.engine.dialect.name
    if manifest["engine"] != engine:
        raise BackupError(f"this is a backup of {manifest['engine']}; this instance uses {engine}")
    held = holdings()
    if held and not replace:
        raise BackupError(
            f"this instance is not empty ({', '.join(held)}): restore into an empty instance, "
            "or pass --replace to replace its database"
        )
    # Files first, as an upload stores them: the restored rows only name files already there.
    storage = get_storage()
    for name in sorted(manifest["files"]):
        if name.startswith(f"{MEDIA}/"):
            key = name.removeprefix(f"{MEDIA}/")
            on_file(key)
            storage.put_file(key, source / name)
    _load_database(source / manifest["database"])
    # A backup made by an older version is brought up to this version's schema.
    upgrade(directory=current_app.extensions["migrate"].directory)
    reindex()
    return manifest


def backup_manifest(source: Path) -> dict:
    """Return the backup's manifest; raise BackupError if the folder holds none."""
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{source} is not a backup: no readable {MANIFEST}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source} is a backup in a format this version cannot read")
    for name in manifest["files"]:
        path = PurePosixPath(name)
        if path.is_absolute() or ".." in path.parts:
            raise BackupError(f"the manifest names a file outside the backup: {name!r}")
    return manifest


def verify(source: Path, manifest: dict) -> list[str]:
    """Return the backup's files that are missing or whose SHA-256 differs from the manifest."""
    return [
        name
        for name, sha256 in sorted(manifest["files"].items())
        if not (source / name).is_file() or _sha256(source / name) != sha256
    ]


def holdings() -> list[str]:
    """Return what this instance already holds ("3 photos", "stored files"); empty if nothing."""
    tables = set(inspect(db.engine).get_table_names())
    found = []
    for model, label in _HOLDINGS:
        if model.__tablename__ in tables:
            count = db.session.execute(select(func.count()).select_from(model)).scalar()
            if count:
                found.append(f"{count} {label}")
    db.session.rollback()
    if next(iter(get_storage().stored_objects()), None) is not None:
        found.append("stored files")
    return found


def _schema_revision() -> str | None:
    """Return the Alembic revision the database is at."""
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _dump_database(target: Path) -> str:
    """Write a consistent snapshot of the database into target; return its file name."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        name = "database.sqlite3"
        create_private_file(target / name)
        # The online backup API copies one consistent state while other workers go on writing.
        with (
            closing(sqlite3.connect(url.database)) as live,
            closing(sqlite3.connect(target / name)) as copy,
        ):
            live.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
        return name
    name = "database.pgdump"
    create_private_file(target / name)  # pg_dump writes into it, keeping its mode
    # pg_dump reads everything in one snapshot (a repeatable-read transaction).
    _run_postgres_program("pg_dump", "--format=custom", "--no-owner", f"--file={target / name}")
    return name


def _load_database(dump: Path) -> None:
    """Replace this instance's database with the dump's contents."""
    db.session.remove()
    db.engine.dispose()  # no connection of ours may hold a lock on what is replaced
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        with (
            closing(sqlite3.connect(dump)) as saved,
            closing(sqlite3.connect(url.database)) as live,
        ):
            saved.backup(live)
        return
    _run_postgres_program(
        "pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
        "--exit-on-error", str(dump),
    )  # fmt: skip


def _run_postgres_program(name: str, *arguments: str) -> None:
    """Run pg_dump or pg_restore on the app's database; raise BackupError if it fails."""
    conninfo, environment = libpq_arguments(db.engine.url)
    try:
        result = subprocess.run(  # noqa: S603 - our own arguments, no shell
            [program(name), *arguments, f"--dbname={conninfo}"],
            env={**os.environ, **environment},
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError as error:
        raise BackupError(str(error)) from error
    if result.returncode:
        raise BackupError(f"{name} failed: {result.stderr.strip()[-2000:]}")


def _copy_hashing(source: BinaryIO, target: BinaryIO) -> str:
    """Copy source into target in one pass; return the SHA-256 of what was copied."""
    digest = hashlib.sha256()
    while chunk := source.read(1024 * 1024):
        digest.update(chunk)
        target.write(chunk)
    return digest.hexdigest()


def _sha256(path: Path) -> str:
    """Return the SHA-256 of the file at path."""
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()

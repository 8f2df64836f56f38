"""File storage behind one interface: LocalStorage by default, S3Storage for s3://… settings."""

from pathlib import Path

from flask import Flask, current_app

from archive.storage.base import Storage, StorageError
from archive.storage.local import LocalStorage
from archive.storage.working import grace_cutoff, remove_stale_entries

__all__ = [
    "LocalStorage",
    "Storage",
    "StorageError",
    "get_storage",
    "init_app",
    "storage_for",
]


def init_app(app: Flask) -> None:
    """Create the storage backend named by the STORAGE setting, asking the store nothing.

    A setting that names no store stops start-up with one line saying so (flask, gunicorn
    and scripts print it as is). Whether the store can be used now (a missing bucket,
    refused credentials) is asked by /healthz and `check`, not here: creating the app makes
    no network call, so a store that is down for a minute does not stop every worker.
    """
    try:
        storage = storage_for(app.config["STORAGE"], app.config)
    except StorageError as error:
        raise SystemExit(f"ARCHIVE_STORAGE={app.config['STORAGE']}: {error}") from None
    app.extensions["archive_storage"] = storage
    _clear_working_folder(app)


def _clear_working_folder(app: Flask) -> None:
    """Remove what interrupted uploads left in UPLOAD_TMP_PATH, older than the grace period.

    One listing of one folder, so cheap at every start; younger entries may belong to a
    worker or host at work now and are never touched.
    """
    root = Path(app.config["UPLOAD_TMP_PATH"])
    try:
        removed = remove_stale_entries(root, grace_cutoff(app.config["ORPHAN_GRACE_HOURS"]))
    except OSError as error:
        # Only disk space is at stake: the archive starts, and check names what is left.
        app.logger.warning("could not clear the working folder %s: %s", root, error)
        return
    if removed:
        app.logger.info("removed %d stale working folders or files from %s", removed, root)


def storage_for(setting: str, config) -> Storage:
    """Return the storage a STORAGE setting names: 'local' or 's3://bucket/prefix'."""
    if setting == "local":
        return LocalStorage(config["MEDIA_PATH"])
    if setting.startswith("s3://"):
        # Imported here: boto3 takes a tenth of a second to load, in every process (each
        # import worker included) of an archive that keeps its files on this machine.
        from archive.storage.s3 import S3Storage

        return S3Storage.from_setting(
            setting,
            endpoint_url=config["S3_ENDPOINT_URL"],
            presigned=config["S3_PRESIGNED"],
            presigned_seconds=config["S3_PRESIGNED_SECONDS"],
            multipart_mb=config["S3_MULTIPART_MB"],
        )
    raise StorageError(f"{setting!r} is neither 'local' nor an s3://bucket/prefix address")


def get_storage() -> Storage:
    """Return the current app's storage backend."""
    return current_app.extensions["archive_storage"]

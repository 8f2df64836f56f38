"""File storage behind one interface: LocalStorage by default, S3Storage for s3://… settings."""

from flask import Flask, current_app

from archive.storage.base import Storage, StorageError
from archive.storage.local import LocalStorage

__all__ = [
    "LocalStorage",
    "Storage",
    "StorageError",
    "get_storage",
    "init_app",
    "storage_for",
]


def init_app(app: Flask) -> None:
    """Create the storage backend named by the STORAGE setting and make sure it is usable.

    An archive without its files cannot serve: a missing bucket or refused credentials
    stop start-up with one line saying so (flask, gunicorn and scripts print it as is).
    """
    try:
        storage = storage_for(app.config["STORAGE"], app.config)
        storage.verify()
    except StorageError as error:
        raise SystemExit(f"ARCHIVE_STORAGE={app.config['STORAGE']}: {error}") from None
    app.extensions["archive_storage"] = storage


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

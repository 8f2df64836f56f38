"""File storage behind one interface: LocalStorage by default, chosen by ARCHIVE_STORAGE."""

from flask import Flask, current_app

from archive.storage.base import Storage, StorageError
from archive.storage.local import LocalStorage

__all__ = ["LocalStorage", "Storage", "StorageError", "get_storage", "init_app"]


def init_app(app: Flask) -> None:
    """Create the storage backend named by the STORAGE setting."""
    setting = app.config["STORAGE"]
    if setting == "local":
        app.extensions["archive_storage"] = LocalStorage(app.config["MEDIA_PATH"])
    else:
        raise ValueError(f"ARCHIVE_STORAGE={setting!r} is not a storage this version supports")


def get_storage() -> Storage:
    """Return the current app's storage backend."""
    return current_app.extensions["archive_storage"]

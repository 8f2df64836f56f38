"""What every database row that points at a stored file records, and cleaning up after failures."""

from collections.abc import Iterable

from flask import Response, abort, current_app
from sqlalchemy import String, exists, select
from sqlalchemy.orm import Mapped, mapped_column

from archive.extensions import db
from archive.storage import StorageError, get_storage


class StoredFileMixin:
    """Columns naming a stored file: its key, checksum, size, type and the name it came with."""

    storage_key: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int]
    content_type: Mapped[str] = mapped_column(String(100))
    original_filename: Mapped[str] = mapped_column(String(255), default="")


def is_referenced(key: str) -> bool:
    """Return whether any committed row (photo, derivative, consent form…) points at the key."""
    return any(
        db.session.execute(select(exists().where(model.storage_key == key))).scalar()
        for model in StoredFileMixin.__subclasses__()
    )


def discard_unreferenced(keys: Iterable[str]) -> None:
    """Roll back, then delete the stored files no committed row points at.

    Called when an ingest fails after storing files: content-addressed keys may be shared
    with a row someone else committed meanwhile, and those files must stay.
    """
    db.session.rollback()
    delete_unreferenced(keys, purpose="after a failed ingest")


def delete_unreferenced(keys: Iterable[str], *, purpose: str) -> None:
    """Delete each stored file no committed row points at.

    Call after committing the change that dropped the references: a content-addressed
    file may still be another row's (a group consent form, a derivative two photos share).
    A file the store refuses to delete is logged, saying what it was deleted for.
    """
    storage = get_storage()
    for key in dict.fromkeys(keys):
        if not key or is_referenced(key):
            continue
        try:
            storage.delete(key)
        except StorageError:
            current_app.logger.warning("could not remove %s %s", key, purpose)


def send_stored_file(key: str, **send_options) -> Response:
    """Return the storage's response sending the file under key; 404 if it is not stored.

    A row may name a file the store no longer holds (deleted by hand, lost with a disk):
    that file is simply not there. A store that fails while it does hold the file is
    still an error (500, logged).
    """
    storage = get_storage()
    try:
        return storage.send(key, **send_options)
    except StorageError:
        if key and storage.exists(key):
            raise
        abort(404)

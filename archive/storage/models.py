"""What every database row that points at a stored file records, and cleaning up after failures."""

from collections.abc import Iterable

from flask import current_app
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
    storage = get_storage()
    for key in keys:
        if is_referenced(key):
            continue
        try:
            storage.delete(key)
        except StorageError:
            current_app.logger.warning("could not remove %s after a failed ingest", key)

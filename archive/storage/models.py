"""What every database row that points at a stored file records, and cleaning up after failures."""

from collections.abc import Iterable
from pathlib import Path

from flask import Response, abort, current_app
from sqlalchemy import String, exists, select
from sqlalchemy.orm import Mapped, mapped_column

from archive.core.database import NameUse, may_name_people, write_transaction
from archive.extensions import db
from archive.storage import StorageError, get_storage


class StoredFileMixin:
    """Columns naming a stored file: its key, checksum, size, type and the name it came with."""

    storage_key: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int]
    content_type: Mapped[str] = mapped_column(String(100))
    original_filename: Mapped[str] = mapped_column(
        String(255), default="", info=may_name_people(NameUse.FILE_NAME)
    )


def is_referenced(key: str) -> bool:
    """Return whether any committed row (photo, derivative, consent form…) points at the key."""
    return any(
        db.session.execute(select(exists().where(model.storage_key == key))).scalar()
        for model in StoredFileMixin.__subclasses__()
    )


class StagedFiles:
    """The files an upload stores before it commits the rows that refer to them.

    Files go first and rows after, so no row names a file that is not there. Meanwhile a
    file the upload found already stored (the same content: a group's consent form, a
    derivative two photos share) may be deleted by someone who saw no row refer to it: an
    erasure, a failed ingest. delete_unreferenced decides and deletes inside a write
    transaction; confirm(), inside the write transaction that commits the rows, stores
    again what was deleted. Write transactions run one at a time, so the two never
    interleave. (A file the upload created was not stored before it, so only a row
    naming a file already lost, which check reports, could have someone delete it.)
    """

    def __init__(self) -> None:
        #: Keys this upload stored first: discard() removes them if its rows never commit.
        self.created: list[str] = []
        self._reused: dict[str, Path] = {}

    def put(self, key: str, path: Path) -> None:
        """Store the file at path under key (an existing key only has its age refreshed)."""
        if get_storage().put_file(key, path):
            self.created.append(key)
        else:
            self._reused[key] = path

    def confirm(self) -> None:
        """Store again each file found already stored that was deleted since; call in the commit."""
        storage = get_storage()
        for key, path in self._reused.items():
            if not storage.exists(key) and storage.put_file(key, path):
                self.created.append(key)

    def discard(self) -> None:
        """Roll back, then delete the files this upload created that no committed row points at."""
        discard_unreferenced(self.created)


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
    Decided and deleted inside a write transaction, so an upload of the same content
    that is about to commit waits, then stores the file again (StagedFiles.confirm). A
    file the store refuses to delete is logged, saying what it was deleted for.
    """
    keys = [key for key in dict.fromkeys(keys) if key]
    if not keys:
        return
    storage = get_storage()
    with write_transaction():
        for key in keys:
            if is_referenced(key):
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

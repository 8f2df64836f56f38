"""Which rows name a stored file, and deleting a file only once no row does.

Keys are content hashes, so several rows may name one file: each person's form of a
group's signed consent, the derivatives of two photos of the same picture, a small
photo's display and large sizes (the same JPEG). A file is deleted only when no row of
any model with stored files (stored_file_models) names it any more.
"""

from collections.abc import Iterable
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select

from archive.core.database import WriteBusy, write_transaction
from archive.extensions import db
from archive.storage import StorageError, get_storage
from archive.storage.models import stored_file_models


def reference_count(key: str) -> int:
    """Return how many rows, of every model with stored files, name the key."""
    return sum(
        db.session.execute(
            select(func.count()).select_from(model).where(model.storage_key == key)
        ).scalar_one()
        for model in stored_file_models()
    )


def referenced_files() -> dict[str, str]:
    """Return every storage key a row names, with the checksum its file should have."""
    files = {}
    for model in stored_file_models():
        rows = db.session.execute(select(model.storage_key, model.sha256)).all()
        files.update({key: sha256 for key, sha256 in rows if key})
    return files


def delete_if_unreferenced(key: str, *, stored_before: datetime | None = None) -> bool:
    """Delete the stored file if no committed row names it; return whether it was deleted.

    Call once the change that dropped the references has committed. Decided and deleted
    inside a write transaction, so an upload about to commit rows naming the file waits,
    then stores it again (StagedFiles.transaction). With stored_before, a file stored
    since then is kept too: an upload reusing a file stores it again, which refreshes its
    age, before it commits. Raises StorageError when the store refuses.
    """
    storage = get_storage()
    with write_transaction():
        # The rows first, then the file's age: a file coming into use now is young by then.
        if not key or reference_count(key):
            return False
        if stored_before is not None:
            found = storage.stored_object(key)
            if found is None or found.modified_at >= stored_before:
                return False
        storage.delete(key)
    return True


def delete_unreferenced(keys: Iterable[str], *, purpose: str) -> None:
    """Delete each of the stored files that no committed row names (delete_if_unreferenced).

    A file the store refuses to delete is logged, saying what it was deleted for; check
    names it as an orphan later. So are all that remain when the write lock is busy.
    """
    keys = list(dict.fromkeys(keys))
    for done, key in enumerate(keys):
        try:
            delete_if_unreferenced(key)
        except StorageError:
            current_app.logger.warning("could not remove %s %s", key, purpose)
        except WriteBusy:
            # Each further file would wait as long again, while a person waits for the page.
            left = len(keys) - done
            current_app.logger.warning("left %d files %s for check: writes are busy", left, purpose)
            return

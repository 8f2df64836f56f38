"""`flask check`: are the stored files, the database and the search index in agreement?"""

from dataclasses import dataclass, field

from sqlalchemy import func, insert, select

from archive.extensions import db
from archive.photos.models import Photo
from archive.search.documents import INDEXED
from archive.search.index import apply_pending_changes, indexed_ids
from archive.search.models import IndexChange
from archive.storage import StorageError, get_storage
from archive.storage.models import StoredFileMixin


@dataclass
class Report:
    """What check found; empty lists everywhere mean all is well."""

    storage_error: str | None = None
    missing_files: list[str] = field(default_factory=list)
    corrupt_files: list[str] = field(default_factory=list)
    orphan_files: list[str] = field(default_factory=list)
    queued_changes: int = 0
    not_in_index: list[int] = field(default_factory=list)
    stale_in_index: list[int] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)

    @property
    def problems(self) -> int:
        """Return how many things are out of step."""
        return (
            (self.storage_error is not None)
            + len(self.missing_files)
            + len(self.corrupt_files)
            + len(self.orphan_files)
            + self.queued_changes
            + len(self.not_in_index)
            + len(self.stale_in_index)
        )


def check(repair: bool = False, on_file=lambda key: None) -> Report:
    """Verify every referenced file by checksum, find orphans, compare the index with the DB.

    With repair: orphan files (referenced by no row) are deleted, and every photo whose
    index entry is missing or stale is queued and the queue applied. A referenced file
    is never deleted, even when it is corrupt: that needs a person.
    """
    report = Report()
    storage = get_storage()
    try:
        storage.verify()
    except StorageError as error:
        # Every file would look missing, and repairing could not be trusted: say why, stop.
        report.storage_error = str(error)
        _check_index(report)
        return report
    referenced = referenced_files()
    for key, sha256 in sorted(referenced.items()):
        on_file(key)
        try:
            digest = storage.checksum(key)
        except StorageError:
            report.missing_files.append(key)
            continue
        if digest != sha256:
            report.corrupt_files.append(key)
    report.orphan_files = [key for key in storage.stored_keys() if key not in referenced]
    _check_index(report)
    if repair:
        _repair(report)
    return report


def referenced_files() -> dict[str, str]:
    """Return every storage key a row refers to, with the checksum it should have."""
    files = {}
    for model in StoredFileMixin.__subclasses__():
        rows = db.session.execute(select(model.storage_key, model.sha256)).all()
        files.update({key: sha256 for key, sha256 in rows if key})
    return files


def _check_index(report: Report) -> None:
    report.queued_changes = db.session.execute(
        select(func.count(func.distinct(IndexChange.photo_id)))
    ).scalar()
    should = set(db.session.execute(select(Photo.id).where(INDEXED)).scalars())
    present = indexed_ids()
    report.not_in_index = sorted(should - present)
    report.stale_in_index = sorted(present - should)


def _repair(report: Report) -> None:
    storage = get_storage()
    for key in report.orphan_files:
        storage.delete(key)
        report.repaired.append(f"deleted orphan file {key}")
    gaps = report.not_in_index + report.stale_in_index
    if gaps:
        db.session.execute(insert(IndexChange), [{"photo_id": photo_id} for photo_id in gaps])
        db.session.commit()
    if gaps or report.queued_changes:
        count = apply_pending_changes()
        report.repaired.append(f"brought {count} photos up to date in the search index")

"""`flask check`: are the stored files, the database and the search index in agreement?"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from archive.core.database import write_transaction
from archive.extensions import db
from archive.photos.models import Photo
from archive.search.consistency import stale_documents
from archive.search.documents import INDEXED
from archive.search.index import (
    apply_pending_changes,
    indexed_ids,
    photos_to_index,
    searched_through,
)
from archive.search.log import photos_changed_after
from archive.search.queue import log_changes
from archive.storage import Storage, StorageError, get_storage
from archive.storage.base import PartialUpload
from archive.storage.references import delete_if_unreferenced, referenced_files
from archive.storage.working import grace_cutoff, remove_if_stale, stale_entries


@dataclass
class Report:
    """What check found; empty lists everywhere mean all is well."""

    storage_error: str | None = None
    missing_files: list[str] = field(default_factory=list)
    corrupt_files: list[str] = field(default_factory=list)
    #: Referenced by no row and older than the grace period: repair deletes them.
    orphan_files: list[str] = field(default_factory=list)
    #: Referenced by no row yet, younger than the grace period: an upload may be committing.
    recent_orphans: list[str] = field(default_factory=list)
    #: Stores interrupted longer ago than the grace period (drafts, multipart uploads).
    partial_uploads: list[PartialUpload] = field(default_factory=list)
    #: Entries of the working folder nothing changed in for the grace period.
    working_files: list[Path] = field(default_factory=list)
    queued_changes: int = 0
    not_in_index: list[int] = field(default_factory=list)
    stale_in_index: list[int] = field(default_factory=list)
    #: In the index, but not saying what the database says of the photo now.
    stale_documents: list[int] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    #: What repair could not remove (a store or a disk that refused), and why.
    unrepaired: list[str] = field(default_factory=list)

    @property
    def problems(self) -> int:
        """Return how many things are out of step; recent unreferenced files are not."""
        return (
            (self.storage_error is not None)
            + len(self.missing_files)
            + len(self.corrupt_files)
            + len(self.orphan_files)
            + len(self.partial_uploads)
            + len(self.working_files)
            + self.queued_changes
            + len(self.not_in_index)
            + len(self.stale_in_index)
            + len(self.stale_documents)
            + len(self.unrepaired)
        )


def check(repair: bool = False, on_file: Callable[[str], None] = lambda key: None) -> Report:
    """Verify every referenced file by checksum, find orphans and leftovers, compare the index.

    With repair: orphan files, interrupted uploads and working folders older than the
    grace period (ORPHAN_GRACE_HOURS) are removed, each asked about afresh just before,
    and every photo whose index entry is missing, out of date or should not be there is
    queued and the queue applied. A referenced file is never deleted, even when it is
    corrupt: that needs a person. Uploads and imports may run meanwhile, on this host or
    another.
    """
    report = Report()
    storage = get_storage()
    try:
        storage.verify()
        # Listed before the rows are read: a file stored before this moment and committed
        # before the read below is seen as referenced; one stored later is not judged.
        stored = sorted(storage.stored_objects(), key=lambda found: found.key)
        partial = list(storage.partial_uploads())
    except StorageError as error:
        # Every file would look missing, and repairing could not be trusted: say why, stop.
        report.storage_error = str(error)
        _check_index(report)
        return report
    db.session.rollback()  # a new transaction: it sees every row committed until now
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
    cutoff = _grace_cutoff()
    for found in stored:
        if found.key not in referenced:
            old = found.modified_at < cutoff
            (report.orphan_files if old else report.recent_orphans).append(found.key)
    report.partial_uploads = [upload for upload in partial if upload.changed_at < cutoff]
    report.working_files = stale_entries(Path(current_app.config["UPLOAD_TMP_PATH"]), cutoff)
    _check_index(report)
    if repair:
        _repair(report)
    return report


def _queued_photos() -> int:
    """Return how many photos have changes this host's search index has not applied."""
    through = searched_through()
    return len(photos_changed_after(through)) if through is not None else photos_to_index()


def _check_index(report: Report) -> None:
    report.queued_changes = _queued_photos()
    should = set(db.session.execute(select(Photo.id).where(INDEXED)).scalars())
    present = indexed_ids()
    report.not_in_index = sorted(should - present)
    report.stale_in_index = sorted(present - should)
    report.stale_documents = stale_documents()


def _grace_cutoff() -> datetime:
    """Return the moment before which a thing no one refers to or finishes counts as left."""
    return grace_cutoff(current_app.config["ORPHAN_GRACE_HOURS"])


def _repair(report: Report) -> None:
    storage = get_storage()
    _remove_orphans(report)
    _remove_leftovers(storage, report)
    gaps = report.not_in_index + report.stale_in_index + report.stale_documents
    waiting = report.queued_changes
    if gaps:
        # A write transaction: uploads on other processes may be committing meanwhile.
        with write_transaction():
            log_changes(db.session.connection(), gaps)
            waiting = _queued_photos()
    if waiting:
        # After a write the search index has usually applied the queue itself; this applies
        # what it could not, or the queue found waiting.
        apply_pending_changes()
        report.repaired.append(f"brought {waiting} photos up to date in the search index")


def _remove_orphans(report: Report) -> None:
    """Delete each orphan that no row names and is past the grace period, asked afresh."""
    cutoff = _grace_cutoff()
    for key in report.orphan_files:
        try:
            deleted = delete_if_unreferenced(key, stored_before=cutoff)
        except StorageError as error:
            report.unrepaired.append(f"deleted orphan file {key} failed: {error}")
            continue
        if deleted:
            report.repaired.append(f"deleted orphan file {key}")
        else:
            report.repaired.append(f"kept {key}: it was stored again or came into use meanwhile")


def _attempt(report: Report, done: str, remove: Callable[[], bool | None]) -> None:
    """Run one removal (False: nothing to remove after all); a refusal is reported, not raised."""
    try:
        removed = remove() is not False
    except (StorageError, OSError) as error:
        report.unrepaired.append(f"{done} failed: {error}")
        return
    if removed:
        report.repaired.append(done)


def _remove_leftovers(storage: Storage, report: Report) -> None:
    cutoff = _grace_cutoff()
    # Listed again: a draft written to since the first listing is at work, not left.
    still_partial = {
        (upload.key, upload.upload_id)
        for upload in storage.partial_uploads()
        if upload.changed_at < cutoff
    }
    for upload in report.partial_uploads:
        if (upload.key, upload.upload_id) in still_partial:
            _attempt(
                report,
                f"removed the interrupted upload {upload}",
                lambda u=upload: storage.discard_partial(u),
            )
    for entry in report.working_files:
        _attempt(
            report,
            f"removed the stale working folder or file {entry}",
            lambda e=entry: remove_if_stale(e, cutoff),
        )

"""The Whoosh index on disk: applying queued changes, rebuilding, and shared searchers.

Whoosh allows one writer at a time. Several gunicorn workers may want to write at
once, so a writer waits for the lock with backoff; if it still cannot have it, the
changes stay queued for the next write, `reindex` or `check --repair` — never an error
to the user who made them.
"""

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload
from whoosh import index as whoosh_index
from whoosh.index import LockError
from whoosh.searching import Searcher
from whoosh.writing import CLEAR

from archive.extensions import db
from archive.people.models import Person, PersonEdi
from archive.photos.models import Photo
from archive.search.codec import ArchiveCodec
from archive.search.documents import INDEXED, document_for
from archive.search.models import IndexChange
from archive.search.schema import build_schema

BATCH = 500
# A rebuild reads more photos per query: the people on them stay loaded between batches.
REINDEX_BATCH = 2000
LOCK_WAIT_SECONDS = 3.0

_searchers = threading.local()
_creating = threading.Lock()

PHOTO_LOAD = (
    selectinload(Photo.tags),
    selectinload(Photo.licence),
    selectinload(Photo.people).selectinload(Person.consent_forms),
    selectinload(Photo.people).selectinload(Person.job_role),
    selectinload(Photo.people).selectinload(Person.department),
    selectinload(Photo.people).selectinload(Person.edi).selectinload(PersonEdi.option),
    selectinload(Photo.people).selectinload(Person.edi).selectinload(PersonEdi.attribute),
)


def index_path() -> Path:
    """Return this host's index folder."""
    return Path(current_app.config["INDEX_PATH"])


def open_index():
    """Open the index, creating an empty one on first use."""
    path = index_path()
    with _creating:
        if not whoosh_index.exists_in(path):
            path.mkdir(parents=True, exist_ok=True)
            return whoosh_index.create_in(path, build_schema())
    return whoosh_index.open_dir(path)


def _writer(ix, **options):
    """Return a writer, waiting for the lock with growing pauses; raise LockError at last."""
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    pause = 0.02
    while True:
        try:
            return ix.writer(codec=ArchiveCodec(), **options)
        except LockError:
            if time.monotonic() > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.5)


def apply_pending_changes() -> int:
    """Write queued changes to the index in order; return how many photos were updated.

    Ends the session's transaction first (call it after committing). Safe to run at any
    time, in any process: the index lock is taken before the queue and the photos are
    read, so whoever writes last wrote the newest state; a change leaves the queue only
    after the index has committed it, and rewriting a document twice does no harm.
    """
    updated = 0
    ix = open_index()
    while True:
        try:
            writer = _writer(ix)
        except LockError:
            current_app.logger.warning("search index busy; changes stay queued for the next run")
            db.session.rollback()
            return updated
        try:
            db.session.rollback()  # read as committed now, after the lock, not an older snapshot
            query = select(IndexChange).order_by(IndexChange.id).limit(BATCH)
            changes = list(db.session.execute(query).scalars())
            if not changes:
                writer.cancel()
                db.session.rollback()
                return updated
            photo_ids = sorted({change.photo_id for change in changes})
            _rewrite(writer, photo_ids)
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        db.session.execute(delete(IndexChange).where(IndexChange.id <= changes[-1].id))
        db.session.commit()
        updated += len(photo_ids)


def _rewrite(writer, photo_ids: list[int]) -> None:
    photos = {
        photo.id: photo
        for photo in db.session.execute(
            select(Photo).where(Photo.id.in_(photo_ids), INDEXED).options(*PHOTO_LOAD)
        ).scalars()
    }
    for photo_id in photo_ids:
        photo = photos.get(photo_id)
        if photo is not None:
            writer.update_document(**document_for(photo))
        else:
            writer.delete_by_term("id", str(photo_id))


def reindex(on_progress: Callable[[int], None] = lambda done: None) -> int:
    """Rebuild the index from the database; return how many photos it holds.

    The new documents replace the old ones in a single commit, so searchers see the old
    index until the new one is complete. Queued changes are taken into the rebuild.
    """
    db.session.rollback()
    queued_up_to = db.session.execute(select(func.max(IndexChange.id))).scalar() or 0
    # Two processes analyse the documents while this one reads the database; each writes
    # its own segment, since merging them into one took longer than the analysis.
    writer = _writer(open_index(), procs=2, limitmb=256, multisegment=True)
    count = 0
    try:
        for batch in photo_batches():
            for photo in batch:
                writer.add_document(**document_for(photo))
            count += len(batch)
            on_progress(len(batch))
        writer.commit(mergetype=CLEAR)
    except BaseException:
        writer.cancel()
        raise
    db.session.execute(delete(IndexChange).where(IndexChange.id <= queued_up_to))
    db.session.commit()
    return count


def photos_to_index() -> int:
    """Return how many photos the index should hold, so how many a rebuild writes."""
    return db.session.execute(select(func.count(Photo.id)).where(INDEXED)).scalar()


def photo_batches() -> Iterator[list[Photo]]:
    last = 0
    while True:
        query = (
            select(Photo)
            .where(Photo.id > last, INDEXED)
            .order_by(Photo.id)
            .limit(REINDEX_BATCH)
            .options(*PHOTO_LOAD)
        )
        batch = list(db.session.execute(query).scalars())
        if not batch:
            return
        yield batch
        last = batch[-1].id
        # Keep memory flat over a large archive, but keep the people: they recur, and
        # loaded ones are not loaded again with the next batch.
        for photo in batch:
            db.session.expunge(photo)


def searcher() -> Searcher:
    """Return this thread's searcher, reopened only when a newer index generation exists.

    Reused between requests: opening a searcher reads the segment files, checking the
    generation only lists the folder. (Whoosh's own Searcher.refresh() reuses segment
    readers and can miss deletions in a reused segment, so a changed index is reopened.)
    """
    cache = _searchers.__dict__.setdefault("by_path", {})
    key = str(index_path())
    if key in cache:
        ix, current = cache[key]
        if ix.latest_generation() == current.reader().generation():
            return current
        current.close()
    ix = open_index()
    cache[key] = (ix, ix.searcher())
    return cache[key][1]


def index_generation() -> int:
    """Return the generation of the index this thread searches (it grows with each write)."""
    return searcher().reader().generation()


def indexed_ids() -> set[int]:
    """Return the ids of every photo the index holds."""
    with open_index().searcher() as reader:
        return {int(fields["id"]) for fields in reader.all_stored_fields()}

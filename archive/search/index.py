"""This host's Whoosh index: following the change log, rebuilding, shared searchers.

Every host keeps its own index and applies the database's change log past its own
cursor. Whoosh allows one writer at a time; several gunicorn workers may want to write
at once, so a writer waits for the lock with backoff; if it still cannot have it, the
changes wait in the log for the next run — never an error to the user who made them.
"""

import math
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from whoosh import index as whoosh_index
from whoosh.index import LockError
from whoosh.searching import Searcher
from whoosh.writing import CLEAR

from archive.extensions import db
from archive.people.models import Person, PersonEdi
from archive.photos.models import Photo
from archive.search import cursor, log
from archive.search.codec import ArchiveCodec
from archive.search.documents import INDEXED, document_for
from archive.search.schema import build_schema

# A rebuild reads more photos per query: the people on them stay loaded between batches.
REINDEX_BATCH = 2000
# From this many photos on, a rebuild analyses them in two processes besides this one.
PARALLEL_FROM = 5000
LOCK_WAIT_SECONDS = 3.0

_searchers = threading.local()
_creating = threading.Lock()
# When this process last reported each index folder's cursor to the database.
_reported: dict[Path, float] = {}

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


def _writer(ix, lock_wait: float, **options):
    """Return a writer, waiting for the lock with growing pauses; raise LockError at last."""
    deadline = time.monotonic() + lock_wait
    pause = 0.02
    while True:
        try:
            return ix.writer(codec=ArchiveCodec(), **options)
        except LockError:
            if time.monotonic() > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.5)


def apply_pending_changes(budget: float | None = None) -> int:
    """Apply the change log past this host's cursor to its index; return photos updated.

    Ends the session's transaction first (call it after committing). Safe to run at any
    time, in any process of any host: the index lock is taken before the cursor and the
    photos are read, so whoever writes last wrote the newest state, and the new cursor
    commits with the index (cursor.py). A new index, one whose cursor fell behind the
    pruned log, or one built before an erasure, is rebuilt from the database instead —
    unless a budget in seconds is given (a request catching up), which also stops the
    work when it runs out.
    """
    updated = 0
    folder = index_path()
    ix = open_index()
    deadline = math.inf if budget is None else time.monotonic() + budget
    while True:
        try:
            writer = _writer(ix, LOCK_WAIT_SECONDS if budget is None else budget)
        except LockError:
            current_app.logger.warning(
                "search index busy; changes wait in the log for the next run"
            )
            db.session.rollback()
            return updated
        try:
            db.session.rollback()  # read as committed now, after the lock, not an older snapshot
            known = cursor.position(folder, writer.generation - 1)
            through, built_from = known if known is not None else (None, None)
            state, patchable = _rebuild_reason(through, built_from)
            patching = patchable and not (state and budget is None)
            changes = log.changes_after(through) if patching else []
            if not changes or time.monotonic() > deadline:
                writer.cancel()
                break
            photo_ids = sorted({photo_id for _change, photo_id in changes})
            _rewrite(writer, photo_ids)
            through = changes[-1][0]
            cursor.prepare(folder, writer.generation - 1, writer.generation, through, built_from)
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        updated += len(photo_ids)
    if state and budget is None:
        current_app.logger.warning(
            "search index at %s is %s: rebuilding it from the database", folder, state
        )
        try:
            return updated + reindex()
        except LockError:  # another process is writing it (rebuilding it, say): next run
            current_app.logger.warning("search index busy; it is rebuilt on the next run")
            db.session.rollback()
            return updated
    if through is not None:
        _report(through)
    return updated


def _rebuild_reason(through: int | None, built_from: int | None) -> tuple[str, bool]:
    """Return why an index at this position must be rebuilt ("" if not), and whether it can
    be patched meanwhile (its cursor is known and nothing it lacks was pruned)."""
    if through is None:
        return "new", False
    pruned, rebuild_from = log.horizon()
    if through < pruned:
        return "behind the pruned change log", False
    if built_from < rebuild_from:
        return "older than an erasure, whose words only a rebuild takes out of its files", True
    return "", True


def _report(through: int) -> None:
    """Tell the database how far this host has got, now and then (it only holds back pruning)."""
    folder = index_path()
    now = time.monotonic()
    if now - _reported.get(folder, -math.inf) < current_app.config["INDEX_REPORT_SECONDS"]:
        db.session.rollback()
        return
    _reported[folder] = now
    log.report(cursor.host_id(folder), cursor.host_name(folder), through)


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
    """Rebuild this host's index from the database; return how many photos it holds.

    The new documents replace the old ones in a single commit, so searchers see the old
    index until the new one is complete. Its cursor is the newest change logged before
    the photos were read: what came after is applied again, which does no harm.
    """
    db.session.rollback()
    folder = index_path()
    # On a large archive two processes analyse the documents while this one reads the
    # database, each writing its own segment, since merging them took longer than the
    # analysis; on a small one, starting them would take longer than the work.
    many = photos_to_index() >= PARALLEL_FROM
    options = {"procs": 2, "limitmb": 256, "multisegment": True} if many else {}
    writer = _writer(open_index(), LOCK_WAIT_SECONDS, **options)
    count = 0
    try:
        db.session.rollback()
        through = log.newest_change()
        _add_missing_fields(writer)
        for batch in photo_batches():
            for photo in batch:
                writer.add_document(**document_for(photo))
            count += len(batch)
            on_progress(len(batch))
        cursor.prepare(folder, writer.generation - 1, writer.generation, through, through)
        writer.commit(mergetype=CLEAR)
    except BaseException:
        writer.cancel()
        raise
    _reported.pop(folder, None)  # a rebuilt host reports at once
    _report(through)
    return count


def _add_missing_fields(writer) -> None:
    """Give an index made by an earlier version the fields the schema has gained since.

    An index keeps the schema it was made with; a rebuild writes every field anew.
    """
    for name, field in build_schema().items():
        if name not in writer.schema:
            writer.add_field(name, field)


def photos_to_index() -> int:
    """Return how many photos the index should hold, so how many a rebuild writes."""
    return db.session.execute(select(func.count(Photo.id)).where(INDEXED)).scalar()


def photo_batches() -> Iterator[list[Photo]]:
    """Yield every photo the index should hold, in batches, loaded as the documents need."""
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
    return _current()[1]


def index_generation() -> int:
    """Return the generation of the index this thread searches (it grows with each write)."""
    return _current()[2]


def _current() -> tuple:
    """Return this thread's (index, searcher, generation, cursor) for this host's index folder.

    A generation's cursor is written before it commits and never changes after, so it is
    read once, with the generation, not on every search.
    """
    cache = _searchers.__dict__.setdefault("by_path", {})
    folder = index_path()
    key = str(folder)
    if key in cache:
        ix, current, generation, _through = cache[key]
        if ix.latest_generation() == generation:
            return cache[key]
        current.close()
    ix = open_index()
    # The generation is read first: if a newer one is committed before the searcher
    # opens, the searcher holds more than its generation's cursor says, never less.
    generation = ix.latest_generation()
    through = cursor.applied_through(folder, generation)
    cache[key] = (ix, ix.searcher(), generation, through)
    return cache[key]


def searched_through() -> int | None:
    """Return the last change the index this thread searches holds; None if not known."""
    return _current()[3]


def indexed_ids() -> set[int]:
    """Return the ids of every photo the index holds."""
    with open_index().searcher() as reader:
        return {int(fields["id"]) for fields in reader.all_stored_fields()}

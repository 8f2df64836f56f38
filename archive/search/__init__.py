"""Search: the Whoosh index (a derived view of the database), kept in step by a change queue.

All Whoosh use stays inside this package, so the engine could be swapped.
"""

from flask import Flask, current_app
from sqlalchemy.orm import Session
from whoosh.index import LockError

from archive.core.signals import (
    many_writes_began,
    many_writes_ended,
    person_erased,
    write_committed,
)
from archive.search import follow, log, queue
from archive.search.index import apply_pending_changes, reindex


def init_app(app: Flask) -> None:
    """Log index changes on every flush; apply them after each write and as others write."""
    queue.register()
    app.before_request(lambda: follow.start(current_app._get_current_object()))
    # Blinker connects each receiver once, however many apps are created.
    write_committed.connect(_apply_queued)
    many_writes_began.connect(_batch_index_updates)
    many_writes_ended.connect(_end_batch)
    person_erased.connect(_forget_erased)


# session.info key, set during many writes: writes since the last index update.
BATCHED = "archive_index_batched"
# Writes whose changes a bulk import applies to the index in one go.
BATCH_WRITES = 100


def _batch_index_updates(session: Session) -> None:
    """From now on, apply logged index changes every BATCH_WRITES writes only.

    For bulk import: one index commit per photo cost more than storing the photo. The
    changes wait in the log meanwhile, so a crash loses none of them.
    """
    session.info[BATCHED] = 0


def _end_batch(session: Session) -> None:
    """Apply what the batch left queued, and apply after every write again."""
    session.info.pop(BATCHED, None)
    _apply()


def _apply_queued(session: Session) -> None:
    if not session.info.pop(queue.QUEUED, False):
        return
    if BATCHED in session.info:
        session.info[BATCHED] += 1
        if session.info[BATCHED] < BATCH_WRITES:
            return
        session.info[BATCHED] = 0
    _apply()


def _apply() -> None:
    try:
        apply_pending_changes()
    except Exception:
        current_app.logger.exception("search index update failed; the change waits in the log")


def _forget_erased(_person_id: int) -> bool:
    """Rebuild every host's index, so that words gone from the database are gone from its files.

    This host rebuilds now; the others are asked to (their followers rebuild in the
    background, and answer correctly meanwhile). Return False if another writer kept this
    host's index busy: the words then stay on its disk (never in an answer) until its
    follower rebuilds it. For erasure: Whoosh keeps a rewritten document's old words in its
    segment files until they are merged, and merging keeps or drops a segment's spelling
    words wholesale, whether or not a live document has them; only a rebuild leaves
    neither behind.
    """
    try:
        # In an app context, so a database session, of its own: a rebuild expunges the
        # photos it reads, and would leave the caller's detached.
        with current_app.app_context():
            log.request_rebuild()
            reindex()
    except LockError:
        current_app.logger.warning("search index busy; its follower will rebuild it shortly")
        return False
    return True

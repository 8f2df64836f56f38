"""Search: the Whoosh index (a derived view of the database), kept in step by a change queue.

All Whoosh use stays inside this package, so the engine could be swapped.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app
from sqlalchemy.orm import Session

from archive.database import after_write
from archive.extensions import db
from archive.search import queue
from archive.search.index import apply_pending_changes


def init_app(app: Flask) -> None:
    """Record index changes with every flush and apply them after every write."""
    queue.register()
    after_write(_apply_queued)


# session.info key, set inside batched_index_updates(): writes since the last index update.
BATCHED = "archive_index_batched"
# Writes whose changes a bulk import applies to the index in one go.
BATCH_WRITES = 100


@contextmanager
def batched_index_updates() -> Iterator[None]:
    """Within the block, apply queued index changes every BATCH_WRITES writes, and at the end.

    For bulk import: one index commit per photo cost more than storing the photo. The
    changes wait in the queue meanwhile, so a crash loses none of them.
    """
    session = db.session()
    session.info[BATCHED] = 0
    try:
        yield
    finally:
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
        current_app.logger.exception("search index update failed; the change stays queued")

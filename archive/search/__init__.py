"""Search: the Whoosh index (a derived view of the database), kept in step by a change queue.

All Whoosh use stays inside this package, so the engine could be swapped.
"""

from flask import Flask, current_app
from sqlalchemy.orm import Session

from archive.database import after_write
from archive.search import queue
from archive.search.index import apply_pending_changes


def init_app(app: Flask) -> None:
    """Record index changes with every flush and apply them after every write."""
    queue.register()
    after_write(_apply_queued)


def _apply_queued(session: Session) -> None:
    if not session.info.pop(queue.QUEUED, False):
        return
    try:
        apply_pending_changes()
    except Exception:
        current_app.logger.exception("search index update failed; the change stays queued")

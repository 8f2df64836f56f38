"""The health check load balancers and operators poll."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask import Blueprint, current_app
from sqlalchemy import func, select, text

from archive.extensions import db
from archive.search.index import searcher
from archive.search.models import IndexChange
from archive.storage import StorageError, get_storage

bp = Blueprint("health", __name__)


@bp.get("/livez")
def livez():
    """Answer that the process serves requests, touching nothing (a liveness probe)."""
    return "ok", 200, {"Content-Type": "text/plain"}


@bp.get("/healthz")
def healthz():
    """Answer 200 when the database, the file storage and the search index all work.

    Otherwise 503, naming the part that failed ("error") or an index that has fallen
    behind the database ("behind"); the details go to the log, never to the caller.
    """
    parts: dict[str, Callable[[], str]] = {
        "database": _database,
        "storage": _storage,
        "index": _index,
    }
    answer = {}
    for name, probe in parts.items():
        try:
            answer[name] = probe()
        except Exception:  # any failure means "not healthy": logged, reported, not raised
            current_app.logger.exception("health check: the %s failed", name)
            answer[name] = "error"
        finally:
            db.session.rollback()
    healthy = all(state == "ok" for state in answer.values())
    return {"status": "ok" if healthy else "error", **answer}, 200 if healthy else 503


def _database() -> str:
    """Run the simplest query."""
    db.session.execute(text("SELECT 1"))
    return "ok"


def _storage() -> str:
    """Ask the store whether it can be used (the bucket, the credentials), then use it."""
    storage = get_storage()
    try:
        storage.verify()
        storage.probe()
    except StorageError as error:
        # One line an operator can act on; create_app no longer asks the store at start-up.
        raise StorageError(f"ARCHIVE_STORAGE={current_app.config['STORAGE']}: {error}") from error
    return "ok"


def _index() -> str:
    """Open this host's index, then see whether a queued change has waited too long."""
    searcher().doc_count()
    oldest = db.session.execute(select(func.min(IndexChange.queued_at))).scalar()
    # Changes are applied right after each write; one left waiting this long is stuck.
    limit = timedelta(seconds=current_app.config["INDEX_MAX_LAG_SECONDS"])
    if oldest is not None and datetime.now(UTC).replace(tzinfo=None) - oldest > limit:
        return "behind"
    return "ok"

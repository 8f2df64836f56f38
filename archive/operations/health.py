"""The health check load balancers and operators poll."""

from collections.abc import Callable

from flask import Blueprint, current_app, g
from sqlalchemy import text

from archive.extensions import db
from archive.search.index import searched_through
from archive.search.log import lag
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
    answer: dict[str, object] = {}
    for name, probe in parts.items():
        try:
            answer[name] = probe()
        except Exception:  # any failure means "not healthy": logged, reported, not raised
            current_app.logger.exception("health check: the %s failed", name)
            answer[name] = "error"
        finally:
            db.session.rollback()
    healthy = all(answer[name] == "ok" for name in parts)
    if "index_lag" in g:
        answer["index_lag"] = g.index_lag
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
    """Open this host's index, then see how far behind the database's change log it is."""
    through = searched_through()
    if through is None:
        return "behind"  # a new host's index, still being built
    changes, oldest_seconds = lag(through)
    g.index_lag = {"changes": changes, "oldest_seconds": round(oldest_seconds, 1)}
    # Changes are applied within a second of their commit; one left this long is stuck.
    return "behind" if oldest_seconds > current_app.config["INDEX_MAX_LAG_SECONDS"] else "ok"

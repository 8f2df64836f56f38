"""The change log in the database: what is new past a cursor, hosts' reports, pruning.

Change ids are handed out inside write transactions, which run one at a time (queue.py
takes the write lock before it logs a change), so they commit in id order: a host that
has applied up to id N has seen every change numbered N or less, and will never meet a
lower one later.
"""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import case, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from archive.core.database import utc_now
from archive.extensions import db
from archive.search.models import IndexChange, IndexHost, IndexLogHorizon

BATCH = 500
# The PostgreSQL notification a transaction that logged changes sends as it commits.
CHANNEL = "archive_index_changes"


def newest_change() -> int:
    """Return the id of the newest change in the log (0 for none)."""
    return db.session.execute(select(func.max(IndexChange.id))).scalar() or 0


def changes_after(through: int, limit: int = BATCH) -> list[tuple[int, int]]:
    """Return up to `limit` (change id, photo id) pairs past the cursor, oldest first."""
    query = (
        select(IndexChange.id, IndexChange.photo_id)
        .where(IndexChange.id > through)
        .order_by(IndexChange.id)
        .limit(limit)
    )
    return [tuple(row) for row in db.session.execute(query)]


def photos_changed_after(through: int) -> set[int]:
    """Return the photos with a change past the cursor: those the index may have wrong."""
    query = select(IndexChange.photo_id).where(IndexChange.id > through).distinct()
    return set(db.session.execute(query).scalars())


def lag(through: int) -> tuple[int, float]:
    """Return how many changes are past the cursor, and the age in seconds of the oldest."""
    count, oldest = db.session.execute(
        select(func.count(), func.min(IndexChange.queued_at)).where(IndexChange.id > through)
    ).one()
    age = (utc_now() - oldest).total_seconds() if oldest is not None else 0.0
    return count, max(age, 0.0)


def horizon() -> tuple[int, int]:
    """Return the highest change id pruned (a cursor below it missed changes) and the id an
    index must have been rebuilt from, at least (an erasure's)."""
    row = db.session.execute(
        select(IndexLogHorizon.pruned_through, IndexLogHorizon.rebuild_from)
    ).one_or_none()
    return tuple(row) if row is not None else (0, 0)


def pruned_through() -> int:
    """Return the highest change id pruned from the log: a cursor below it missed changes."""
    return horizon()[0]


def request_rebuild() -> None:
    """Ask every host to rebuild its index from the database as it now is, and tell them."""
    db.session.execute(update(IndexLogHorizon).values(rebuild_from=newest_change()))
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(f"NOTIFY {CHANNEL}"))
    db.session.commit()


def report(host: str, name: str, through: int) -> None:
    """Record how far the host has applied the log, then prune what every live host has.

    In a short transaction of its own, outside the write lock: it changes no content.
    """
    now = utc_now()
    # Never backwards: another worker of this host may report an older cursor after this.
    furthest = case((IndexHost.applied_through < through, through), else_=IndexHost.applied_through)
    reported = db.session.execute(
        update(IndexHost)
        .where(IndexHost.id == host)
        .values(applied_through=furthest, reported_at=now)
    ).rowcount
    if not reported:
        try:
            with db.session.begin_nested():
                db.session.execute(
                    insert(IndexHost).values(
                        id=host, name=name, applied_through=through, reported_at=now
                    )
                )
        except IntegrityError:
            pass  # another worker of this host reported first
    _prune(now)
    db.session.commit()


def _prune(now: datetime) -> None:
    """Delete changes older than the retention that every host seen within it has applied.

    The newest change always stays: SQLite would give the next change a used id if the
    log were ever empty.
    """
    retention = timedelta(hours=current_app.config["INDEX_LOG_RETENTION_HOURS"])
    live = select(func.min(IndexHost.applied_through)).where(
        IndexHost.reported_at >= now - retention
    )
    floor = db.session.execute(live).scalar()
    if floor is None:
        return
    doomed = (
        IndexChange.id <= floor,
        IndexChange.id < newest_change(),
        IndexChange.queued_at <= now - retention,
    )
    last = db.session.execute(select(func.max(IndexChange.id)).where(*doomed)).scalar()
    if last is None:
        return
    db.session.execute(IndexChange.__table__.delete().where(IndexChange.id <= last))
    db.session.execute(
        update(IndexLogHorizon)
        .where(IndexLogHorizon.pruned_through < last)
        .values(pruned_through=last)
    )

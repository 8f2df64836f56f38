"""Writing and reading the append-only audit log."""

from sqlalchemy import select

from archive.auth.models import User
from archive.database import write_transaction
from archive.extensions import db
from archive.rights.models import AuditEvent


def record_event(
    actor: User | None,
    action: str,
    target_type: str,
    target_id: int | None,
    detail: str = "",
) -> AuditEvent:
    """Add an audit event to the current transaction (it commits with the change it records)."""
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        detail=detail,
    )
    db.session.add(event)
    return event


AUDIT_PAGE_SIZE = 100


def audit_page(
    before: int | None = None, size: int = AUDIT_PAGE_SIZE
) -> tuple[list[tuple[AuditEvent, User | None]], int | None]:
    """Return a page of (event, actor) newest first, from below the event id `before`.

    Also returns the `before` that shows the next, older page, or None on the last one.
    """
    query = select(AuditEvent, User).outerjoin(User, User.id == AuditEvent.actor_id)
    if before:
        query = query.where(AuditEvent.id < before)
    rows = list(db.session.execute(query.order_by(AuditEvent.id.desc()).limit(size)).all())
    older = rows[-1][0].id if len(rows) == size else None
    return rows, older


def record_access(actor: User, action: str, target_type: str, target_id: int) -> None:
    """Record that someone looked at something; a read has no transaction to join, so commit."""
    with write_transaction():
        record_event(actor, action, target_type, target_id)

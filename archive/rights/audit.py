"""Writing the append-only audit log."""

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


def record_access(actor: User, action: str, target_type: str, target_id: int) -> None:
    """Record that someone looked at something; a read has no transaction to join, so commit."""
    with write_transaction():
        record_event(actor, action, target_type, target_id)

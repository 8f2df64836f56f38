"""The append-only audit log: who did what to what, and when, for every feature to write.

It sits in core, below every feature, so any of them (auth's role changes as much as a
consent withdrawal) can record what it did in the transaction that does it.
"""

from datetime import datetime
from typing import Protocol

from sqlalchemy import ForeignKey, String, Text, event, func
from sqlalchemy.orm import Mapped, mapped_column

from archive.core.database import write_transaction
from archive.extensions import db


class Actor(Protocol):
    """Whoever acts: a signed-in user (core names no feature's model, only what it needs)."""

    id: int


class AuditEvent(db.Model):
    """A record of who did what to what, and when. Rows are never changed or deleted."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(server_default=func.now())
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(60))
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int | None]
    # Free of EDI data and personal detail: the log outlives erasure.
    detail: Mapped[str] = mapped_column(Text, default="")


def append_only(model: type) -> None:
    """Make the ORM refuse to change or delete any row of model (a record, not a state)."""
    event.listen(model, "before_update", _refuse_change)
    event.listen(model, "before_delete", _refuse_change)


def _refuse_change(_mapper, _connection, _target):
    raise PermissionError("audit and download records are append-only")


append_only(AuditEvent)


def record_event(
    actor: Actor | None,
    action: str,
    target_type: str,
    target_id: int | None,
    detail: str = "",
) -> AuditEvent:
    """Add an audit event to the current transaction (it commits with the change it records)."""
    entry = AuditEvent(
        actor_id=actor.id if actor else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        detail=detail,
    )
    db.session.add(entry)
    return entry


def record_access(actor: Actor, action: str, target_type: str, target_id: int) -> None:
    """Record that someone looked at something; a read has no transaction to join, so commit."""
    with write_transaction():
        record_event(actor, action, target_type, target_id)

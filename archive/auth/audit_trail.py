"""Reading the audit log with the accounts that acted, for the admins' audit page.

The log itself is core's (archive.core.audit), which knows no accounts; the actor is joined
here, where users are known.
"""

from sqlalchemy import select

from archive.auth.models import User
from archive.core.audit import AuditEvent
from archive.extensions import db

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

"""Who the daily staff mail goes to, and sending it to each of them."""

from datetime import date

from sqlalchemy import select

from archive.auth.models import Role, User
from archive.extensions import db
from archive.mail.models import MailCategory
from archive.mail.outbox import queue_mail


def active_curators() -> list[User]:
    """Return the curators whose accounts may log in, by e-mail address."""
    query = select(User).where(User.role == Role.CURATOR, User.active.is_(True))
    return list(db.session.execute(query.order_by(User.email)).scalars())


def mail_each_curator(template: str, category: MailCategory, of_day: date, **context) -> int:
    """Queue the day's message to each active curator, once; return how many were queued."""
    queued = [
        queue_mail(
            curator.email,
            template,
            category,
            once_key=f"{category.value}:{of_day.isoformat()}:user:{curator.id}",
            name=curator.name,
            **context,
        )
        for curator in active_curators()
    ]
    return sum(message is not None for message in queued)

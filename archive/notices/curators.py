"""Who the daily staff mail goes to."""

from sqlalchemy import select

from archive.auth.models import Role, User
from archive.extensions import db


def active_curators() -> list[User]:
    """Return the curators whose accounts may log in, by e-mail address."""
    query = select(User).where(User.role == Role.CURATOR, User.active.is_(True))
    return list(db.session.execute(query.order_by(User.email)).scalars())

"""Events: an outreach day, an open lab, a team's away day, and the photos taken there.

Staff-only: an event and the notice its attendees were given are internal records, shown
on no public page. Below consent, so that a photo can belong to an event and a group
consent sheet can name the event it was signed at.
"""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column

from archive.auth.models import User
from archive.core.audit import record_event
from archive.core.database import may_name_people, write_transaction
from archive.core.formatting import format_day
from archive.extensions import db


class Event(db.Model):
    """An event photos were taken at, and what its attendees were told about the photos."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), info=may_name_people())
    held_on: Mapped[date]
    place: Mapped[str] = mapped_column(String(200), default="")
    organiser: Mapped[str] = mapped_column(String(200), default="", info=may_name_people())
    # e.g. "Signs at the entrance said photos would be taken; attendees could ask for a
    # lanyard to opt out": what a curator needs to judge the photos of people in a crowd.
    notice: Mapped[str] = mapped_column(Text, default="", info=may_name_people())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    @property
    def label(self) -> str:
        """Return the event as a choice or a heading names it: its title and day."""
        return f"{self.title} ({format_day(self.held_on)})"


def all_events() -> list[Event]:
    """Return every event, the latest first."""
    query = select(Event).order_by(Event.held_on.desc(), Event.id.desc())
    return list(db.session.execute(query).scalars())


def save_event(
    event: Event,
    *,
    title: str,
    held_on: date,
    place: str,
    organiser: str,
    notice: str,
    by: User | None,
) -> Event:
    """Create or change an event; one audit event, event.created or event.edited."""
    created = event.id is None
    with write_transaction():
        event.title, event.held_on, event.place = title.strip(), held_on, place.strip()
        event.organiser, event.notice = organiser.strip(), notice.strip()
        if created:
            event.created_by_id = by.id if by else None
            db.session.add(event)
            db.session.flush()  # the audit event names the new id
        record_event(by, "event.created" if created else "event.edited", "event", event.id)
    return event

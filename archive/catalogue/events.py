"""An event's photos and, for each, who is in it and what their consent covers today."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from archive.consent.models import ConsentScope
from archive.consent.rules import VISITOR_SCOPE, Decision, allowed, has_withdrawn, holds_consent
from archive.extensions import db
from archive.people.models import Person
from archive.photos.events import Event
from archive.photos.models import Photo


@dataclass(frozen=True)
class PersonShown:
    """Someone in a photo of the event, and the uses their consent covers today."""

    person: Person
    uses: list[ConsentScope]
    withdrew: bool


@dataclass(frozen=True)
class EventPhoto:
    """A photo of the event, the people in it and whether it may be on the public web."""

    photo: Photo
    people: list[PersonShown]
    on_web: Decision


def event_photos(event: Event, today: date | None = None) -> list[EventPhoto]:
    """Return every photo taken at the event, oldest upload first, judged by consent.rules."""
    today = today or date.today()
    query = (
        select(Photo)
        .where(Photo.event_id == event.id)
        .options(selectinload(Photo.derivatives), selectinload(Photo.people))
        .order_by(Photo.id)
    )
    return [
        EventPhoto(
            photo,
            [
                PersonShown(
                    person,
                    [scope for scope in ConsentScope if holds_consent(person, scope, today)],
                    has_withdrawn(person, today),
                )
                for person in photo.people
            ],
            allowed(photo, VISITOR_SCOPE, today),
        )
        for photo in db.session.execute(query).scalars()
    ]

"""The review queue as a curator works through it: order, filters, the next photo, bulk approval.

Oldest first by default: a queue is worked in the order photos arrived, so no upload waits
behind newer ones and a contributor's wait is bounded by what came before theirs.
"""

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import and_, exists, or_, select

from archive.auth.models import User
from archive.consent.rules import current_consent_sql
from archive.core.parameters import one_of, whole_number
from archive.extensions import db
from archive.people.models import Person
from archive.photos.models import Photo, PhotoStatus, photo_people, photo_tags
from archive.photos.services import ReviewError, approve, next_for_review, review_queue

ORDERS = ("oldest", "newest")
PEOPLE = ("with", "without")


@dataclass(frozen=True)
class QueueFilters:
    """Which photos of the queue a curator is looking at, and in which order."""

    order: str = "oldest"
    uploader: int | None = None
    department: int | None = None
    people: str = ""  # "with", "without" or "" for either
    missing_consent: bool = False

    def query_args(self) -> dict[str, str | int]:
        """Return the query parameters that ask for these filters again (defaults left out)."""
        given = {name: value for name, value in asdict(self).items() if value}
        if self.order == "oldest":
            del given["order"]
        if self.missing_consent:
            given["missing_consent"] = "yes"
        return given

    def narrowed(self) -> bool:
        """Return whether any filter leaves photos out."""
        return any((self.uploader, self.department, self.people, self.missing_consent))


def queue_filters(args: Mapping[str, str]) -> QueueFilters:
    """Read the queue's filters from query parameters strictly; a bad one is a 400 naming it."""
    return QueueFilters(
        order=one_of(args, "order", ORDERS, "oldest"),
        uploader=whole_number(args, "uploader", 0) or None,
        department=whole_number(args, "department", 0) or None,
        people=one_of(args, "people", PEOPLE, ""),
        missing_consent=one_of(args, "missing_consent", ("yes",), "") == "yes",
    )


def filtered_queue(filters: QueueFilters, today: date | None = None) -> list[Photo]:
    """Return the photos awaiting review that pass the filters, in their order."""
    return review_queue(*_conditions(filters, today), newest_first=filters.order == "newest")


def next_in_queue(filters: QueueFilters, after: Photo, today: date | None = None) -> Photo | None:
    """Return the photo after `after` in the filtered queue; None at its end."""
    return next_for_review(
        after, *_conditions(filters, today), newest_first=filters.order == "newest"
    )


def uploaders_waiting() -> list[User]:
    """Return the accounts with a photo awaiting review, by name."""
    waiting = exists().where(Photo.uploaded_by_id == User.id, Photo.status == PhotoStatus.PENDING)
    return list(db.session.execute(select(User).where(waiting).order_by(User.name)).scalars())


class Outcome(NamedTuple):
    """What a bulk approval did to one photo: approved, or refused with the reason."""

    photo: Photo
    approved: bool
    reason: str = ""


def approve_selected(photo_ids: Iterable[int], curator: User) -> list[Outcome]:
    """Approve each photo with the tags and licence it has, as one approval each would.

    Each is decided by photos.services.approve on its own, so one refusal (no licence, no
    longer pending) stops none of the others; each approval writes its own audit event.
    """
    outcomes = []
    for photo_id in dict.fromkeys(photo_ids):
        photo = db.session.get(Photo, photo_id)
        if photo is None:
            continue
        try:
            approve(
                photo,
                curator,
                tag_ids=[tag.id for tag in photo.tags],
                licence_id=photo.licence_id,
            )
        except ReviewError as error:
            outcomes.append(Outcome(photo, False, str(error)))
        else:
            outcomes.append(Outcome(photo, True))
    return outcomes


def _conditions(filters: QueueFilters, today: date | None) -> list:
    shown = exists().where(photo_people.c.photo_id == Photo.id)
    conditions = []
    if filters.uploader:
        conditions.append(Photo.uploaded_by_id == filters.uploader)
    if filters.department:
        conditions.append(_in_department(filters.department))
    if filters.people == "with":
        conditions.append(shown)
    elif filters.people == "without":
        conditions.append(~shown)
    if filters.missing_consent:
        conditions.append(_missing_consent(today or date.today()))
    return conditions


def _in_department(term_id: int):
    # A pending photo is rarely tagged yet: the departments of the people shown count too.
    tagged = exists().where(photo_tags.c.photo_id == Photo.id, photo_tags.c.term_id == term_id)
    of_someone_shown = exists().where(
        photo_people.c.photo_id == Photo.id,
        photo_people.c.person_id == Person.id,
        Person.department_id == term_id,
    )
    return or_(tagged, of_someone_shown)


def _missing_consent(today: date):
    # What consent.rules.allowed would refuse for every use: someone shown with no current
    # consent, or no one named while "no identifiable people" is not ticked.
    unconsented = exists().where(
        photo_people.c.photo_id == Photo.id,
        ~current_consent_sql(photo_people.c.person_id, today),
    )
    no_one_named = ~exists().where(photo_people.c.photo_id == Photo.id)
    return and_(Photo.no_identifiable_people.is_(False), or_(unconsented, no_one_named))

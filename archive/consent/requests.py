"""Asking people for consent by e-mail: the request, its one reminder, and its answer.

A request mails the person a new personal link (ending their older ones, as a link made on
the person page does) and is recorded as a ConsentRequest, so that the daily run can
remind whoever has not answered through the link after CONSENT_REQUEST_REMINDER_DAYS.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func, select

from archive.auth.models import User
from archive.consent.intake import end_consent_links
from archive.consent.link_tokens import link_lasts_until, link_url
from archive.consent.models import ConsentRequest, labels_in_mail
from archive.consent.rules import has_current_consent
from archive.core.audit import record_event
from archive.core.database import write_transaction
from archive.extensions import db
from archive.mail.models import MailCategory
from archive.mail.outbox import may_send, queue_mail
from archive.people.models import Person
from archive.photos.models import Photo


@dataclass
class Asking:
    """Whom a request reached, and why it reached no one else; each list names people."""

    asked: list[Person] = field(default_factory=list)
    no_address: list[Person] = field(default_factory=list)
    turned_off: list[Person] = field(default_factory=list)  # turned consent e-mail off
    asked_today: list[Person] = field(default_factory=list)  # already asked today

    def sentences(self) -> list[str]:
        """Return what happened, a sentence for each kind of outcome, naming the people."""
        said = []
        if self.asked:
            said.append(f"Asked {_names(self.asked)} for consent by e-mail.")
        if self.no_address:
            said.append(
                f"Not asked, for want of an e-mail address: {_names(self.no_address)}. "
                "Add one on their page to ask."
            )
        if self.turned_off:
            said.append(
                f"Not asked: {_names(self.turned_off)} turned off consent e-mail from the "
                "archive, so we respect that. Make a consent link on their page and give "
                "it to them another way."
            )
        if self.asked_today:
            were = "was" if len(self.asked_today) == 1 else "were"
            said.append(f"Not asked again: {_names(self.asked_today)} {were} already asked today.")
        return said


def _names(people: list[Person]) -> str:
    names = [person.name for person in people]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def people_to_ask(photo: Photo, today: date | None = None) -> list[Person]:
    """Return the people shown in the photo who hold no current consent."""
    today = today or date.today()
    if photo.no_identifiable_people:
        return []
    return [
        person
        for person in photo.people
        if person.erased_at is None and not has_current_consent(person, today)
    ]


def ask_by_email(
    people: list[Person], *, by: User, new_address: str = "", today: date | None = None
) -> Asking:
    """Mail each person a new consent link with what they are asked, and record it.

    `new_address` is stored as the address of a single person who has none. A person asked
    today already is not asked again (a second click sends nothing twice).
    """
    today = today or date.today()
    asking = Asking()
    with write_transaction():
        for person in people:
            added = bool(new_address and not person.email and len(people) == 1)
            if added:
                person.email = new_address.strip()
            if not person.email:
                asking.no_address.append(person)
            elif not may_send(person.email, MailCategory.CONSENT):
                asking.turned_off.append(person)
            elif _asked_on(person, today):
                asking.asked_today.append(person)
            else:
                _ask(person, by, today)
                record_event(
                    by, "consent.requested", "person", person.id, "address added" if added else ""
                )
                asking.asked.append(person)
    return asking


def ask_people_shown(photo: Photo, *, by: User) -> Asking:
    """Ask by e-mail each person shown in the photo who holds no current consent."""
    return ask_by_email(people_to_ask(photo), by=by)


def _asked_on(person: Person, day: date) -> bool:
    query = select(ConsentRequest.id).filter_by(person_id=person.id, sent_on=day)
    return db.session.execute(query).first() is not None


def _ask(person: Person, by: User, today: date) -> None:
    end_consent_links(person)
    queue_mail(
        person.email,
        "consent_request",
        MailCategory.CONSENT,
        once_key=f"consent:request:{person.id}:{today.isoformat()}",
        person=person,
        curator=by,
        uses=labels_in_mail(),
        link=link_url(person),
        lasts_until=link_lasts_until(today),
    )
    db.session.add(ConsentRequest(person=person, sent_by=by, sent_on=today))


def mark_answered(person: Person, today: date) -> None:
    """Record that the person answered their open requests (inside a write transaction)."""
    query = select(ConsentRequest).where(
        ConsentRequest.person_id == person.id, ConsentRequest.answered_on.is_(None)
    )
    for request in db.session.execute(query).scalars():
        request.answered_on = today


def forget_requests(person: Person) -> int:
    """Delete the person's requests (inside an erasure's write transaction); count them."""
    requests = db.session.execute(select(ConsentRequest).filter_by(person_id=person.id)).scalars()
    count = 0
    for request in requests.all():
        db.session.delete(request)
        count += 1
    return count


def consent_request_reminders(day: date) -> int:
    """Queue one reminder for each person's latest unanswered request old enough; count them."""
    days = current_app.config["CONSENT_REQUEST_REMINDER_DAYS"]
    latest = select(func.max(ConsentRequest.id)).group_by(ConsentRequest.person_id)
    due = select(ConsentRequest).where(
        ConsentRequest.id.in_(latest),
        ConsentRequest.answered_on.is_(None),
        ConsentRequest.reminded_on.is_(None),
        ConsentRequest.sent_on <= day - timedelta(days=days),
    )
    queued = 0
    for request in db.session.execute(due).scalars().all():
        person = request.person
        message = queue_mail(
            person.email,
            "consent_reminder",
            MailCategory.CONSENT,
            once_key=f"consent:reminder:{request.id}",
            person=person,
            request=request,
            uses=labels_in_mail(),
            link=link_url(person),
            lasts_until=link_lasts_until(day),
        )
        if message is not None:
            request.reminded_on = day
            queued += 1
    return queued

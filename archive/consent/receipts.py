"""Receipts mailed to a person who answered through their personal link.

A receipt says what the person chose — the uses agreed and declined, and until when — and
how to change it. It never carries the EDI answers or self-description the same page asks
for: those are special-category data, and a mailbox is read by more than its owner.
"""

from datetime import date

from sqlalchemy import select

from archive.consent.models import ConsentForm, ConsentRequest, ConsentScope, labels_in_mail
from archive.extensions import db
from archive.mail.models import MailCategory
from archive.mail.outbox import queue_mail
from archive.people.models import Person


def queue_answer_receipt(person: Person, form: ConsentForm, *, change_url: str) -> None:
    """Queue the receipt of consent given (inside the answer's write transaction)."""
    queue_mail(
        person.email,
        "consent_receipt",
        MailCategory.CONSENT,
        person=person,
        agreed=labels_in_mail(form.scopes),
        declined=labels_in_mail(set(ConsentScope) - form.scopes),
        signed_on=form.signed_on,
        expires_on=form.expires_on,
        change_url=change_url,
    )


def queue_withdrawal_receipt(person: Person, forms: list[ConsentForm], today: date) -> None:
    """Queue the receipt of a withdrawal (inside its write transaction)."""
    queue_mail(
        person.email,
        "consent_withdrawn",
        MailCategory.CONSENT,
        person=person,
        withdrawn=labels_in_mail({scope for form in forms for scope in form.scopes}),
        today=today,
        asked_by=_last_asked_by(person),
    )


def _last_asked_by(person: Person):
    """Return the curator who last asked the person by e-mail, whom they may ask again."""
    query = (
        select(ConsentRequest)
        .filter_by(person_id=person.id)
        .order_by(ConsentRequest.id.desc())
        .limit(1)
    )
    request = db.session.execute(query).scalar()
    return request.sent_by if request else None

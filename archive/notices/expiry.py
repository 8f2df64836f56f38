"""Curators' reminders of consents and licences about to end, and of what each holds back.

The schedule, so that it is news and not noise: a consent or licence is listed in the
message of the day it first comes within 30 days of its end, and again on the day it first
comes within 7; a day with nothing newly listed sends no message. ExpiryNotice records what
was listed, which makes that exact however often or seldom the run runs.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from archive.consent.models import ConsentForm, ConsentScope
from archive.consent.rules import allowed, expiring_consents
from archive.extensions import db
from archive.licences.models import Licence
from archive.licences.services import licences_ending
from archive.links import public_url
from archive.mail.models import MailCategory
from archive.notices.curators import mail_each_curator
from archive.notices.models import ExpiryNotice
from archive.photos.models import Photo, PhotoStatus
from archive.photos.services import photos_of_person

AHEAD_DAYS = 30
LAST_CALL_DAYS = 7


@dataclass
class HeldBack:
    """A photo that may be used somewhere today and will not be once something ends."""

    title: str
    url: str
    uses: list[str]


@dataclass
class Ending:
    """A consent or a licence that ends within AHEAD_DAYS."""

    subject: str  # "consent" or "licence"
    subject_id: int
    ends_on: date
    name: str  # whose consent, or which licence
    url: str = ""  # where a curator renews it: the person's page (licences are admins')
    uses: list[str] = field(default_factory=list)  # what a consent grants
    held_back: list[HeldBack] = field(default_factory=list)

    def window(self, day: date) -> int:
        """Return the reminder this day's listing is: within 30 days, or within 7."""
        return LAST_CALL_DAYS if (self.ends_on - day).days <= LAST_CALL_DAYS else AHEAD_DAYS


def expiry_reminders_to_curators(day: date) -> int:
    """Queue each active curator the endings newly within 30 or 7 days; return how many queued."""
    news = [ending for ending in _endings(day) if not _told(ending, day)]
    if not news:
        return 0
    db.session.add_all(
        ExpiryNotice(
            subject=ending.subject,
            subject_id=ending.subject_id,
            ends_on=ending.ends_on,
            within_days=ending.window(day),
            noticed_on=day,
        )
        for ending in news
    )
    context = {
        "day": day,
        "consents": [ending for ending in news if ending.subject == "consent"],
        "licences": [ending for ending in news if ending.subject == "licence"],
    }
    return mail_each_curator("expiry_reminders", MailCategory.EXPIRY, day, **context)


def _endings(day: date) -> list[Ending]:
    consents = [_consent_ending(form, day) for form in expiring_consents(AHEAD_DAYS, day)]
    licences = [_licence_ending(licence, day) for licence in licences_ending(AHEAD_DAYS, day)]
    return consents + licences


def _consent_ending(form: ConsentForm, day: date) -> Ending:
    person = form.person
    return Ending(
        "consent",
        form.id,
        form.expires_on,
        name=person.name,
        url=public_url("people.person_page", person_id=person.id),
        uses=[use_name(scope) for scope in ConsentScope if scope in form.scopes],
        held_back=_held_back(photos_of_person(person, PhotoStatus.APPROVED), form.expires_on, day),
    )


def _licence_ending(licence: Licence, day: date) -> Ending:
    under = select(Photo).filter_by(licence_id=licence.id, status=PhotoStatus.APPROVED)
    return Ending(
        "licence",
        licence.id,
        licence.ends_on,
        name=licence.name,
        held_back=_held_back(
            db.session.execute(under.order_by(Photo.id)).scalars(), licence.ends_on, day
        ),
    )


def _held_back(photos, ends_on: date, day: date) -> list[HeldBack]:
    """Return the photos losing a use they have today once ends_on is past, by the one rule."""
    after = ends_on + timedelta(days=1)
    held_back = []
    for photo in photos:
        lost = [
            use_name(scope)
            for scope in ConsentScope
            if allowed(photo, scope, day).allowed and not allowed(photo, scope, after).allowed
        ]
        if lost:
            url = public_url("photos.photo_page", photo_id=photo.id)
            held_back.append(HeldBack(photo.display_title, url, lost))
    return held_back


def use_name(scope: ConsentScope) -> str:
    """Return the use as mail names it: the label without its example."""
    # The identity use's example names an EDI answer ("women in technical roles"), and no
    # message carries one; the profile's label speaks as the person, not to curators.
    return scope.label_in_mail


def _told(ending: Ending, day: date) -> bool:
    """Return whether this ending was already listed at this day's reminder."""
    query = select(ExpiryNotice.id).filter_by(
        subject=ending.subject,
        subject_id=ending.subject_id,
        ends_on=ending.ends_on,
        within_days=ending.window(day),
    )
    return db.session.execute(query).first() is not None

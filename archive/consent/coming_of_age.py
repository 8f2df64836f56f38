"""Turning 18: a parent or guardian's consent is confirmed by the person themselves, or lapses.

consent.minors decides what such a consent allows on any day; this module finds the
consents it applies to, for the curators' overview, and mails each person who turned 18
their own link: once on their birthday (or the first daily run after it) and once more
CONFIRM_REMINDER_DAYS before the consent lapses.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from archive.consent.link_tokens import link_lasts_until, link_url
from archive.consent.minors import ADULT_AGE, has_guardian, lapses_on, turns_18_on
from archive.consent.models import ConsentForm, labels_in_mail
from archive.core.database import years_after
from archive.extensions import db
from archive.mail.models import MailCategory
from archive.mail.outbox import queue_mail
from archive.people.models import Person

CONFIRM_REMINDER_DAYS = 14


@dataclass(frozen=True)
class ToConfirm:
    """A guardian's consent for someone now 18, which counts only until lapses_on."""

    form: ConsentForm
    turned_18_on: date
    lapses_on: date

    @property
    def person(self) -> Person:
        """Return the person the consent is for."""
        return self.form.person

    @property
    def last_day(self) -> date:
        """Return the last day the consent counts unless confirmed."""
        return self.lapses_on - timedelta(days=1)

    def lapsed(self, today: date) -> bool:
        """Return whether the grace period is over: the consent no longer counts."""
        return today >= self.lapses_on


def consents_to_confirm(today: date | None = None) -> list[ToConfirm]:
    """Return the guardians' consents of people 18 or over not confirmed by them, soonest first.

    Lapsed ones too, until the person answers or a curator withdraws the form: what a
    curator needs to see is that their photos are held back, and why.
    """
    today = today or date.today()
    query = (
        select(ConsentForm)
        .join(ConsentForm.person)
        .where(
            Person.erased_at.is_(None),
            years_after(Person.born_on, ADULT_AGE) <= today,
            years_after(Person.born_on, ADULT_AGE) > ConsentForm.signed_on,
        )
        .options(selectinload(ConsentForm.person).selectinload(Person.consent_forms))
    )
    found = [
        ToConfirm(form, turns_18_on(form.person), lapses_on(form))
        for form in db.session.execute(query).scalars()
        if has_guardian(form) and _current(form, today) and not _confirmed(form, today)
    ]
    return sorted(found, key=lambda item: (item.lapses_on, item.person.name))


def _current(form: ConsentForm, today: date) -> bool:
    """Return whether the form is neither withdrawn nor expired (lapsing aside)."""
    return form.state(today) == "valid"


def _confirmed(form: ConsentForm, today: date) -> bool:
    """Return whether the person has a current consent of their own, signed at 18 or over."""
    adult_on = turns_18_on(form.person)
    return any(
        other.signed_on is not None and other.signed_on >= adult_on and _current(other, today)
        for other in form.person.consent_forms
    )


def adult_confirmation_requests(day: date) -> int:
    """Queue the person's own link to each consent to confirm: at 18, and before it lapses."""
    queued = 0
    for item in consents_to_confirm(day):
        if item.lapsed(day):
            continue
        reminder = day >= item.lapses_on - timedelta(days=CONFIRM_REMINDER_DAYS)
        # Keyed by form and moment: each form is asked about once at 18 and reminded once.
        moment = "reminder" if reminder else "birthday"
        message = queue_mail(
            item.person.email,
            "consent_at_18",
            MailCategory.CONSENT,
            once_key=f"consent:at-18:{item.form.id}:{moment}",
            person=item.person,
            reminder=reminder,
            agreed=labels_in_mail(item.form.scopes),
            lapses_on=item.lapses_on,
            link=link_url(item.person),
            lasts_until=link_lasts_until(day),
        )
        queued += message is not None
    return queued

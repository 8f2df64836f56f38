"""Renewal requests: each person whose consent ends within 30 days is mailed a fresh link."""

from datetime import date

from archive.consent.link_tokens import link_lasts_until, link_url
from archive.consent.models import labels_in_mail
from archive.consent.rules import expiring_consents
from archive.mail.models import MailCategory
from archive.mail.outbox import queue_mail

RENEWAL_NOTICE_DAYS = 30


def consent_renewal_requests(day: date) -> int:
    """Queue a renewal request for each consent expiring soon, once per form and expiry date.

    None for a consent that a newer one granting as much outlasts (a paper form recorded
    since, say): there is nothing to renew.
    """
    queued = 0
    for form in expiring_consents(RENEWAL_NOTICE_DAYS, today=day):
        person = form.person
        if person.erased_at is not None or _outlasted(form, day):
            continue
        message = queue_mail(
            person.email,
            "consent_renewal",
            MailCategory.CONSENT,
            # The expiry date is in the key: a consent renewed once is reminded again when
            # its new date comes near.
            once_key=f"consent:renewal:{form.id}:{form.expires_on.isoformat()}",
            person=person,
            agreed=labels_in_mail(form.scopes),
            expires_on=form.expires_on,
            link=link_url(person),
            lasts_until=link_lasts_until(day),
        )
        queued += message is not None
    return queued


def _outlasted(form, day: date) -> bool:
    """Return whether another current form of the person grants as much for longer."""
    return any(
        other.id != form.id
        and other.state(day) == "valid"
        and other.scopes >= form.scopes
        and other.last_valid_day() > form.last_valid_day()
        for other in form.person.consent_forms
    )

"""Renewal requests: each person whose consent ends within 30 days is mailed a fresh link."""

from datetime import date

from archive.consent.link_tokens import link_lasts_until, link_url
from archive.consent.models import labels_in_mail
from archive.consent.rules import expiring_consents
from archive.mail.models import MailCategory
from archive.mail.outbox import queue_mail

RENEWAL_NOTICE_DAYS = 30


def consent_renewal_requests(day: date) -> int:
    """Queue a renewal request for each consent expiring soon, once per form and expiry date."""
    queued = 0
    for form in expiring_consents(RENEWAL_NOTICE_DAYS, today=day):
        person = form.person
        if person.erased_at is not None:
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

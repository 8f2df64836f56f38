"""The signed token of a personal consent link, and the link's address for mail.

A token names the person and their link version; raising the version (intake.end_consent_links)
ends every token made before. A fresh token for the same version, as a reminder or a receipt
carries, leaves the person's earlier links working and lasts CONSENT_LINK_DAYS from today.
"""

from datetime import date, timedelta

from flask import current_app
from itsdangerous import URLSafeTimedSerializer

from archive.config import signing_keys
from archive.links import public_url
from archive.people.models import Person

_SALT = "consent-link"


def serializer() -> URLSafeTimedSerializer:
    """Return the signer of consent links."""
    # Signs with the current key; a link signed with a fallback key works until it expires.
    return URLSafeTimedSerializer(signing_keys(current_app.config), salt=_SALT)


def link_token(person: Person) -> str:
    """Return a new token for the person's current link version."""
    return serializer().dumps({"person": person.id, "version": person.consent_link_version})


def link_url(person: Person) -> str:
    """Return the absolute address of the person's consent page, with a fresh token."""
    return public_url("consent_link.respond", token=link_token(person))


def link_lasts_until(today: date) -> date:
    """Return the last day a link made today works."""
    return today + timedelta(days=current_app.config["CONSENT_LINK_DAYS"])

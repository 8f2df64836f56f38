"""Queueing a message: rendered from its templates now, sent later by the worker.

A message is templates/mail/<name>.txt, whose first line is "Subject: …" and the rest the
plain-text body, and templates/mail/<name>.html, the same words for mail readers that show
HTML (it extends mail/_base.html: no images, so no tracking pixel, and no remote anything).
Both end with the link to the address's mail choices for the mail it may turn off.
"""

from flask import current_app, render_template
from itsdangerous import BadSignature, URLSafeSerializer

from archive.config import signing_keys
from archive.core.database import utc_now, write_transaction
from archive.extensions import db
from archive.links import public_url
from archive.mail.models import OPTIONAL_CATEGORIES, MailCategory, MailMessage, MailOptOut

_SALT = "mail-preferences"


def queue_mail(
    to: str, template: str, category: MailCategory, *, once_key: str | None = None, **context
) -> MailMessage | None:
    """Add a message to the current transaction; it is sent once that commits.

    Return None, queueing nothing, when there is no address, when the address turned this
    category off, or when a message with the same once_key was queued before.
    """
    address = normalised(to)
    if not address or not may_send(address, category):
        return None
    if once_key and db.session.query(MailMessage.id).filter_by(once_key=once_key).first():
        return None
    context |= {
        "preferences_url": public_url("mail.preferences", address_token=preferences_token(address))
        if category.optional
        else None
    }
    subject_line, _, text = render_template(f"mail/{template}.txt", **context).partition("\n")
    if not subject_line.startswith("Subject: "):
        raise ValueError(f"mail/{template}.txt must start with a Subject: line")
    subject = subject_line.removeprefix("Subject: ").strip()
    message = MailMessage(
        to_address=address,
        template=template,
        category=category,
        subject=subject,
        text_body=text.strip() + "\n",
        html_body=render_template(f"mail/{template}.html", subject=subject, **context),
        once_key=once_key,
        next_attempt_at=utc_now(),
    )
    db.session.add(message)
    return message


def normalised(address: str | None) -> str:
    """Return the address as opt-outs are kept: trimmed, lower case."""
    return (address or "").strip().lower()


def may_send(address: str, category: MailCategory) -> bool:
    """Return whether the address still receives this category of mail."""
    if not category.optional:
        return True
    return (
        not db.session.query(MailOptOut.id)
        .filter_by(address=normalised(address), category=category)
        .first()
    )


def chosen_mail(address: str) -> list[MailCategory]:
    """Return the optional categories of mail the address still receives."""
    rows = db.session.query(MailOptOut.category).filter_by(address=normalised(address))
    off = {category for (category,) in rows}
    return [category for category in OPTIONAL_CATEGORIES if category not in off]


def choose_mail(address: str, receive: set[MailCategory]) -> None:
    """Make the address receive exactly these optional categories, and no other."""
    address = normalised(address)
    with write_transaction():
        db.session.query(MailOptOut).filter_by(address=address).delete()
        db.session.add_all(
            MailOptOut(address=address, category=category)
            for category in OPTIONAL_CATEGORIES
            if category not in receive
        )


def preferences_token(address: str) -> str:
    """Return the token of the address's mail preferences page: the address, signed.

    It does not expire: it is in every message, and only turns mail off or on again.
    """
    return _serializer().dumps(normalised(address))


def address_from_token(token: str) -> str | None:
    """Return the address a preferences token was made for, or None if it is not genuine."""
    try:
        return _serializer().loads(token)
    except BadSignature:
        return None


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(signing_keys(current_app.config), salt=_SALT)


def forget_address(address: str) -> int:
    """Delete every message to the address and its choices (an erasure); count the rows."""
    address = normalised(address)
    if not address:
        return 0
    messages = db.session.query(MailMessage).filter_by(to_address=address).delete()
    choices = db.session.query(MailOptOut).filter_by(address=address).delete()
    return messages + choices

"""Password reset by e-mail: a signed link, valid for an hour, that works once.

The link carries the account's id and a digest of its password hash, signed: once the
password changes (by this link or any other way) the digest no longer matches, so a used
link, and every other link sent before, stops working without any record of links kept.
"""

import hashlib
import hmac
import math

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from archive.auth.attempts import PASSWORD_ATTEMPTS, RESET_REQUESTS
from archive.auth.models import User
from archive.auth.services import (
    AccountError,
    check_new_password,
    find_user_by_email,
    set_new_password,
)
from archive.config import signing_keys
from archive.core.database import write_transaction
from archive.extensions import db
from archive.links import public_url
from archive.mail.models import MailCategory
from archive.mail.outbox import queue_mail

RESET_LINK_SECONDS = 3600
_SALT = "password-reset"


class ResetLinkRefused(Exception):
    """A reset link that cannot be used; the message says why, status is the page's."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


class ResetsPaused(AccountError):
    """Too many reset links were asked for one address lately; said alike for any address."""

    def __init__(self, seconds: int):
        minutes = math.ceil(seconds / 60)
        super().__init__(
            "several reset links were asked for this e-mail address in the last hour, so no "
            "more are sent for now. Use the newest one, or ask again in "
            f"{minutes} minute{'s' if minutes > 1 else ''}",
            "email",
        )
        self.seconds = seconds


def send_reset_link(email: str) -> None:
    """Queue a reset link to the active account using this address, if there is one.

    Not to an account made by single sign-on, which has no password here to reset: its
    password is the institution's.

    Nothing tells the caller whether there is: the same return for every address, and
    ResetsPaused (RESET_ADDRESS_RATE_LIMIT) counted for known and unknown addresses alike.
    """
    address = email.strip().lower()
    if not RESET_REQUESTS.count(address):
        raise ResetsPaused(RESET_REQUESTS.seconds_locked(address))
    user = find_user_by_email(address)
    if user is None or not user.active or not user.has_password:
        return
    link = public_url("reset.choose", reset_token=reset_token(user))
    with write_transaction():
        queue_mail(user.email, "password_reset", MailCategory.ACCOUNT, user=user, link=link)


def reset_token(user: User) -> str:
    """Return a reset token for the user's current password."""
    return _serializer().dumps({"user": user.id, "password": _fingerprint(user)})


def user_for_reset(token: str) -> User:
    """Return the active user a reset token is for, or raise ResetLinkRefused saying why."""
    try:
        payload = _serializer().loads(token, max_age=RESET_LINK_SECONDS)
    except SignatureExpired:
        raise ResetLinkRefused(
            "This link has expired: a password reset link works for one hour after it is sent.",
            410,
        ) from None
    except BadSignature:
        raise ResetLinkRefused(
            "This is not a working password reset link. Check that you copied all of it.", 404
        ) from None
    user = db.session.get(User, payload["user"])
    if user is None or not user.active:
        raise ResetLinkRefused("This link is for an account that can no longer log in.", 410)
    if not hmac.compare_digest(payload["password"], _fingerprint(user)):
        raise ResetLinkRefused(
            "This link has been used already, or the password was changed since it was sent.",
            410,
        )
    return user


def reset_password(token: str, new: str) -> User:
    """Give the token's user the new password; the link and every session of theirs end.

    Raise ResetLinkRefused for a link that cannot be used, AccountError (on "new") for a
    password the rules refuse.
    """
    check_new_password(user_for_reset(token), new)
    with write_transaction():
        # Checked again under the write lock: two forms sent with one link change it once.
        user = user_for_reset(token)
        set_new_password(user, new, "user.password_reset")
    # Whoever holds the mailbox holds the account: past wrong guesses no longer matter.
    PASSWORD_ATTEMPTS.forget(user.email.strip().lower())
    return user


def _fingerprint(user: User) -> str:
    # The token's payload is readable by whoever holds it: it carries a digest, not the hash.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:32]


def _serializer() -> URLSafeTimedSerializer:
    # Signs with the current key; a link signed with a fallback key works until it expires.
    return URLSafeTimedSerializer(signing_keys(current_app.config), salt=_SALT)

"""Creating and changing user accounts."""

import math
import secrets
from functools import cache

from flask import current_app
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from archive.auth.access import Action, allows
from archive.auth.attempts import PASSWORD_ATTEMPTS
from archive.auth.models import Role, User
from archive.auth.sign_in_policy import may_use_password
from archive.core.audit import record_event
from archive.core.database import write_transaction
from archive.extensions import db

MIN_PASSWORD_LENGTH = 10
# zxcvbn's score 3 of 4 means at least 10^8 guesses: out of reach online, and slow to find
# even from a leaked scrypt hash. Score 2 let "Summer2026!" through.
MIN_PASSWORD_SCORE = 3
# zxcvbn refuses longer input (matching a long one costs seconds of CPU); what lies beyond
# 72 characters only adds to the guesses needed, so judging the start is enough.
ESTIMATED_LENGTH = 72


class AccountError(Exception):
    """An account could not be created or changed; the message says why."""

    def __init__(self, message: str, field: str = "email"):
        super().__init__(message)
        self.field = field


class AccountLocked(AccountError):
    """Too many wrong passwords for an address lately: its password sign-in is paused."""

    def __init__(self, seconds: int, field: str = "password"):
        minutes = math.ceil(seconds / 60)
        # The same words for an address with no account: they tell nobody which ones exist.
        super().__init__(
            "too many wrong passwords were tried for this e-mail address, so signing in "
            f"with it is paused. Try again in {minutes} minute{'s' if minutes > 1 else ''}",
            field,
        )
        self.seconds = seconds


def _canonical(email: str) -> str:
    """Return the address as accounts are matched: case-insensitive, unpadded."""
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    """Return the user with this e-mail address (case-insensitive), if any."""
    return db.session.execute(
        select(User).where(func.lower(User.email) == _canonical(email))
    ).scalar_one_or_none()


def check_password_rules(password: str, email: str) -> None:
    """Raise AccountError if the password is too weak to protect special-category data."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            f"the password must be at least {MIN_PASSWORD_LENGTH} characters",
            "password",
        )
    address = email.strip().lower()
    local_part = address.split("@")[0]
    if password.strip().lower() in (address, local_part):
        raise AccountError("the password must not be the e-mail address", "password")
    estimate = zxcvbn(password[:ESTIMATED_LENGTH], user_inputs=[address, local_part])
    if estimate["score"] < MIN_PASSWORD_SCORE:
        raise AccountError(_too_easy_message(estimate["feedback"]), "password")


def _too_easy_message(feedback: dict) -> str:
    """Say the password is too easy to guess, with the estimator's advice if it has any."""
    advice = " ".join(part for part in (feedback["warning"], *feedback["suggestions"]) if part)
    if not advice:
        return "that password is too easy to guess; choose a less common one"
    return f"that password is too easy to guess. {advice}"


@cache
def _dummy_hash(method: str) -> str:
    """Return a hash of a random password, made once per process and hash method."""
    return generate_password_hash(secrets.token_urlsafe(), method=method)


def _password_matches(email: str, user: User | None, password: str, field: str) -> bool:
    """Say whether password is the active user's, counting the attempt against the address.

    Raise AccountLocked (on `field`) while the address has had too many attempts: then no
    password is checked, not even the right one. Otherwise exactly one hash is checked, a
    dummy one for no account or a disabled one, so the time taken tells nobody which
    addresses have accounts.
    """
    address = _canonical(email)
    if not PASSWORD_ATTEMPTS.count(address):
        raise AccountLocked(PASSWORD_ATTEMPTS.seconds_locked(address), field)
    if user is None or not user.active or not user.has_password:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return False
    if not user.check_password(password):
        return False
    PASSWORD_ATTEMPTS.forget(address)
    return True


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with this address and password, else None.

    Raise AccountLocked while the address has had too many password attempts (see
    ACCOUNT_RATE_LIMIT), whether it has an account or not. None too for a right password
    while single sign-on is required of the account (sign_in_policy.may_use_password).
    """
    user = find_user_by_email(email)
    if not _password_matches(email, user, password, "password"):
        return None
    return user if may_use_password(user) else None


def create_user(
    email: str, password: str, role: Role, name: str = "", *, by: User | None = None
) -> User:
    """Add an active user, audited as made by `by` (None: the command line).

    Raise AccountError for a taken address or a weak password.
    """
    email = email.strip()
    if "@" not in email:
        raise AccountError(f"{email!r} is not an e-mail address")
    if find_user_by_email(email) is not None:
        raise AccountError(f"there is already an account for {email}")
    check_password_rules(password, email)
    user = User(email=email, name=name.strip() or email.split("@")[0], role=Role(role))
    user.set_password(password, current_app.config["PASSWORD_HASH_METHOD"])
    with write_transaction():
        db.session.add(user)
        db.session.flush()  # the audit event names the new user's id
        record_event(by, "user.created", "user", user.id, detail=f"role {user.role.value}")
    return user


def all_users() -> list[User]:
    """Return every account, by e-mail address."""
    return list(db.session.execute(select(User).order_by(User.email)).scalars())


def update_user(user: User, *, role: Role, active: bool, by: User | None = None) -> User:
    """Change a user's role and whether the account may log in; audit each change.

    Raises AccountError (on the role field) when an admin would take away their own admin
    access: the archive must never be left without someone who can give it back.
    """
    role = Role(role)
    keeps_access = active and allows(role, Action.MANAGE_USERS)
    if by is not None and user.id == by.id and not keeps_access:
        raise AccountError("you cannot remove your own admin access", "role")
    with write_transaction():
        if user.role != role or user.active != active:
            user.session_version += 1  # sessions opened under the old role end now
        if user.role != role:
            detail = f"{user.role.value} → {role.value}"
            record_event(by, "user.role_changed", "user", user.id, detail=detail)
            user.role_set_by_admin = True  # sign-ins no longer change it (see sso.py)
        if user.active != active:
            record_event(by, "user.enabled" if active else "user.disabled", "user", user.id)
        user.role = role
        user.active = active
    return user


def change_password(user: User, current: str, new: str) -> User:
    """Change the user's password; every session of theirs ends, this one included.

    The current password counts as an attempt on the account, as at login: AccountLocked
    while too many were tried.
    """
    if not _password_matches(user.email, user, current, "current"):
        raise AccountError("the current password is not right", "current")
    check_new_password(user, new)
    with write_transaction():
        set_new_password(user, new, "user.password_changed")
    return user


def check_new_password(user: User, new: str) -> None:
    """Raise AccountError (on the field "new") if the password may not be the user's."""
    try:
        check_password_rules(new, user.email)
    except AccountError as error:
        raise AccountError(str(error), "new") from None


def set_new_password(user: User, new: str, event: str) -> None:
    """Give the user the (checked) password in the caller's write transaction; audit it.

    Every session of theirs ends, the one that did it included.
    """
    user.set_password(new, current_app.config["PASSWORD_HASH_METHOD"])
    user.session_version += 1
    record_event(user, event, "user", user.id)


def end_every_session(user: User) -> None:
    """Log the user out on every device: old session and remember-me cookies stop working."""
    with write_transaction():
        user.session_version += 1


def user_for_session(session_id: str) -> User | None:
    """Return the user a session belongs to, if that session is still current."""
    user_id, _, version = session_id.partition(".")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version):
        return None
    return user

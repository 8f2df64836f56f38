"""Creating and changing user accounts."""

from functools import cache
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from archive.auth.models import Role, User
from archive.database import write_transaction
from archive.extensions import db

MIN_PASSWORD_LENGTH = 10


@cache
def _common_passwords() -> frozenset[str]:
    text = (Path(__file__).parent / "common_passwords.txt").read_text()
    return frozenset(
        line.strip().lower()
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


class AccountError(Exception):
    """An account could not be created or changed; the message says why."""

    def __init__(self, message: str, field: str = "email"):
        super().__init__(message)
        self.field = field


def find_user_by_email(email: str) -> User | None:
    """Return the user with this e-mail address (case-insensitive), if any."""
    return db.session.execute(
        select(User).where(func.lower(User.email) == email.strip().lower())
    ).scalar_one_or_none()


def check_password_rules(password: str, email: str) -> None:
    """Raise AccountError if the password is too weak to protect special-category data."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            f"the password must be at least {MIN_PASSWORD_LENGTH} characters",
            "password",
        )
    lowered = password.strip().lower()
    if lowered in (email.strip().lower(), email.strip().lower().split("@")[0]):
        raise AccountError("the password must not be the e-mail address", "password")
    if lowered in _common_passwords() or len(set(lowered)) < 4:
        raise AccountError(
            "that password is too easy to guess; choose a less common one", "password"
        )


def create_user(email: str, password: str, role: Role, name: str = "") -> User:
    """Add an active user; raise AccountError for a taken address or a weak password."""
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
    return user


def update_user(user: User, *, role: Role, active: bool) -> User:
    """Change a user's role and whether the account may log in."""
    with write_transaction():
        if user.role != Role(role) or user.active != active:
            user.session_version += 1  # sessions opened under the old role end now
        user.role = Role(role)
        user.active = active
    return user


def change_password(user: User, current: str, new: str) -> User:
    """Change the user's password; every session of theirs ends, this one included."""
    if not user.check_password(current):
        raise AccountError("the current password is not right", "current")
    try:
        check_password_rules(new, user.email)
    except AccountError as error:
        raise AccountError(str(error), "new") from None
    with write_transaction():
        user.set_password(new, current_app.config["PASSWORD_HASH_METHOD"])
        user.session_version += 1
    return user


def user_for_session(session_id: str) -> User | None:
    """Return the user a session belongs to, if that session is still current."""
    user_id, _, version = session_id.partition(".")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version):
        return None
    return user

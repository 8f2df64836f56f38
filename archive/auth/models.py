"""User accounts and their roles."""

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from archive.core.database import enum_column
from archive.extensions import db


class Role(StrEnum):
    """A user's part in the archive; what each may do is declared in archive.auth.access."""

    CONTRIBUTOR = "contributor"
    CURATOR = "curator"
    COMMS = "comms"
    ADMIN = "admin"


class User(UserMixin, db.Model):
    """A person who logs in: a contributor, curator, comms officer or admin."""

    __tablename__ = "users"
    # One account per person at the institution's provider: a later sign-in finds it by these.
    __table_args__ = (UniqueConstraint("oidc_issuer", "oidc_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # "" for an account made by single sign-on: it has no password to log in with.
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    # False while the role follows the provider's groups (OIDC_ROLE_MAPPING); an admin
    # choosing a role sets it, and sign-ins then leave the role alone unless configured not to.
    role_set_by_admin: Mapped[bool] = mapped_column(default=True)
    # The OpenID Connect provider (its issuer URL) and its never-reused id (`sub`) for the
    # person, when they sign in through it; an e-mail address can change hands, these cannot.
    oidc_issuer: Mapped[str | None] = mapped_column(String(500))
    oidc_subject: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    # Part of the id kept in every session: raising it logs the user out everywhere.
    session_version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    def get_id(self) -> str:
        """Return the session id: the user id and the current session version."""
        return f"{self.id}.{self.session_version}"

    @property
    def is_active(self) -> bool:
        """Tell Flask-Login whether this account may log in."""
        return self.active

    @property
    def has_password(self) -> bool:
        """Return whether the account can log in with a password at all."""
        return bool(self.password_hash)

    def set_password(self, password: str, method: str = "scrypt") -> None:
        """Store a salted hash of the password, never the password."""
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        """Return whether the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)


class SiteSetting(db.Model):
    """A setting an admin changes in the archive itself, by name (e.g. SSO_REQUIRED)."""

    __tablename__ = "site_settings"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(String(500))

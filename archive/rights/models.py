"""Consent forms, licences and the append-only audit log."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, event, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from archive.extensions import db
from archive.storage.models import StoredFileMixin


class ConsentScope(StrEnum):
    """The uses a person may agree to, one tick box each on the consent form."""

    INTERNAL = "internal"
    EXHIBITION = "exhibition"
    WEB = "web"
    PRESS = "press"

    @property
    def label(self) -> str:
        """Return the wording used on forms and pages."""
        return _SCOPE_LABELS[self]


_SCOPE_LABELS = {
    ConsentScope.INTERNAL: "Internal use",
    ConsentScope.EXHIBITION: "Physical exhibitions",
    ConsentScope.WEB: "Public web galleries",
    ConsentScope.PRESS: "Press and social media",
}


class Licence(db.Model):
    """The terms under which a photo may be used, with the credit line it requires."""

    __tablename__ = "licences"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    terms: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(300), default="")
    credit_template: Mapped[str] = mapped_column(String(300), default="Photo: {photographer}")

    def __str__(self) -> str:
        return self.name


class ConsentForm(StoredFileMixin, db.Model):
    """A signed consent form (PDF or image) and what it grants.

    A form uploaded with photos may not yet say whose it is: a curator links it to its
    person and records the scopes and dates when reviewing the upload.
    """

    __tablename__ = "consent_forms"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    signed_on: Mapped[date | None]
    expires_on: Mapped[date | None]
    withdrawn_on: Mapped[date | None]
    withdrawal_reason: Mapped[str] = mapped_column(Text, default="")
    # Comma-separated ConsentScope values, read through .scopes.
    scope_codes: Mapped[str] = mapped_column(String(100), default="")
    batch_id: Mapped[str | None] = mapped_column(String(32), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(server_default=func.now())

    person: Mapped["Person | None"] = relationship(back_populates="consent_forms")  # noqa: F821

    @property
    def scopes(self) -> frozenset[ConsentScope]:
        """Return the scopes this form grants."""
        return frozenset(ConsentScope(code) for code in self.scope_codes.split(",") if code)

    @scopes.setter
    def scopes(self, scopes) -> None:
        self.scope_codes = ",".join(sorted(ConsentScope(scope).value for scope in scopes))


class AuditEvent(db.Model):
    """A record of who did what to what, and when. Rows are never changed or deleted."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(server_default=func.now())
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(60))
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int | None]
    # Free of EDI data and personal detail: the log outlives erasure.
    detail: Mapped[str] = mapped_column(Text, default="")


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_audit_change(_mapper, _connection, _target):
    raise PermissionError("audit events are append-only")

"""Consent forms and the uses a person may agree to."""

from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from archive.auth.models import User
from archive.core.database import may_name_people
from archive.extensions import db
from archive.people.models import Person
from archive.photos.events import Event
from archive.storage.models import StoredFileMixin


class ConsentScope(StrEnum):
    """The uses a person may agree to, one tick box each on the consent form."""

    INTERNAL = "internal"
    EXHIBITION = "exhibition"
    WEB = "web"
    PRESS = "press"
    # Being shown in an exhibition about identity tells its visitors something about the
    # person (their gender, ethnicity, …): a use of its own, never implied by any other.
    IDENTITY = "identity"
    # A public career profile puts the person's own story and photos at the front: it says
    # more about them than being one face in a gallery, so it too is never implied.
    PROFILE = "profile"

    @property
    def label(self) -> str:
        """Return the wording used on forms and pages."""
        return _SCOPE_LABELS[self]

    @property
    def label_in_mail(self) -> str:
        """Return the wording used in mail, where no example may name an EDI answer."""
        return _MAIL_LABELS.get(self, _SCOPE_LABELS[self])


_SCOPE_LABELS = {
    ConsentScope.INTERNAL: "Internal use",
    ConsentScope.EXHIBITION: "Physical exhibitions",
    ConsentScope.WEB: "Public web galleries",
    ConsentScope.PRESS: "Press and social media",
    ConsentScope.IDENTITY: "Exhibitions about identity (e.g. women in technical roles)",
    ConsentScope.PROFILE: "A public career profile about me (my role, my story, photos of me)",
}

# Every message is checked for EDI words (tests/mail/test_no_edi_in_mail.py): a mailbox is
# read by more than its owner, so mail does not even give an EDI answer as an example.
_MAIL_LABELS = {
    ConsentScope.IDENTITY: "Exhibitions about identity",
    ConsentScope.PROFILE: "A public career profile",
}


# The uses a photo is put to. A career profile is a use of the person (their story, on a page
# of their own); the photos on it are judged by the public web, so a photo is never listed as
# blocked for want of it.
PHOTO_USES = tuple(scope for scope in ConsentScope if scope is not ConsentScope.PROFILE)


def labels_in_mail(scopes=tuple(ConsentScope)) -> list[str]:
    """Return the mail wording of the scopes, in the order the consent form asks them."""
    return [scope.label_in_mail for scope in ConsentScope if scope in scopes]


class ConsentSheet(db.Model):
    """One signed sheet for many people (a class, a team), recorded once.

    Each person on it gets a ConsentForm of their own naming the sheet and its file (keys
    are content hashes: the rows share one stored file), so the gate reads a sheet's line
    like any form, and one person's line is withdrawn, expires or is erased alone. The
    sheet holds no file itself: when the last line naming the file goes, the file may too.
    """

    __tablename__ = "consent_sheets"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), info=may_name_people())
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(server_default=func.now())

    event: Mapped[Event | None] = relationship()
    lines: Mapped[list["ConsentForm"]] = relationship(
        back_populates="sheet", order_by="ConsentForm.id"
    )

    @property
    def label(self) -> str:
        """Return what the sheet is called on pages: its event's name, else its own title."""
        return self.event.label if self.event else self.title


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
    withdrawal_reason: Mapped[str] = mapped_column(Text, default="", info=may_name_people())
    # Comma-separated ConsentScope values, read through .scopes.
    scope_codes: Mapped[str] = mapped_column(String(100), default="")
    batch_id: Mapped[str | None] = mapped_column(String(32), index=True)
    # The group sheet this is one person's line of; None for a form of one person.
    sheet_id: Mapped[int | None] = mapped_column(ForeignKey("consent_sheets.id"), index=True)
    # "upload" for a signed form a person's scan came in as; "self-service" for the record
    # generated when the person answered through their personal link.
    source: Mapped[str] = mapped_column(String(20), default="upload")
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(server_default=func.now())
    # For a person under 18, the parent or guardian who signed (consent.minors), and whether
    # they ticked the public web, which a child's photos never reach without that tick.
    guardian_name: Mapped[str] = mapped_column(String(200), default="")
    guardian_relationship: Mapped[str] = mapped_column(String(100), default="")
    guardian_contact: Mapped[str] = mapped_column(String(254), default="")
    guardian_allows_web: Mapped[bool] = mapped_column(default=False)

    person: Mapped[Person | None] = relationship(back_populates="consent_forms")
    sheet: Mapped[ConsentSheet | None] = relationship(back_populates="lines")

    def last_valid_day(self) -> date:
        """Return the last day this form can count: the day before withdrawal, or expiry."""
        ends = [date.max]
        if self.expires_on is not None:
            ends.append(self.expires_on)
        if self.withdrawn_on is not None:
            ends.append(self.withdrawn_on - timedelta(days=1))
        return min(ends)

    def state(self, today: date) -> str:
        """Return "withdrawn", "expired", "unrecorded" or "valid" as of today."""
        if self.withdrawn_on is not None and self.withdrawn_on <= today:
            return "withdrawn"
        if self.expires_on is not None and self.expires_on < today:
            return "expired"
        if self.person_id is None or self.signed_on is None:
            return "unrecorded"
        return "valid"

    @property
    def scopes(self) -> frozenset[ConsentScope]:
        """Return the scopes this form grants."""
        return frozenset(ConsentScope(code) for code in self.scope_codes.split(",") if code)

    @scopes.setter
    def scopes(self, scopes) -> None:
        self.scope_codes = ",".join(sorted(ConsentScope(scope).value for scope in scopes))


class ConsentRequest(db.Model):
    """A curator's e-mail asking a person for consent through their personal link.

    Days, not times: a reminder is due a whole number of days after the request, counted
    as the daily `flask notify` counts them.
    """

    __tablename__ = "consent_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    sent_on: Mapped[date]
    reminded_on: Mapped[date | None]
    # Set when the person answers through their link (giving, changing or withdrawing).
    answered_on: Mapped[date | None]

    person: Mapped[Person] = relationship()
    sent_by: Mapped[User | None] = relationship()

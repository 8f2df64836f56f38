"""The outbox and record of every message, and the kinds of mail a person can turn off."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from archive.core.database import NameUse, enum_column, may_name_people
from archive.extensions import db


class MailCategory(StrEnum):
    """What a message is about; each but the first can be turned off by whoever receives it."""

    ACCOUNT = "account"  # a password reset asked for: always sent
    CONSENT = "consent"  # a consent request, its reminder, renewal, the receipt of an answer
    REVIEW = "review"  # a contributor's upload approved or rejected
    DIGEST = "digest"  # curators' daily list of new uploads
    EXPIRY = "expiry"  # curators' reminders of consents and licences about to end

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def optional(self) -> bool:
        return self is not MailCategory.ACCOUNT


_LABELS = {
    MailCategory.ACCOUNT: "Password reset links you ask for",
    MailCategory.CONSENT: "Requests and reminders to give or renew consent, and receipts",
    MailCategory.REVIEW: "When a photo you uploaded is approved or rejected",
    MailCategory.DIGEST: "A daily list of new uploads awaiting review",
    MailCategory.EXPIRY: "Reminders of consents and licences about to expire",
}


OPTIONAL_CATEGORIES = [category for category in MailCategory if category.optional]


class MailStatus(StrEnum):
    QUEUED = "queued"  # waiting for its first try, or for its next after a failure
    SENT = "sent"
    FAILED = "failed"  # refused MAIL_MAX_ATTEMPTS times: no more tries


class MailMessage(db.Model):
    """One message: queued, then sent or given up on; the row stays as the record of it."""

    __tablename__ = "mail_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254), info=may_name_people(NameUse.KEPT))
    template: Mapped[str] = mapped_column(String(60))
    category: Mapped[MailCategory] = mapped_column(enum_column(MailCategory))
    subject: Mapped[str] = mapped_column(String(200), info=may_name_people())
    # The bodies are emptied once sent: they may hold a single-use link, which the record of
    # the message must not keep usable for whoever reads the database.
    text_body: Mapped[str] = mapped_column(Text, default="")
    html_body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[MailStatus] = mapped_column(enum_column(MailStatus), default=MailStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    queued_at: Mapped[datetime] = mapped_column(server_default=func.now())
    # When it may next be tried; a worker sending it moves this on first, as a lease, so no
    # other worker sends it too, and a worker that dies mid-send leaves it to be tried again.
    next_attempt_at: Mapped[datetime] = mapped_column(server_default=func.now(), index=True)
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    # A reminder's identity ("expiry:consent:12:2027-01-05"): the same one is never queued
    # twice, however often the daily run runs.
    once_key: Mapped[str | None] = mapped_column(String(200), unique=True)


class MailOptOut(db.Model):
    """An address that asked not to receive one category of mail."""

    __tablename__ = "mail_opt_outs"
    __table_args__ = (UniqueConstraint("address", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(254), info=may_name_people(NameUse.KEPT))
    category: Mapped[MailCategory] = mapped_column(enum_column(MailCategory))

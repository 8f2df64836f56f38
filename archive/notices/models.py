"""The record of which endings the curators were told of, so each is told of twice at most."""

from datetime import date

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from archive.extensions import db


class ExpiryNotice(db.Model):
    """A consent or licence ending on `ends_on` was listed once it came within `within_days`."""

    __tablename__ = "expiry_notices"
    # The day it ends is part of what was told: a consent whose date is changed (renewed
    # for a while only) comes round again.
    __table_args__ = (UniqueConstraint("subject", "subject_id", "ends_on", "within_days"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(20))  # "consent" or "licence"
    subject_id: Mapped[int]
    ends_on: Mapped[date]
    within_days: Mapped[int]
    noticed_on: Mapped[date]

"""The append-only record of downloads."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from archive.auth.models import User
from archive.core.audit import append_only
from archive.extensions import db
from archive.photos.models import Photo


class DownloadEvent(db.Model):
    """A photo handed out to someone: who, which, what size, when and what for. Append-only."""

    __tablename__ = "download_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(server_default=func.now())
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    photo_id: Mapped[int] = mapped_column(ForeignKey("photos.id"), index=True)
    size: Mapped[str] = mapped_column(String(20))
    purpose: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User] = relationship()
    photo: Mapped[Photo] = relationship()


append_only(DownloadEvent)


class BasketItem(db.Model):
    """A photo someone means to download with others in one go; their basket is these rows.

    Kept in the database, not the session, so it is there on every host and after logging out.
    """

    __tablename__ = "basket_items"
    __table_args__ = (UniqueConstraint("user_id", "photo_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    photo_id: Mapped[int] = mapped_column(ForeignKey("photos.id", ondelete="CASCADE"))
    added_at: Mapped[datetime] = mapped_column(server_default=func.now())

    photo: Mapped[Photo] = relationship()

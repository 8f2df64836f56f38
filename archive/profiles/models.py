"""A person's career profile and the photos chosen for it."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from archive.core.database import NameUse, may_name_people
from archive.extensions import db
from archive.people.models import Person
from archive.photos.models import Photo


class Profile(db.Model):
    """One person's career profile: a headline, their story in Markdown and chosen photos.

    Whether visitors see it is decided on each request by profiles.showing (published, the
    person's "profile" consent today, an adult, not erased); the published flag is only the
    curator's half of that.
    """

    __tablename__ = "profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True, info=may_name_people(NameUse.KEPT))
    headline: Mapped[str] = mapped_column(String(200), default="", info=may_name_people())
    # Markdown as written; formatted and sanitised (core.markdown) each time it is shown, so
    # erasure's redaction of a name in it needs nothing else kept in step.
    story: Mapped[str] = mapped_column(Text, default="", info=may_name_people())
    published: Mapped[bool] = mapped_column(default=False)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())

    person: Mapped[Person] = relationship()
    photos: Mapped[list["ProfilePhoto"]] = relationship(
        order_by="ProfilePhoto.position", cascade="all, delete-orphan"
    )


class ProfilePhoto(db.Model):
    """A photo chosen for a profile, at its place in the profile's order."""

    __tablename__ = "profile_photos"
    __table_args__ = (UniqueConstraint("profile_id", "photo_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    photo_id: Mapped[int] = mapped_column(ForeignKey("photos.id"))
    position: Mapped[int] = mapped_column(default=0)

    photo: Mapped[Photo] = relationship()

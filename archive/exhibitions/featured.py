"""Career profiles featured in an exhibition: chosen in the builder, cards on the gallery.

A featured profile is shown on the gallery only while visitors may see the profile itself
(profiles.showing, judged on each request): withdrawing the "profile" use takes its card
off every gallery at once, the link row staying for when it is given again.
"""

from datetime import date

from sqlalchemy import ForeignKey, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload

from archive.auth.models import User
from archive.core.audit import record_event
from archive.core.database import write_transaction
from archive.exhibitions.models import Exhibition
from archive.extensions import db
from archive.people.models import Person
from archive.profiles.models import Profile
from archive.profiles.showing import PublicProfile, shown_as, why_hidden


class FeaturedProfile(db.Model):
    """A career profile an exhibition features, at its place among the others."""

    __tablename__ = "featured_profiles"
    __table_args__ = (UniqueConstraint("exhibition_id", "profile_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibition_id: Mapped[int] = mapped_column(ForeignKey("exhibitions.id", ondelete="CASCADE"))
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)

    profile: Mapped[Profile] = relationship()


def featured_in(exhibition: Exhibition) -> list[Profile]:
    """Return the profiles the exhibition features, in order, whether visitors see them or not."""
    query = (
        select(FeaturedProfile)
        .filter_by(exhibition_id=exhibition.id)
        .order_by(FeaturedProfile.position)
        .options(selectinload(FeaturedProfile.profile))
    )
    return [featured.profile for featured in db.session.execute(query).scalars()]


def featured_shown(exhibition: Exhibition, today: date | None = None) -> list[PublicProfile]:
    """Return the featured profiles visitors see today, as they see them."""
    shown = (shown_as(profile, today) for profile in featured_in(exhibition))
    return [profile for profile in shown if profile is not None]


def profile_choices(today: date | None = None) -> list[tuple[Profile, str]]:
    """Return every profile a builder may feature, by name, with why visitors would not see it."""
    query = select(Profile).join(Profile.person).order_by(Person.name)
    return [
        (profile, why_hidden(profile, today)) for profile in db.session.execute(query).scalars()
    ]


def feature_profiles(exhibition: Exhibition, profile_ids: list[int], *, by: User) -> int:
    """Make the exhibition feature exactly these profiles, in this order; return how many.

    Unknown ids are ignored. One audit event, naming the profiles' ids.
    """
    known = set(db.session.execute(select(Profile.id).where(Profile.id.in_(profile_ids))).scalars())
    chosen = [profile_id for profile_id in dict.fromkeys(profile_ids) if profile_id in known]
    with write_transaction():
        for featured in db.session.execute(
            select(FeaturedProfile).filter_by(exhibition_id=exhibition.id)
        ).scalars():
            db.session.delete(featured)
        db.session.flush()  # the unique (exhibition, profile) pair is free before it is re-added
        db.session.add_all(
            FeaturedProfile(exhibition_id=exhibition.id, profile_id=profile_id, position=position)
            for position, profile_id in enumerate(chosen)
        )
        record_event(
            by,
            "exhibition.profiles_featured",
            "exhibition",
            exhibition.id,
            ", ".join(map(str, chosen)) or "none",
        )
    return len(chosen)

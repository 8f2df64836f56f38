"""Whether visitors see a career profile, and what of it: judged on each request, no job.

A profile is public only while it is published, its person holds the "profile" use today,
is 18 or over and is not erased. A child's profile is never public whatever is signed: a
minor's name is never published (consent.public_names). Of the photos chosen, only those
the public web may show today are shown, through the same answer the image route gives a
visitor (consent.rules.servable_sizes), so blurred derivatives and withdrawals apply. No
EDI answer is read here: nothing of them can reach a profile.
"""

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from archive.consent.minors import is_minor
from archive.consent.models import ConsentScope
from archive.consent.public_names import published_texts
from archive.consent.rules import holds_consent, servable_sizes
from archive.core.markdown import render_markdown
from archive.extensions import db
from archive.people.models import Person
from archive.photos.models import Derivative, DerivativeKind, Photo
from archive.profiles.models import Profile, ProfilePhoto


@dataclass(frozen=True)
class ShownPhoto:
    """A chosen photo as visitors see it: its published texts and the two page sizes."""

    photo: Photo
    title: str
    alt_text: str
    thumb: Derivative
    display: Derivative


@dataclass(frozen=True)
class PublicProfile:
    """A profile as visitors see it: nothing on it but what is here."""

    profile: Profile
    name: str
    headline: str
    story: Markup
    photos: list[ShownPhoto]

    @property
    def slug(self) -> str:
        """Return the profile's slug, the last part of its address."""
        return self.profile.slug


def why_hidden(profile: Profile, today: date | None = None) -> str:
    """Return why visitors do not see the profile today, "" when they do."""
    today = today or date.today()
    person = profile.person
    if person.erased_at is not None:
        return "the person was erased"
    if is_minor(person, today):
        return f"{person.name} is under 18: a child's profile is never published"
    if not holds_consent(person, ConsentScope.PROFILE, today):
        return f"{person.name} has not agreed to a public career profile (or withdrew it)"
    if not profile.published:
        return "it is not published"
    return ""


def public_profile(slug: str, today: date | None = None) -> PublicProfile | None:
    """Return the profile with this slug as visitors see it, None if they may not see it."""
    profile = db.session.execute(_profiles().filter_by(slug=slug)).scalar_one_or_none()
    return shown_as(profile, today) if profile is not None else None


def shown_profiles(today: date | None = None) -> list[PublicProfile]:
    """Return every profile visitors see today, by name."""
    query = _profiles().filter_by(published=True).join(Profile.person).order_by(Person.name)
    profiles = (shown_as(profile, today) for profile in db.session.execute(query).scalars())
    return [profile for profile in profiles if profile is not None]


def shown_as(profile: Profile, today: date | None = None) -> PublicProfile | None:
    """Return the profile as visitors see it today, None if they may not see it."""
    today = today or date.today()
    if why_hidden(profile, today):
        return None
    person = profile.person
    return PublicProfile(
        profile=profile,
        name=person.name,
        headline=profile.headline or (person.job_role.label if person.job_role else ""),
        story=Markup(render_markdown(profile.story)),  # noqa: S704 - sanitised by nh3
        photos=[shown for chosen in profile.photos if (shown := _shown(chosen.photo, today))],
    )


def _shown(photo: Photo, today: date) -> ShownPhoto | None:
    """Return the photo as a visitor's page shows it, None if the public web may not."""
    sizes = servable_sizes(photo, None, today=today)
    if not {DerivativeKind.THUMB, DerivativeKind.DISPLAY} <= sizes:
        return None
    texts = published_texts(photo, today)
    return ShownPhoto(
        photo,
        title=texts.title,
        alt_text=texts.alt_text,
        thumb=photo.derivative(DerivativeKind.THUMB),
        display=photo.derivative(DerivativeKind.DISPLAY),
    )


def _profiles():
    """Return a query for profiles with what deciding and showing them reads, loaded."""
    return select(Profile).options(
        selectinload(Profile.person).selectinload(Person.consent_forms),
        selectinload(Profile.person).selectinload(Person.job_role),
        selectinload(Profile.photos)
        .selectinload(ProfilePhoto.photo)
        .selectinload(Photo.people)
        .selectinload(Person.consent_forms),
        selectinload(Profile.photos)
        .selectinload(ProfilePhoto.photo)
        .selectinload(Photo.derivatives),
    )

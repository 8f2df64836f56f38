"""Writing a person's career profile: its headline, story, chosen photos and published flag."""

import re
import unicodedata

from sqlalchemy import select

from archive.auth.models import User
from archive.core.audit import record_event
from archive.core.database import write_transaction
from archive.core.markdown import MarkdownRefused, check_markdown
from archive.extensions import db
from archive.people.models import Person
from archive.photos.models import Photo
from archive.profiles.models import Profile, ProfilePhoto

# A career story is a page, not a book: a few thousand words at most.
STORY_MAX_CHARS = 20_000


class ProfileRefused(ValueError):
    """The profile cannot be saved as asked; the message says why."""


def profile_of(person: Person) -> Profile | None:
    """Return the person's profile, None if they have none yet."""
    return db.session.execute(select(Profile).filter_by(person_id=person.id)).scalar_one_or_none()


def photos_of(person: Person) -> list[Photo]:
    """Return the photos a profile of the person may choose from: those showing them."""
    query = select(Photo).where(Photo.people.any(Person.id == person.id)).order_by(Photo.id.desc())
    return [photo for photo in db.session.execute(query).scalars() if not photo.erased]


def save_profile(
    person: Person,
    *,
    headline: str,
    story: str,
    photo_ids: list[int],
    published: bool,
    by: User,
) -> Profile:
    """Create or update the person's profile, photos in the order given; one audit event.

    Raises ProfileRefused, changing nothing, for a story too long or deep, or a photo that
    does not show the person.
    """
    try:
        check_markdown(story, STORY_MAX_CHARS, "the story")
    except MarkdownRefused as refused:
        raise ProfileRefused(str(refused)) from None
    choosable = {photo.id: photo for photo in photos_of(person)}
    strangers = [photo_id for photo_id in photo_ids if photo_id not in choosable]
    if strangers:
        raise ProfileRefused(
            f"photo {strangers[0]} does not show {person.name}: a profile shows only photos of them"
        )
    with write_transaction():
        profile = profile_of(person)
        if profile is None:
            profile = Profile(person=person, slug=_free_slug(person.name))
            db.session.add(profile)
        profile.headline = headline.strip()
        profile.story = story.strip()
        profile.published = published
        profile.updated_by_id = by.id
        chosen = list(dict.fromkeys(photo_ids))
        profile.photos = [
            ProfilePhoto(photo=choosable[photo_id], position=position)
            for position, photo_id in enumerate(chosen)
        ]
        db.session.flush()  # the audit event names a new profile's id
        record_event(
            by, "profile.edited", "profile", profile.id, "published" if published else "draft"
        )
    return profile


def _free_slug(name: str) -> str:
    """Return a slug made from the name (accents dropped) that no other profile has."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:70] or "profile"
    taken = set(
        db.session.execute(select(Profile.slug).where(Profile.slug.startswith(base))).scalars()
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug

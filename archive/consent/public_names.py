"""The names of people under 18 never leave the curators' pages: published texts say
MINOR_PUBLIC_WORDING ("a young participant") where a caption, title or alt text names them.

Applied to everything published (galleries, IIIF, exports, downloads, the API, the search
index's texts) and to every page but the curators' and admins', who need the real names.
"""

import re
from dataclasses import dataclass
from datetime import date

from flask import current_app

from archive.auth.access import Viewer, role_of
from archive.consent.minors import is_minor
from archive.consent.rules import viewer_scopes
from archive.people.models import Person
from archive.photos.models import Photo


@dataclass(frozen=True)
class Texts:
    """What a photo is called and how it is described, as shown to someone."""

    title: str
    caption: str
    alt_text: str


def published_texts(photo: Photo, today: date | None = None) -> Texts:
    """Return the photo's title, caption and alt text with every minor's name replaced."""
    minors = minors_in(photo, today)
    return Texts(
        without_names(photo.display_title, minors),
        without_names(photo.caption, minors),
        without_names(photo.alt_text, minors),
    )


def texts_for(viewer: Viewer, photo: Photo, today: date | None = None) -> Texts:
    """Return the texts the viewer is shown: the photo's own only to those who see every
    photo (curators and admins), the published ones to everyone else."""
    if viewer_scopes(role_of(viewer)) is None:
        return Texts(photo.display_title, photo.caption, photo.alt_text)
    return published_texts(photo, today)


def minors_in(photo: Photo, today: date | None = None) -> list[Person]:
    """Return the people shown in the photo who are under 18 today."""
    today = today or date.today()
    return [person for person in photo.people if is_minor(person, today)]


def without_names(text: str, people: list[Person]) -> str:
    """Return the text with each person's full name, and each part of it, as the wording.

    Parts too: a caption says "Grace at the lathe" as often as her full name. A word that is
    also a name part ("grace") goes too: a lost word costs less than a child's name.
    """
    wording = current_app.config["MINOR_PUBLIC_WORDING"]
    for person in people:
        parts = [re.escape(part) for part in person.name.split() if len(part) > 1]
        if not parts:
            continue
        # The full name first, so it becomes one wording, not one per part.
        pattern = r"\b(?:" + r"\s+".join(parts) + "|" + "|".join(parts) + r")\b"
        text = re.sub(pattern, lambda match: _cased(wording, match), text, flags=re.IGNORECASE)
    return text


def _cased(wording: str, match: re.Match) -> str:
    """Return the wording with a capital where the name began a sentence."""
    before = match.string[: match.start()].rstrip()
    return wording[:1].upper() + wording[1:] if not before or before[-1] in ".!?" else wording

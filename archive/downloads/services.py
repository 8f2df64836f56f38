"""Handing a photo to communications staff: the right size, credit and licence inside the file."""

import re
from datetime import date
from enum import StrEnum

from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from archive.auth.models import User
from archive.consent.models import ConsentScope
from archive.consent.rules import allowed
from archive.core.audit import record_event
from archive.core.database import write_transaction
from archive.downloads.embedding import Credits, credited_jpeg
from archive.downloads.models import DownloadEvent
from archive.extensions import db
from archive.photos.imaging import decode_upright_srgb
from archive.photos.models import DerivativeKind, Photo


class DownloadSize(StrEnum):
    """What comms staff may ask for."""

    DISPLAY = "display"
    LARGE = "large"
    FULL = "full"

    @property
    def label(self) -> str:
        """Return the choice as offered on the download page."""
        return {
            "display": "Web (1600 px)",
            "large": "Large (2560 px)",
            "full": "Full size (location removed)",
        }[self.value]


class DownloadRefused(Exception):
    """The photo may not be handed out; the message says why (without personal detail)."""


def credits_for(photo: Photo, institution: str) -> Credits:
    """Return what travels inside a downloaded file."""
    licence = photo.licence
    return Credits(
        title=photo.display_title,
        description=photo.caption,
        creator=photo.photographer,
        credit_line=licence.credit_line(photo.photographer, institution),
        rights=f"{licence.name}. {licence.credit_line(photo.photographer, institution)}",
        usage_terms=licence.terms,
        licence_url=licence.url,
        alt_text=photo.alt_text,
    )


def download(
    photo: Photo,
    size: DownloadSize,
    *,
    user: User,
    purpose: str,
    institution: str,
    today: date | None = None,
) -> tuple[bytes, str]:
    """Return the credited JPEG and its file name, and record who took it and why."""
    if not allowed(photo, ConsentScope.PRESS, today).allowed:
        raise DownloadRefused("this photo is not cleared for press and social media use")
    if not purpose.strip():
        raise DownloadRefused("say what the photo will be used for")
    data = credited_jpeg(_picture(photo, size), credits_for(photo, institution))
    with write_transaction():
        event = DownloadEvent(user_id=user.id, photo_id=photo.id, size=size.value, purpose=purpose)
        db.session.add(event)
        record_event(user, "photo.downloaded", "photo", photo.id, f"size: {size.value}")
    return data, f"{_slug(photo.display_title)}-{size.value}.jpg"


def _picture(photo: Photo, size: DownloadSize) -> Image.Image:
    # Sized downloads start from the derivative; full size is decoded from the original.
    source = photo if size is DownloadSize.FULL else photo.derivative(DerivativeKind(size.value))
    with source.open() as stored, Image.open(stored) as image:
        return decode_upright_srgb(image, max(source.width, source.height))


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "photo"


def downloads_by(user: User) -> list[DownloadEvent]:
    """Return the user's downloads, newest first."""
    query = (
        select(DownloadEvent)
        .filter_by(user_id=user.id)
        .order_by(DownloadEvent.id.desc())
        .options(selectinload(DownloadEvent.photo))
    )
    return list(db.session.execute(query).scalars())


def downloads_of(photo: Photo) -> list[DownloadEvent]:
    """Return who downloaded the photo, newest first (for admins)."""
    query = (
        select(DownloadEvent)
        .filter_by(photo_id=photo.id)
        .order_by(DownloadEvent.id.desc())
        .options(selectinload(DownloadEvent.user))
    )
    return list(db.session.execute(query).scalars())

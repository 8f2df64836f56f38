"""Handing a photo to communications staff: the right size, credit and licence inside the file."""

from dataclasses import replace
from datetime import date
from enum import StrEnum

from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from archive.auth.access import Action, Viewer, can
from archive.auth.models import User
from archive.consent.models import ConsentScope
from archive.consent.public_names import minors_in, published_texts
from archive.consent.rules import allowed, holds_consent
from archive.core.audit import record_event
from archive.core.database import write_transaction
from archive.core.formatting import camera_time
from archive.core.intake import clean_filename
from archive.downloads.embedding import credited_jpeg
from archive.downloads.models import DownloadEvent
from archive.extensions import db
from archive.photos.blur import full_size_picture
from archive.photos.credits import (
    MODEL_RELEASE_ALL,
    MODEL_RELEASE_NONE,
    MODEL_RELEASE_NOT_APPLICABLE,
    MODEL_RELEASE_SOME,
    Credits,
    photo_credits,
)
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


def credits_for(
    photo: Photo, institution: str, public_url: str, today: date | None = None
) -> Credits:
    """Return what travels inside a file handed out for press and social media use.

    The people named are only those whose consent covers that use, and never anyone under
    18 (nor are they named in the texts); the keywords are the photo's job role and
    department tags (never anyone's EDI answers).
    """
    today = today or date.today()
    released = [
        person for person in photo.people if holds_consent(person, ConsentScope.PRESS, today)
    ]
    minors, texts = minors_in(photo, today), published_texts(photo, today)
    return replace(
        photo_credits(photo.licence, photo.photographer, institution),
        title=texts.title,
        description=texts.caption,
        creator=photo.photographer,
        alt_text=texts.alt_text,
        taken_at=camera_time(photo.taken_at),
        keywords=tuple(tag.label for tag in photo.tags),
        licensor_name=institution,
        licensor_url=public_url,
        people=tuple(person.name for person in released if person not in minors),
        model_release=_model_release(photo, len(released)),
    )


def _model_release(photo: Photo, released: int) -> str:
    """Return the PLUS Model Release Status: how many of the people shown consented."""
    if photo.no_identifiable_people or not photo.people:
        return MODEL_RELEASE_NOT_APPLICABLE
    if released == len(photo.people):
        return MODEL_RELEASE_ALL
    return MODEL_RELEASE_SOME if released else MODEL_RELEASE_NONE


def may_download(user: Viewer, photo: Photo, today: date | None = None) -> bool:
    """Return whether the user may take the photo out: a role that downloads, consent to press."""
    return can(user, Action.DOWNLOAD) and allowed(photo, ConsentScope.PRESS, today).allowed


def download(
    photo: Photo,
    size: DownloadSize,
    *,
    user: User,
    purpose: str,
    institution: str,
    public_url: str,
    today: date | None = None,
) -> tuple[bytes, str]:
    """Return the credited JPEG and its file name (the title's own letters), and record it."""
    refuse_unless_allowed(user, photo, purpose, today)
    data = credited_file(photo, size, institution, public_url, today)
    with write_transaction():
        record_download(photo, size, user=user, purpose=purpose)
    return data, download_name(photo, f"{size.value}.jpg")


def refuse_unless_allowed(user: User, photo: Photo, purpose: str, today: date | None) -> None:
    """Raise DownloadRefused unless the user may take the photo out and said what for."""
    if not may_download(user, photo, today):
        raise DownloadRefused("this photo is not cleared for press and social media use")
    check_purpose(purpose)


def check_purpose(purpose: str) -> None:
    """Refuse a download whose purpose is left blank: every download says what it is for."""
    if not purpose.strip():
        raise DownloadRefused("say what the photo will be used for")


def credited_file(
    photo: Photo, size: DownloadSize, institution: str, public_url: str, today: date | None = None
) -> bytes:
    """Return the photo at the size as the JPEG handed out, its credits inside (not recorded).

    The caller has checked may_download and records the download with record_download.
    """
    return credited_jpeg(_picture(photo, size), credits_for(photo, institution, public_url, today))


def record_download(photo: Photo, size: str, *, user: User, purpose: str) -> None:
    """Add the DownloadEvent and audit event of one photo handed out (a file, or a kit of
    them), inside the caller's write transaction."""
    db.session.add(DownloadEvent(user_id=user.id, photo_id=photo.id, size=size, purpose=purpose))
    record_event(user, "photo.downloaded", "photo", photo.id, f"size: {size}")


def _picture(photo: Photo, size: DownloadSize) -> Image.Image:
    # Sized downloads start from the derivative, already blurred where a curator asked;
    # full size from the original, blurred by full_size_picture.
    if size is DownloadSize.FULL:
        return full_size_picture(photo)
    derivative = photo.derivative(DerivativeKind(size.value))
    with derivative.open() as stored, Image.open(stored) as image:
        return decode_upright_srgb(image, max(derivative.width, derivative.height))


def download_name(photo: Photo, ending: str) -> str:
    """Return the title as published as a file name, then "-" and the ending: every script
    kept, no folders, never a minor's name."""
    title = published_texts(photo).title.replace("/", "-").replace("\\", "-")[:100].strip()
    extension = ending.rsplit(".", 1)[-1]
    return clean_filename(f"{title}-{ending}", fallback=f"photo-{photo.id}.{extension}")


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

"""The download basket: photos a comms user collects, to download together in one zip."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from archive.auth.models import User
from archive.consent.public_names import published_texts
from archive.core.database import write_transaction
from archive.downloads.models import BasketItem
from archive.downloads.services import DownloadRefused, credits_for, may_download
from archive.extensions import db
from archive.licences.models import Licence
from archive.photos.models import Photo


@dataclass(frozen=True)
class BasketLine:
    """A photo in the basket as its page and credits sheet show it."""

    photo: Photo
    title: str  # as published: nobody under 18 named
    credit_line: str


@dataclass(frozen=True)
class Basket:
    """What a basket holds today: the photos still cleared, and those that are not any more."""

    lines: list[BasketLine]
    # Consent withdrawn (or the photo withdrawn) since it was added: named, never handed out.
    left_out: list[BasketLine]

    @property
    def licences(self) -> list[Licence]:
        """Return each licence the cleared photos are under, once, in basket order."""
        return list({line.photo.licence_id: line.photo.licence for line in self.lines}.values())


def add_to_basket(user: User, photo: Photo, today: date | None = None) -> str:
    """Put the photo in the user's basket (once, however often asked); return its title.

    Only a photo the user may download goes in; others raise DownloadRefused.
    """
    if not may_download(user, photo, today):
        raise DownloadRefused("this photo is not cleared for press and social media use")
    title = published_texts(photo, today).title
    with write_transaction():
        if photo.id not in basket_photo_ids(user):
            db.session.add(BasketItem(user_id=user.id, photo_id=photo.id))
    return title


def remove_from_basket(user: User, photo: Photo, today: date | None = None) -> str:
    """Take the photo out of the user's basket if it is there; return its title."""
    title = published_texts(photo, today).title
    with write_transaction():
        db.session.execute(delete(BasketItem).filter_by(user_id=user.id, photo_id=photo.id))
    return title


def basket_photo_ids(user: User) -> set[int]:
    """Return the ids of the photos in the user's basket (for its buttons and count)."""
    query = select(BasketItem.photo_id).filter_by(user_id=user.id)
    return set(db.session.execute(query).scalars())


def basket_of(user: User, institution: str, public_url: str, today: date | None = None) -> Basket:
    """Return the user's basket in the order the photos were added, checked against consent
    today: a photo no longer cleared for press use is in left_out, not lines."""
    query = (
        select(BasketItem)
        .filter_by(user_id=user.id)
        .order_by(BasketItem.added_at, BasketItem.id)
        .options(selectinload(BasketItem.photo))
    )
    lines, left_out = [], []
    for item in db.session.execute(query).scalars():
        photo = item.photo
        if photo.erased:
            continue  # erased: nothing of it is shown anywhere, nor left to download
        if may_download(user, photo, today):
            credit = credits_for(photo, institution, public_url, today).credit_line
            lines.append(BasketLine(photo, published_texts(photo, today).title, credit))
        else:
            left_out.append(BasketLine(photo, published_texts(photo, today).title, ""))
    return Basket(lines, left_out)

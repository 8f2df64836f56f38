"""What visitors see of exhibitions: the published ones, the items shown, the sizes sent."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from archive.consent.public_names import minors_in, without_names
from archive.consent.rules import servable_sizes
from archive.exhibitions.consent import needed_scopes
from archive.exhibitions.models import (
    Exhibition,
    ExhibitionItem,
    ExhibitionStatus,
    Showing,
    Visibility,
)
from archive.extensions import db
from archive.photos.models import Derivative, DerivativeKind, Photo


@dataclass(frozen=True)
class Shown:
    """An item as a visitor sees it, and the sizes of its photo the gallery may send."""

    item: ExhibitionItem
    photo: Photo
    # The texts as published: a minor's name is never among them (consent.public_names).
    title: str
    caption: str
    alt_text: str
    sizes: frozenset[DerivativeKind]

    # A curator's caption or alt text is in the exhibition's language, the photo's own in its.
    @property
    def caption_language(self) -> str:
        """Return the BCP 47 tag of the caption shown, "" when not set."""
        return self.item.exhibition.language if self.item.caption else self.photo.language

    @property
    def alt_language(self) -> str:
        """Return the BCP 47 tag of the alt text shown, "" when not set."""
        return self.item.exhibition.language if self.item.alt_text else self.photo.language


def shown_items(
    exhibition: Exhibition, today: date | None = None, showing: Showing = Showing.ONLINE
) -> list[Shown]:
    """Return the items people see today in the showing: those allowed in its every scope.

    An item whose consent lapsed or was withdrawn drops out on the next request.
    """
    scopes = needed_scopes(exhibition, showing)
    sizes = {
        item.id: servable_sizes(item.photo, gallery_scopes=scopes, today=today)
        for item in exhibition.items
    }
    return [_shown(item, sizes[item.id], today) for item in exhibition.items if sizes[item.id]]


def _shown(item: ExhibitionItem, sizes: frozenset[DerivativeKind], today: date | None) -> Shown:
    minors = minors_in(item.photo, today)
    return Shown(
        item,
        item.photo,
        title=without_names(item.photo.display_title, minors),
        caption=without_names(item.shown_caption, minors),
        alt_text=without_names(item.shown_alt_text, minors),
        sizes=sizes,
    )


def gallery_image(exhibition: Exhibition, sha256: str) -> Derivative | None:
    """Return the derivative with this hash if the gallery may send it, else None.

    Only the sizes shown_items allows, of an item it shows: a gallery is open to everyone
    its visibility lets in, so no viewer's role widens what it sends.
    """
    for shown in shown_items(exhibition):
        for derivative in shown.photo.derivatives:
            if derivative.sha256 == sha256 and derivative.kind in shown.sizes:
                return derivative
    return None


def cover_of(exhibition: Exhibition, today: date | None = None) -> Shown | None:
    """Return the item shown as the cover: the chosen one if visitors see it, else the first."""
    shown = shown_items(exhibition, today)
    chosen = [entry for entry in shown if entry.photo.id == exhibition.cover_photo_id]
    return (chosen or shown or [None])[0]


def lost_items(exhibition: Exhibition, today: date | None = None) -> list[ExhibitionItem]:
    """Return the items of a published exhibition that visitors no longer see."""
    shown = {entry.item.id for entry in shown_items(exhibition, today)}
    return [item for item in exhibition.items if item.id not in shown]


def open_to_anyone(exhibition: Exhibition, key: str | None) -> bool:
    """Return whether anyone with this link may open the exhibition, signed in or not.

    A published public one, or a published unlisted one whose key the link carries; an
    internal one is for staff, a draft for its curators' previews.
    """
    if exhibition.status != ExhibitionStatus.PUBLISHED:
        return False
    if exhibition.visibility is Visibility.UNLISTED:
        return key == exhibition.secret
    return exhibition.visibility is Visibility.PUBLIC


def published(visibility: Visibility = Visibility.PUBLIC) -> list[Exhibition]:
    """Return published exhibitions of the given visibility, newest first."""
    query = (
        select(Exhibition)
        .filter_by(status=ExhibitionStatus.PUBLISHED, visibility=visibility)
        .order_by(Exhibition.published_at.desc(), Exhibition.id.desc())
    )
    return list(db.session.execute(query).scalars())

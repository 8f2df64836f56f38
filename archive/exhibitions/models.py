"""Exhibitions and their ordered items."""

from datetime import datetime
from enum import StrEnum

from markupsafe import Markup
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, event, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from archive.consent.models import ConsentScope
from archive.core.database import NameUse, enum_column, may_name_people
from archive.exhibitions.introduction import render_introduction
from archive.extensions import db
from archive.photos.models import Photo


class Visibility(StrEnum):
    """Who may open an exhibition once it is published."""

    PUBLIC = "public"
    UNLISTED = "unlisted"  # anyone with the secret link
    INTERNAL = "internal"  # logged-in users

    @property
    def scope(self) -> ConsentScope:
        """Return the consent every item must hold to be shown."""
        return ConsentScope.INTERNAL if self is Visibility.INTERNAL else ConsentScope.WEB


class ExhibitionUse(StrEnum):
    """Where an exhibition is shown, which decides the consent its items need."""

    WEB = "web"  # a web gallery
    PHYSICAL = "physical"  # a physical exhibition or kiosk, perhaps also published online
    INTERNAL = "internal"  # an internal gallery for staff

    @property
    def scope(self) -> ConsentScope:
        """Return the consent showing an item this way takes."""
        return _USE_SCOPES[self]


_USE_SCOPES = {
    ExhibitionUse.WEB: ConsentScope.WEB,
    ExhibitionUse.PHYSICAL: ConsentScope.EXHIBITION,
    ExhibitionUse.INTERNAL: ConsentScope.INTERNAL,
}


class Showing(StrEnum):
    """The two ways an exhibition's items reach people, each judged by its own consents."""

    ONLINE = "online"  # the gallery, its images and its IIIF manifest
    PHYSICAL = "physical"  # the kiosk export, shown in a room whatever the web visibility


class ExhibitionStatus(StrEnum):
    """Whether an exhibition can be seen outside the builder."""

    DRAFT = "draft"
    PUBLISHED = "published"


class Exhibition(db.Model):
    """A curated selection of photos with an introduction, shown as a gallery."""

    __tablename__ = "exhibitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True, info=may_name_people(NameUse.KEPT))
    title: Mapped[str] = mapped_column(String(200), info=may_name_people())
    summary: Mapped[str] = mapped_column(Text, default="", info=may_name_people())
    # Markdown, as the curator wrote it
    body: Mapped[str] = mapped_column(Text, default="", info=may_name_people())
    # The body as sanitised HTML, made whenever the body is set (see _body_set): pages and
    # exports show this, so no request formats Markdown. Erasure's redaction assigns the
    # body, so this follows it.
    body_html: Mapped[str] = mapped_column(Text, default="")
    # The BCP 47 tag of the language of the title, summary, introduction and the curator's
    # captions; "": not set.
    language: Mapped[str] = mapped_column(String(35), default="")
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility), default=Visibility.PUBLIC
    )
    use: Mapped[ExhibitionUse] = mapped_column(
        enum_column(ExhibitionUse), default=ExhibitionUse.WEB
    )
    # A curator's own word that the exhibition is about identity, for what the rule,
    # title and summary do not show (see exhibitions.consent.identity_framing).
    about_identity: Mapped[bool] = mapped_column(default=False)
    status: Mapped[ExhibitionStatus] = mapped_column(
        enum_column(ExhibitionStatus), default=ExhibitionStatus.DRAFT
    )
    secret: Mapped[str] = mapped_column(String(64))  # the key of an unlisted link
    cover_photo_id: Mapped[int | None] = mapped_column(ForeignKey("photos.id"))
    # A saved search proposing candidates, e.g. 'gender:woman role:"laboratory technician"'.
    smart_rule: Mapped[str] = mapped_column(
        String(500), default="", info=may_name_people(NameUse.KEPT)
    )
    rule_seen_at: Mapped[datetime | None]  # when a curator last looked at its candidates
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    published_at: Mapped[datetime | None]

    items: Mapped[list["ExhibitionItem"]] = relationship(
        back_populates="exhibition",
        order_by="ExhibitionItem.position",
        cascade="all, delete-orphan",
    )
    cover_photo: Mapped[Photo | None] = relationship()

    @property
    def main_showing(self) -> Showing:
        """Return how the exhibition is chiefly seen: in a room if physical, else online."""
        return Showing.PHYSICAL if self.use is ExhibitionUse.PHYSICAL else Showing.ONLINE

    @property
    def link_key(self) -> str | None:
        """Return the key its links carry: an unlisted exhibition's secret, else None."""
        return self.secret if self.visibility is Visibility.UNLISTED else None

    @property
    def introduction(self) -> Markup:
        """Return the introduction's stored HTML, ready for a page as it is."""
        return Markup(self.body_html)  # noqa: S704 - sanitised when it was saved


@event.listens_for(Exhibition.body, "set")
def _body_set(exhibition: Exhibition, body: str, _old, _initiator) -> None:
    """Make the stored HTML anew whenever the body changes, whoever changes it.

    Curators' edits, erasure redacting a name and scripts all assign the body; none of them
    can leave pages showing the old text. (Limits on what curators may save are checked
    before, by services.set_introduction.)
    """
    exhibition.body_html = render_introduction(body)


class ExhibitionItem(db.Model):
    """A photo in an exhibition, with the curator's own caption and alt text if given."""

    __tablename__ = "exhibition_items"
    __table_args__ = (UniqueConstraint("exhibition_id", "photo_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibition_id: Mapped[int] = mapped_column(ForeignKey("exhibitions.id", ondelete="CASCADE"))
    photo_id: Mapped[int] = mapped_column(ForeignKey("photos.id"))
    position: Mapped[int] = mapped_column(default=0)
    caption: Mapped[str] = mapped_column(Text, default="", info=may_name_people())
    alt_text: Mapped[str] = mapped_column(String(500), default="", info=may_name_people())
    # A heading before this item.
    section: Mapped[str] = mapped_column(String(200), default="", info=may_name_people())

    exhibition: Mapped[Exhibition] = relationship(back_populates="items")
    photo: Mapped[Photo] = relationship()

    @property
    def shown_caption(self) -> str:
        """Return the curator's caption, or the photo's own."""
        return self.caption or self.photo.caption

    @property
    def shown_alt_text(self) -> str:
        """Return the curator's alt text, or the photo's own."""
        return self.alt_text or self.photo.alt_text

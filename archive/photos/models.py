"""Photos, the people and tags on them, their derivatives and the faces found in them."""

from collections.abc import Collection, Iterable
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from archive.auth.models import User
from archive.core.database import enum_column, may_name_people
from archive.extensions import db
from archive.licences.models import Licence
from archive.people.models import Person, Term, Vocabulary
from archive.photos.derivatives import DerivativeKind
from archive.photos.events import Event
from archive.photos.regions import Box
from archive.storage.models import StoredFileMixin


class PhotoStatus(StrEnum):
    """Where a photo is in review; only approved photos can be used anywhere."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


photo_people = Table(
    "photo_people",
    db.Model.metadata,
    Column("photo_id", ForeignKey("photos.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("people.id"), primary_key=True),
)

photo_tags = Table(
    "photo_tags",
    db.Model.metadata,
    Column("photo_id", ForeignKey("photos.id", ondelete="CASCADE"), primary_key=True),
    Column("term_id", ForeignKey("terms.id"), primary_key=True),
)


class Photo(StoredFileMixin, db.Model):
    """One original image file, what is known about it and where it is in review."""

    __tablename__ = "photos"
    __table_args__ = (UniqueConstraint("sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    format: Mapped[str] = mapped_column(String(10))
    width: Mapped[int]
    height: Mapped[int]

    taken_at: Mapped[datetime | None]
    camera_make: Mapped[str] = mapped_column(String(100), default="")
    camera_model: Mapped[str] = mapped_column(String(100), default="")
    lens: Mapped[str] = mapped_column(String(150), default="")
    orientation: Mapped[int] = mapped_column(default=1)
    # GPS is kept for the record and shown to admins only; it never reaches a derivative.
    gps_latitude: Mapped[float | None] = mapped_column(Float)
    gps_longitude: Mapped[float | None] = mapped_column(Float)

    title: Mapped[str] = mapped_column(String(200), default="", info=may_name_people())
    caption: Mapped[str] = mapped_column(Text, default="", info=may_name_people())
    alt_text: Mapped[str] = mapped_column(String(500), default="", info=may_name_people())
    # The BCP 47 tag of the language the title, caption and alt text are in; "": not set.
    language: Mapped[str] = mapped_column(String(35), default="")
    photographer: Mapped[str] = mapped_column(String(200), default="", info=may_name_people())
    licence_id: Mapped[int | None] = mapped_column(ForeignKey("licences.id"))
    no_identifiable_people: Mapped[bool] = mapped_column(default=False)

    status: Mapped[PhotoStatus] = mapped_column(
        enum_column(PhotoStatus), default=PhotoStatus.PENDING, index=True
    )
    review_note: Mapped[str] = mapped_column(Text, default="", info=may_name_people())
    batch_id: Mapped[str | None] = mapped_column(String(32), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    uploaded_at: Mapped[datetime] = mapped_column(server_default=func.now())
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None]
    # Whether the face check ran (photos from before it have not, until `flask faces`), and
    # the curator who confirmed that everyone identifiable among the faces found is tagged.
    faces_checked: Mapped[bool] = mapped_column(default=False)
    faces_confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    faces_confirmed_at: Mapped[datetime | None]
    # Where crops made from the photo centre, as fractions of the upright picture; a curator
    # sets it, and while unset photos.focal decides it from the faces found.
    focal_x: Mapped[float | None] = mapped_column(Float)
    focal_y: Mapped[float | None] = mapped_column(Float)

    licence: Mapped[Licence | None] = relationship()
    event: Mapped[Event | None] = relationship()
    uploaded_by: Mapped[User | None] = relationship(foreign_keys=[uploaded_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
    faces_confirmed_by: Mapped[User | None] = relationship(foreign_keys=[faces_confirmed_by_id])
    people: Mapped[list[Person]] = relationship(secondary=photo_people, order_by=Person.name)
    tags: Mapped[list[Term]] = relationship(secondary=photo_tags, order_by=Term.label)
    derivatives: Mapped[list["Derivative"]] = relationship(
        back_populates="photo", cascade="all, delete-orphan"
    )
    faces: Mapped[list["FaceBox"]] = relationship(
        order_by="FaceBox.number", cascade="all, delete-orphan"
    )
    # What every derivative and the full-size download blur: bystanders who did not consent.
    blur_regions: Mapped[list["BlurRegion"]] = relationship(
        back_populates="photo", cascade="all, delete-orphan", order_by="BlurRegion.id"
    )

    @property
    def erased(self) -> bool:
        """Return whether an admin erased the photo's files (its row stays for the record)."""
        return not self.storage_key

    @property
    def awaiting_review(self) -> bool:
        """Return whether the photo waits for a curator (its uploader may still change it)."""
        return self.status == PhotoStatus.PENDING

    @property
    def display_title(self) -> str:
        """Return the title, or the file name while none has been given."""
        return self.title or self.original_filename or f"Photo {self.id}"

    def term_labels(self, vocabulary: Vocabulary) -> list[str]:
        """Return the labels, sorted, of the photo's tags and its people's terms in a vocabulary.

        Job roles and departments only: never anything of the people's EDI answers. A person
        erased is left out, so nothing of theirs is found or shown.
        """
        labels = {term.label for term in self.tags if term.vocabulary == vocabulary}
        for person in self.people:
            term = person.job_role if vocabulary == Vocabulary.JOB_ROLE else person.department
            if term is not None and person.erased_at is None:
                labels.add(term.label)
        return sorted(labels)

    def derivative(self, kind: DerivativeKind) -> "Derivative":
        """Return the derivative of the given size."""
        return next(d for d in self.derivatives if d.kind == kind)

    def srcset_derivatives(self, kinds: Collection[DerivativeKind]) -> list["Derivative"]:
        """Return the derivatives of these kinds, of distinct widths, smallest first.

        Small originals repeat a width; kinds are the sizes the page's viewer may be sent.
        """
        chosen = sorted((d for d in self.derivatives if d.kind in kinds), key=lambda d: d.width)
        return list({d.width: d for d in chosen}.values())


class Derivative(StoredFileMixin, db.Model):
    """A resized, upright, sRGB JPEG made from a photo, carrying only its credit and rights."""

    __tablename__ = "derivatives"
    # Derivative URLs name the file by its hash, so lookups go by sha256.
    __table_args__ = (UniqueConstraint("photo_id", "kind"), Index(None, "sha256"))

    id: Mapped[int] = mapped_column(primary_key=True)
    photo_id: Mapped[int] = mapped_column(ForeignKey("photos.id", ondelete="CASCADE"))
    kind: Mapped[DerivativeKind] = mapped_column(enum_column(DerivativeKind))
    width: Mapped[int]
    height: Mapped[int]

    photo: Mapped[Photo] = relationship(back_populates="derivatives")


class BoxColumns:
    """A rectangle on the upright picture, stored as a Box: fractions of its width and height."""

    left: Mapped[float] = mapped_column(Float)
    top: Mapped[float] = mapped_column(Float)
    width: Mapped[float] = mapped_column(Float)
    height: Mapped[float] = mapped_column(Float)

    @property
    def box(self) -> Box:
        """Return the rectangle as fractions of the upright picture."""
        return Box(self.left, self.top, self.width, self.height)


class FaceBox(BoxColumns, db.Model):
    """Where the face check found a face on a photo: a rectangle, and nothing of the face."""

    __tablename__ = "face_boxes"
    __table_args__ = (UniqueConstraint("photo_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    photo_id: Mapped[int] = mapped_column(ForeignKey("photos.id", ondelete="CASCADE"))
    number: Mapped[int]  # 1, 2, … in reading order, as the review page labels them

    # The detector's box runs from brow to mouth: hair, ears and chin are recognisable too.
    BLUR_MARGIN = 0.25

    @property
    def blur_box(self) -> Box:
        """Return the region a curator's "Blur face" blurs: the face and what frames it."""
        return self.box.grown(self.BLUR_MARGIN)

    @property
    def where(self) -> str:
        """Return where on the picture the face is, in words: "upper left", "centre"."""
        across, down = self.box.centre
        row = ("upper", "middle", "lower")[min(2, int(down * 3))]
        column = ("left", "centre", "right")[min(2, int(across * 3))]
        if (row, column) == ("middle", "centre"):
            return "centre"
        return f"{row} {column}"


def face_boxes(found: Iterable[Box]) -> list[FaceBox]:
    """Return the rows of the faces found, numbered from 1 in the order given."""
    return [
        FaceBox(number=number, left=box.left, top=box.top, width=box.width, height=box.height)
        for number, box in enumerate(found, start=1)
    ]


class BlurRegion(BoxColumns, db.Model):
    """A part of a photo a curator blurred in every picture made from it; the original keeps it."""

    __tablename__ = "blur_regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    photo_id: Mapped[int] = mapped_column(ForeignKey("photos.id", ondelete="CASCADE"), index=True)
    made_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    made_at: Mapped[datetime] = mapped_column(server_default=func.now())

    photo: Mapped[Photo] = relationship(back_populates="blur_regions")
    made_by: Mapped[User | None] = relationship()

"""People shown in photos, their self-identified EDI attributes, and the vocabularies.

EDI (equality, diversity and inclusion) data is special-category personal data: it is
shown to curators and admins only, and reaches everyone else only as suppressed counts.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from archive.core.database import enum_column
from archive.extensions import db


class Vocabulary(StrEnum):
    """The controlled vocabularies an admin maintains."""

    JOB_ROLE = "job_role"
    DEPARTMENT = "department"

    @property
    def label(self) -> str:
        """Return the vocabulary's name as shown on pages."""
        return {"job_role": "job role", "department": "department"}[self.value]


class Term(db.Model):
    """One entry of a controlled vocabulary, e.g. job role "Laboratory technician"."""

    __tablename__ = "terms"
    __table_args__ = (UniqueConstraint("vocabulary", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vocabulary: Mapped[Vocabulary] = mapped_column(enum_column(Vocabulary))
    label: Mapped[str] = mapped_column(String(120))

    def __str__(self) -> str:
        return self.label


class EdiAttribute(db.Model):
    """A question people may answer about themselves, e.g. gender; admins add more."""

    __tablename__ = "edi_attributes"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    label: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)

    options: Mapped[list["EdiOption"]] = relationship(
        back_populates="attribute", order_by="EdiOption.position", cascade="all, delete-orphan"
    )

    def __str__(self) -> str:
        return self.label


PREFER_NOT_TO_SAY = "Prefer not to say"


class EdiOption(db.Model):
    """One answer to an EDI question; every question offers "Prefer not to say"."""

    __tablename__ = "edi_options"
    __table_args__ = (UniqueConstraint("attribute_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attribute_id: Mapped[int] = mapped_column(ForeignKey("edi_attributes.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)

    attribute: Mapped[EdiAttribute] = relationship(back_populates="options")

    def __str__(self) -> str:
        return self.label


class PersonEdi(db.Model):
    """A person's own answer to one EDI question: an option, a self-description, or both."""

    __tablename__ = "person_edi"
    __table_args__ = (UniqueConstraint("person_id", "attribute_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    attribute_id: Mapped[int] = mapped_column(ForeignKey("edi_attributes.id", ondelete="CASCADE"))
    option_id: Mapped[int | None] = mapped_column(ForeignKey("edi_options.id", ondelete="SET NULL"))
    self_description: Mapped[str] = mapped_column(Text, default="")

    attribute: Mapped[EdiAttribute] = relationship()
    option: Mapped[EdiOption | None] = relationship()


class Person(db.Model):
    """A technician (or anyone) who appears in photos and signs consent forms."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), default="")
    job_role_id: Mapped[int | None] = mapped_column(ForeignKey("terms.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("terms.id"))
    # Set when an admin erases the person: name, contact and EDI are gone, the row stays
    # so that photos and the audit log still point somewhere.
    erased_at: Mapped[datetime | None]
    # Carried in each personal consent link; raising it ends every link issued before.
    consent_link_version: Mapped[int] = mapped_column(default=0)
    # Either tells the archive the person is a child (consent.minors): the date of birth
    # when it is known, which also says when they turn 18; otherwise the flag.
    born_on: Mapped[date | None]
    under_18: Mapped[bool] = mapped_column(default=False)

    job_role: Mapped[Term | None] = relationship(foreign_keys=[job_role_id])
    department: Mapped[Term | None] = relationship(foreign_keys=[department_id])
    # Named by string: consent sits above people in the package order (docs/architecture.md),
    # so people may not import it; SQLAlchemy resolves the name once both are mapped.
    consent_forms: Mapped[list["ConsentForm"]] = relationship(  # noqa: F821
        back_populates="person", order_by="ConsentForm.signed_on"
    )
    edi: Mapped[list[PersonEdi]] = relationship(cascade="all, delete-orphan")

    def edi_answer(self, attribute: EdiAttribute) -> PersonEdi | None:
        """Return the person's answer to an EDI question, if they gave one."""
        return next((answer for answer in self.edi if answer.attribute_id == attribute.id), None)

    def __str__(self) -> str:
        return self.name

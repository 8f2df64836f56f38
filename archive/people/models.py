"""Person records and the vocabularies (job roles, departments) used to tag them and photos."""

from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from archive.database import enum_column
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


class Person(db.Model):
    """A technician (or anyone) who appears in photos and signs consent forms."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    job_role_id: Mapped[int | None] = mapped_column(ForeignKey("terms.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("terms.id"))

    job_role: Mapped[Term | None] = relationship(foreign_keys=[job_role_id])
    department: Mapped[Term | None] = relationship(foreign_keys=[department_id])
    consent_forms: Mapped[list["ConsentForm"]] = relationship(  # noqa: F821
        back_populates="person", order_by="ConsentForm.signed_on"
    )

    def __str__(self) -> str:
        return self.name

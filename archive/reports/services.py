"""Counting people and approved photos by job role, department and EDI answer.

A photo someone shown has withdrawn from is counted nowhere, as if it were not approved.

Counts from 1 to 4 could identify someone, so they leave this module only as
"fewer than 5": the page and the CSV both read the suppressed figures from here. The
photo count of a group of fewer than 5 people is suppressed as well, whatever its size.
"""

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from archive.consent.rules import is_withdrawn
from archive.csv_export import spreadsheet_csv
from archive.extensions import db
from archive.people.edi import edi_attributes
from archive.people.models import Person
from archive.photos.models import Photo, PhotoStatus

SUPPRESS_BELOW = 5
FEWER_THAN = f"fewer than {SUPPRESS_BELOW}"
NOT_ANSWERED = "Not answered"


def suppressed(count: int) -> int | str:
    """Return the count, or "fewer than 5" for counts from 1 to 4."""
    return FEWER_THAN if 0 < count < SUPPRESS_BELOW else count


@dataclass(frozen=True)
class Row:
    """One category: how many people, and how many approved photos show at least one of them."""

    label: str
    people: int | str
    photos: int | str
    people_share: float  # 0–1 of the largest shown count, for the bar; 0 when suppressed


@dataclass(frozen=True)
class Table:
    """The breakdown of one characteristic."""

    title: str
    rows: list[Row]


def representation(photo_ids: list[int] | None = None) -> list[Table]:
    """Return the breakdown by job role, department and each EDI question.

    For the whole archive, or, given photo ids (an exhibition's), for those photos and
    the people shown in them.
    """
    photo_query = select(Photo).where(Photo.status == PhotoStatus.APPROVED)
    if photo_ids is not None:
        photo_query = photo_query.where(Photo.id.in_(photo_ids))
    loaded = photo_query.options(selectinload(Photo.people).selectinload(Person.consent_forms))
    # DESIGN rule 2: no count takes in a withdrawn photo.
    photos = [photo for photo in db.session.execute(loaded).scalars() if not is_withdrawn(photo)]
    person_query = select(Person).where(Person.erased_at.is_(None))
    if photo_ids is not None:
        person_query = person_query.where(
            Person.id.in_({person.id for photo in photos for person in photo.people})
        )
    people = list(
        db.session.execute(
            person_query.options(
                selectinload(Person.edi),
                selectinload(Person.job_role),
                selectinload(Person.department),
            )
        ).scalars()
    )
    characteristics = [
        ("Job role", lambda p: p.job_role.label if p.job_role else NOT_ANSWERED, []),
        ("Department", lambda p: p.department.label if p.department else NOT_ANSWERED, []),
    ]
    for attribute in edi_attributes():
        options = [option.label for option in attribute.options]
        characteristics.append((attribute.label, _answer_of(attribute), options))
    return [
        _table(title, category, known, people, photos) for title, category, known in characteristics
    ]


def tables_csv(tables: list[Table]) -> bytes:
    """Return the tables' suppressed figures as one CSV, safe to open in a spreadsheet."""
    header = ["characteristic", "category", "people", "approved photos"]
    rows = (
        [table.title, row.label, row.people, row.photos] for table in tables for row in table.rows
    )
    return spreadsheet_csv(header, rows)


def _answer_of(attribute):
    def category(person: Person) -> str:
        answer = person.edi_answer(attribute)
        if answer is None:
            return NOT_ANSWERED
        return answer.option.label if answer.option else "Self-described"

    return category


def _table(
    title: str, category, known: list[str], people: list[Person], photos: list[Photo]
) -> Table:
    people_counts = Counter(dict.fromkeys(known, 0))
    people_counts.update(category(person) for person in people)
    photo_counts = Counter(
        label for photo in photos for label in {category(person) for person in photo.people}
    )
    shown_max = max(
        (count for count in people_counts.values() if count >= SUPPRESS_BELOW), default=1
    )
    rows = [
        Row(
            label=label,
            people=suppressed(count),
            # A group too small to show hides its photo count too, or the two together
            # could point to the one or two people in it.
            photos=suppressed(photo_counts.get(label, 0))
            if count >= SUPPRESS_BELOW or count == 0
            else FEWER_THAN,
            people_share=count / shown_max if count >= SUPPRESS_BELOW else 0.0,
        )
        for label, count in sorted(people_counts.items(), key=_order)
    ]
    return Table(title, rows)


def _order(item: tuple[str, int]) -> tuple:
    # Largest shown counts first; suppressed ones after, alphabetically, so that their
    # order does not hint at which is larger.
    label, count = item
    shown = count >= SUPPRESS_BELOW or count == 0
    return (not shown, -count if shown else 0, label)

"""Vocabularies and person records."""

from sqlalchemy import select

from archive.database import write_transaction
from archive.extensions import db
from archive.people.models import Person, Term, Vocabulary

DEFAULT_TERMS = {
    Vocabulary.JOB_ROLE: [
        "Apprentice",
        "Engineering technician",
        "Laboratory technician",
        "Research technician",
        "Teaching technician",
        "Workshop technician",
        "IT technician",
        "Technical manager",
        "Imaging specialist",
        "Glassblower",
    ],
    Vocabulary.DEPARTMENT: [
        "Chemistry",
        "Physics",
        "Biosciences",
        "Engineering",
        "Earth sciences",
        "Medicine",
        "Psychology",
        "Fine art",
        "Music",
        "Computer science",
    ],
}


def terms(vocabulary: Vocabulary) -> list[Term]:
    """Return the vocabulary's terms in alphabetical order."""
    return list(
        db.session.execute(
            select(Term).filter_by(vocabulary=vocabulary).order_by(Term.label)
        ).scalars()
    )


def ensure_default_terms() -> int:
    """Add the default job roles and departments that are missing; return how many were added."""
    added = 0
    with write_transaction():
        existing = {(t.vocabulary, t.label) for t in db.session.execute(select(Term)).scalars()}
        for vocabulary, labels in DEFAULT_TERMS.items():
            for label in labels:
                if (vocabulary, label) not in existing:
                    db.session.add(Term(vocabulary=vocabulary, label=label))
                    added += 1
    return added


def all_people() -> list[Person]:
    """Return every person, by name."""
    return list(db.session.execute(select(Person).order_by(Person.name)).scalars())

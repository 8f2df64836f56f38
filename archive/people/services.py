"""Vocabularies and person records."""

from datetime import date

from sqlalchemy import select

from archive.auth.models import User
from archive.core.audit import record_event
from archive.core.database import write_transaction
from archive.extensions import db
from archive.people.edi import Answers, set_answers
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
    """Return every person not erased, by name."""
    query = select(Person).where(Person.erased_at.is_(None)).order_by(Person.name)
    return list(db.session.execute(query).scalars())


def save_person(
    person: Person,
    *,
    name: str,
    email: str,
    job_role_id: int | None,
    department_id: int | None,
    answers: Answers,
    actor: User,
    born_on: date | None = None,
    under_18: bool = False,
) -> Person:
    """Create or update a person record with their EDI answers; one audit event per change.

    A change of EDI answers is recorded as person.edi_edited (never what they are), and
    then stands for the whole save: what the audit must show of special-category data is
    that it changed. Otherwise a new person is person.created and a changed record
    person.edited; saving what was there already records nothing.
    """
    # A birth date says it all: the flag is for when none is known.
    under_18 = under_18 and born_on is None
    record = {
        "name": name.strip(),
        "email": email.strip(),
        "job_role_id": job_role_id or None,
        "department_id": department_id or None,
        "born_on": born_on,
        "under_18": under_18,
    }
    created = person.id is None
    changed = created or any(getattr(person, key) != value for key, value in record.items())
    with write_transaction():
        for key, value in record.items():
            setattr(person, key, value)
        db.session.add(person)
        db.session.flush()  # a new person needs an id for the audit event
        if not set_answers(person, answers, actor) and changed:
            action = "person.created" if created else "person.edited"
            record_event(actor, action, "person", person.id)
    return person

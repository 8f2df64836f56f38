"""A small archive to search, indexed through the change queue."""

from datetime import date, datetime

import pytest

from archive.extensions import db
from archive.people.edi import edi_attributes, set_answers
from archive.people.models import Term, Vocabulary
from archive.photos.models import PhotoStatus
from archive.search.index import apply_pending_changes


def term(vocabulary, label) -> Term:
    return db.session.execute(
        db.select(Term).filter_by(vocabulary=vocabulary, label=label)
    ).scalar_one()


@pytest.fixture
def archive(make_user, make_person, make_photo):
    """Photos cleared for different uses, with roles, years, licences and an EDI answer."""
    make_user("curator")
    everyone = make_person("Priya Raman", scopes=["internal", "exhibition", "web", "press"])
    everyone.job_role = term(Vocabulary.JOB_ROLE, "Laboratory technician")
    everyone.department = term(Vocabulary.DEPARTMENT, "Chemistry")
    gender = next(a for a in edi_attributes() if a.key == "gender")
    with db.session.begin_nested():
        set_answers(
            everyone,
            {gender.id: (next(o.id for o in gender.options if o.label == "Woman"), "")},
            None,
        )
    internal_only = make_person("Tom Gallagher", scopes=["internal"])
    internal_only.job_role = term(Vocabulary.JOB_ROLE, "Workshop technician")
    db.session.commit()

    def photo(title, caption, people, year, licence="INST-USE", status=PhotoStatus.APPROVED):
        made = make_photo(
            people=people,
            title=title,
            caption=caption,
            alt_text=f"Photo: {title}",
            licence=licence,
            status=status,
        )
        made.taken_at = datetime(year, 6, 1, 10, 0)
        db.session.commit()
        return made

    photos = {
        "spectrometer": photo(
            "Calibrating the mass spectrometer",
            "Priya calibrates the mass spectrometer before the technicians' training week.",
            [everyone],
            2021,
        ),
        "welding": photo(
            "Apprentice welding",
            "A technician welds a steel frame in the workshop.",
            [internal_only],
            2019,
            licence="CC-BY-4.0",
        ),
        "lathe": photo(
            "Lathe work", "Brass turned on the lathe for a physics experiment.", [], 2023
        ),
        "pending": photo(
            "Spectrometer pending",
            "A mass spectrometer awaiting review.",
            [],
            2022,
            status=PhotoStatus.PENDING,
        ),
    }
    apply_pending_changes()
    return photos


@pytest.fixture
def today():
    return date.today()

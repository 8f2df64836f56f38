"""The licences photos are offered under."""

from sqlalchemy import select

from archive.database import write_transaction
from archive.extensions import db
from archive.rights.models import Licence

DEFAULT_LICENCES = [
    {
        "code": "INST-USE",
        "name": "Institution internal and promotional use",
        "terms": "May be used by the institution in its own internal and promotional "
        "material, printed or online, with the credit line. Not for third parties.",
        "credit_template": "Photo: {photographer} / {institution}",
    },
    {
        "code": "CC-BY-4.0",
        "name": "Creative Commons Attribution 4.0",
        "terms": "Anyone may share and adapt the photo for any purpose, giving credit.",
        "url": "https://creativecommons.org/licenses/by/4.0/",
        "credit_template": "Photo: {photographer} / {institution}, CC BY 4.0",
    },
    {
        "code": "CC-BY-NC-4.0",
        "name": "Creative Commons Attribution-NonCommercial 4.0",
        "terms": "Anyone may share and adapt the photo for non-commercial purposes, giving credit.",
        "url": "https://creativecommons.org/licenses/by-nc/4.0/",
        "credit_template": "Photo: {photographer} / {institution}, CC BY-NC 4.0",
    },
    {
        "code": "ARR",
        "name": "All rights reserved",
        "terms": "No use without written permission from the rights holder.",
        "credit_template": "© {photographer}. All rights reserved.",
    },
]


def all_licences() -> list[Licence]:
    """Return every licence, by name."""
    return list(db.session.execute(select(Licence).order_by(Licence.name)).scalars())


def licence_by_code(code: str) -> Licence | None:
    """Return the licence with this code, if there is one."""
    return db.session.execute(select(Licence).filter_by(code=code)).scalar_one_or_none()


def ensure_default_licences() -> int:
    """Add the default licences that are missing; return how many were added."""
    existing = {licence.code for licence in all_licences()}
    missing = [Licence(**fields) for fields in DEFAULT_LICENCES if fields["code"] not in existing]
    with write_transaction():
        db.session.add_all(missing)
    return len(missing)

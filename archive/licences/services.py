"""The licences photos are offered under."""

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from archive.auth.models import User
from archive.core.audit import record_event
from archive.core.database import write_transaction
from archive.core.signals import licence_changed
from archive.extensions import db
from archive.licences.models import Licence

#: What an admin may set on a licence.
LICENCE_FIELDS = ("code", "name", "terms", "url", "credit_template", "ends_on")

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


class LicenceError(Exception):
    """A licence could not be saved; the message says why."""


def save_licence(licence: Licence | None, fields: dict, by: User) -> Licence:
    """Add a licence (licence None) or edit one, audited; raise LicenceError on a taken code."""
    target = licence or Licence()
    changed = [name for name in LICENCE_FIELDS if getattr(target, name) != fields[name]]
    try:
        with write_transaction():
            for name in LICENCE_FIELDS:
                setattr(target, name, fields[name])
            db.session.add(target)
            db.session.flush()  # a new licence gets its id, and a taken code fails, here
            if licence is None:
                record_event(by, "licence.created", "licence", target.id, detail=target.code)
            elif changed:
                detail = "changed: " + ", ".join(changed)
                record_event(by, "licence.edited", "licence", target.id, detail=detail)
    except IntegrityError:
        raise LicenceError(f"another licence already has the code {fields['code']}") from None
    # Neither the code nor the last day is written inside the images.
    if licence is not None and set(changed) - {"code", "ends_on"}:
        licence_changed.send(target)  # what its photos' images say of it has changed
    return target


def ensure_default_licences() -> int:
    """Add the default licences that are missing; return how many were added."""
    existing = {licence.code for licence in all_licences()}
    missing = [Licence(**fields) for fields in DEFAULT_LICENCES if fields["code"] not in existing]
    with write_transaction():
        db.session.add_all(missing)
    return len(missing)


def licences_ending(days: int, today: date) -> list[Licence]:
    """Return the licences whose last day of use is within `days` from today, soonest first."""
    query = select(Licence).where(
        Licence.ends_on >= today, Licence.ends_on <= today + timedelta(days=days)
    )
    return list(db.session.execute(query.order_by(Licence.ends_on, Licence.name)).scalars())

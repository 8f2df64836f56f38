"""What a person under 18 needs for their consent to count: the part of the gate for children.

A child's consent is signed by a parent or guardian, and reaches the public web only if the
guardian ticked it. When the child turns 18 that consent is kept for CONSENT_ADULT_GRACE_DAYS
and then lapses: judged against the day asked about, so nothing has to run on the day.
They confirm it by giving consent themselves, through their own link or on a paper form
they sign: a form signed at 18 or over is theirs and never lapses. consent.rules asks this
module; nothing else should.
"""

from datetime import date, timedelta
from typing import NamedTuple

from flask import current_app
from sqlalchemy import and_, or_

from archive.consent.models import ConsentForm, ConsentScope
from archive.core.database import years_after
from archive.core.formatting import format_day
from archive.people.models import Person

ADULT_AGE = 18


class Guardian(NamedTuple):
    """The parent or guardian who signed a child's consent form, as written on it."""

    name: str
    relationship: str
    contact: str
    allows_web: bool = False


def turns_18_on(person: Person) -> date | None:
    """Return the person's 18th birthday (29 February: 1 March), None without a birth date."""
    born = person.born_on
    if born is None:
        return None
    if (born.month, born.day) == (2, 29):
        return date(born.year + ADULT_AGE, 3, 1)
    return born.replace(year=born.year + ADULT_AGE)


def is_minor(person: Person, on: date) -> bool:
    """Return whether the person is under 18 on the day: by birth date if known, else the flag."""
    adult_on = turns_18_on(person)
    return person.under_18 if adult_on is None else on < adult_on


def has_guardian(form: ConsentForm) -> bool:
    """Return whether the form names its parent or guardian, how they are related and reached."""
    return all((form.guardian_name, form.guardian_relationship, form.guardian_contact))


def lapses_on(form: ConsentForm) -> date | None:
    """Return the first day a guardian's consent no longer counts, None if it never lapses."""
    adult_on = turns_18_on(form.person)
    if adult_on is None or form.signed_on >= adult_on:
        return None
    return adult_on + timedelta(days=current_app.config["CONSENT_ADULT_GRACE_DAYS"])


def minor_refusal(form: ConsentForm, scope: ConsentScope, today: date) -> str:
    """Return why the signed form does not grant the scope today to a child, "" if it may."""
    person = form.person
    minor_today = is_minor(person, today)
    if not (minor_today or is_minor(person, form.signed_on)):
        return ""
    was = "is" if minor_today else "was"
    if not has_guardian(form):
        return f"{person.name} {was} under 18: the consent needs a parent or guardian's signature"
    if scope is ConsentScope.WEB and not form.guardian_allows_web:
        return (
            f"{person.name} {was} under 18: their parent or guardian did not agree to "
            f"{scope.label.lower()}"
        )
    lapse = lapses_on(form)
    if lapse is not None and today >= lapse:
        return (
            f"{person.name} turned 18 on {format_day(turns_18_on(person))}: the consent a "
            f"parent or guardian gave lapsed on {format_day(lapse)}, and they have not "
            "confirmed it themselves"
        )
    return ""


def last_day(form: ConsentForm) -> date:
    """Return the last day the form can count, a guardian's consent lapsing included."""
    lapse = lapses_on(form)
    end = form.last_valid_day()
    return end if lapse is None else min(end, lapse - timedelta(days=1))


def counts_for_a_minor_sql(today: date):
    """Return an SQL condition, over ConsentForm and its Person, true where minor_refusal
    leaves the form some use it grants today."""
    adult_on = years_after(Person.born_on, ADULT_AGE)
    grace = timedelta(days=current_app.config["CONSENT_ADULT_GRACE_DAYS"])
    adult_throughout = or_(
        and_(Person.born_on.is_(None), Person.under_18.is_(False)),
        and_(adult_on <= ConsentForm.signed_on, adult_on <= today),
    )
    guardian_named = and_(
        ConsentForm.guardian_name != "",
        ConsentForm.guardian_relationship != "",
        ConsentForm.guardian_contact != "",
    )
    not_lapsed = or_(
        Person.born_on.is_(None), adult_on <= ConsentForm.signed_on, adult_on > today - grace
    )
    return or_(
        adult_throughout,
        and_(
            guardian_named,
            not_lapsed,
            or_(ConsentForm.scope_codes != ConsentScope.WEB.value, ConsentForm.guardian_allows_web),
        ),
    )

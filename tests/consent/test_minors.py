"""Under-18s: a guardian signs, the web needs its own tick, and the consent lapses at 18 + grace."""

import io
from datetime import date, timedelta

import pytest

from archive.catalogue.review_queue import _missing_consent
from archive.consent.erasure import erase_person
from archive.consent.link import give_consent
from archive.consent.models import ConsentScope
from archive.consent.rules import allowed, has_current_consent
from archive.extensions import db
from archive.photos.models import Photo, PhotoStatus
from tests.consent.test_audit import pdf

TODAY = date(2026, 11, 23)
EVERY_SCOPE = [scope.value for scope in ConsentScope]
GUARDIAN = {
    "guardian_name": "Ruth Okafor",
    "guardian_relationship": "Mother",
    "guardian_contact": "ruth.okafor@example.org",
}


@pytest.fixture
def minor(make_user, make_person):
    """Grace, 15 today, with a consent form for every use signed last year."""
    make_user("curator")

    def make(**form_fields):
        person = make_person("Grace Okafor", scopes=EVERY_SCOPE, signed_on=date(2025, 9, 1))
        person.born_on = date(2011, 3, 14)
        for name, value in form_fields.items():
            setattr(person.consent_forms[0], name, value)
        db.session.commit()
        return person

    return make


def test_a_minors_consent_without_a_guardian_is_no_consent_for_any_use(minor, make_photo):
    grace = minor()
    photo = make_photo(people=[grace], status=PhotoStatus.APPROVED)
    for scope in ConsentScope:
        assert allowed(photo, scope, TODAY) == (
            False,
            "Grace Okafor is under 18: the consent needs a parent or guardian's signature",
        )
    assert not has_current_consent(grace, TODAY)
    assert _queue_lacks_consent(photo, TODAY)


def test_the_under_18_flag_without_a_birth_date_needs_a_guardian_too(make_user, make_person):
    make_user("curator")
    person = make_person("Sam Reid", scopes=["internal"])
    assert has_current_consent(person, TODAY)
    person.under_18 = True
    db.session.commit()
    assert not has_current_consent(person, TODAY)


def test_with_a_guardian_the_uses_agreed_but_the_web_only_with_its_own_tick(minor, make_photo):
    grace = minor(**GUARDIAN)
    photo = make_photo(people=[grace], status=PhotoStatus.APPROVED)
    for scope in ConsentScope:
        if scope is not ConsentScope.WEB:
            assert allowed(photo, scope, TODAY).allowed, scope
    assert allowed(photo, ConsentScope.WEB, TODAY) == (
        False,
        "Grace Okafor is under 18: their parent or guardian did not agree to public web galleries",
    )
    grace.consent_forms[0].guardian_allows_web = True
    db.session.commit()
    assert allowed(photo, ConsentScope.WEB, TODAY).allowed
    assert not _queue_lacks_consent(photo, TODAY)


def test_at_18_plus_the_grace_period_an_unconfirmed_guardian_consent_lapses(app, minor, make_photo):
    grace = minor(**GUARDIAN)
    photo = make_photo(people=[grace], status=PhotoStatus.APPROVED)
    lapses_on = date(2029, 3, 14) + timedelta(days=app.config["CONSENT_ADULT_GRACE_DAYS"])
    assert app.config["CONSENT_ADULT_GRACE_DAYS"] == 90
    last_day = lapses_on - timedelta(days=1)
    assert allowed(photo, ConsentScope.INTERNAL, last_day).allowed
    assert not _queue_lacks_consent(photo, last_day)
    assert allowed(photo, ConsentScope.INTERNAL, lapses_on) == (
        False,
        "Grace Okafor turned 18 on 14 March 2029: the consent a parent or guardian gave lapsed "
        "on 12 June 2029, and they have not confirmed it themselves",
    )
    assert not has_current_consent(grace, lapses_on)
    assert _queue_lacks_consent(photo, lapses_on)


def test_consent_confirmed_through_their_own_link_at_18_does_not_lapse(app, minor, make_photo):
    grace = minor(**GUARDIAN)
    photo = make_photo(people=[grace], status=PhotoStatus.APPROVED)
    give_consent(
        grace,
        scopes={ConsentScope.INTERNAL},
        typed_name="Grace Okafor",
        answers={},
        today=date(2029, 4, 1),  # 18 since 14 March, inside the grace period
    )
    long_after = date(2029, 3, 14) + timedelta(days=app.config["CONSENT_ADULT_GRACE_DAYS"] + 30)
    assert allowed(photo, ConsentScope.INTERNAL, long_after).allowed
    assert has_current_consent(grace, long_after)
    assert not _queue_lacks_consent(photo, long_after)


def _queue_lacks_consent(photo: Photo, today: date) -> bool:
    """Return whether the review queue's "missing consent" filter lists the photo."""
    query = db.select(Photo.id).where(Photo.id == photo.id, _missing_consent(today))
    return db.session.execute(query).scalar() is not None


def test_a_curator_records_a_birth_date_and_a_guardians_paper_form(
    client, login, make_user, make_person, make_photo
):
    login(make_user("curator"))
    grace = make_person("Grace Okafor")
    photo = make_photo(people=[grace], status=PhotoStatus.APPROVED)
    page = client.get(f"/people/{grace.id}").get_data(as_text=True)
    assert "Date of birth" in page and "Parent or guardian&#39;s name" in page
    response = client.post(
        f"/people/{grace.id}", data={"name": "Grace Okafor", "born_on": "2011-03-14"}
    )
    assert response.status_code == 302
    assert grace.born_on == date(2011, 3, 14)

    form = {
        "consent-file": (io.BytesIO(pdf()), "grace.pdf"),
        "consent-scopes": ["internal", "web"],
        "consent-signed_on": "2026-01-10",
        "consent-guardian_name": "Ruth Okafor",
    }
    response = client.post(f"/people/{grace.id}/consent", data=form)
    assert response.status_code == 422
    assert "name, relationship and contact, or leave all three blank" in response.get_data(
        as_text=True
    )
    assert not grace.consent_forms  # nothing half-stored

    form["consent-file"] = (io.BytesIO(pdf()), "grace.pdf")
    form["consent-guardian_relationship"] = "Mother"
    form["consent-guardian_contact"] = "ruth.okafor@example.org"
    assert client.post(f"/people/{grace.id}/consent", data=form).status_code == 302
    assert allowed(photo, ConsentScope.INTERNAL, TODAY).allowed
    assert not allowed(photo, ConsentScope.WEB, TODAY).allowed  # no separate web tick


def test_erasing_a_child_forgets_their_birth_date_and_their_guardian(minor, make_user):
    grace = minor(**GUARDIAN)
    erase_person(grace, by=make_user("admin"), delete_originals=False)
    [form] = grace.consent_forms
    assert grace.born_on is None
    assert (form.guardian_name, form.guardian_relationship, form.guardian_contact) == ("", "", "")


@pytest.mark.parametrize(("day", "counts"), [(date(2026, 2, 28), False), (date(2026, 3, 1), True)])
def test_born_on_29_february_they_turn_18_on_1_march_in_python_and_in_sql(
    make_user, make_person, make_photo, day, counts
):
    make_user("curator")
    person = make_person("Leap Year", scopes=["internal"], signed_on=day)
    person.born_on = date(2008, 2, 29)
    db.session.commit()
    photo = make_photo(people=[person], status=PhotoStatus.APPROVED)
    assert has_current_consent(person, day) is counts
    assert _queue_lacks_consent(photo, day) is not counts

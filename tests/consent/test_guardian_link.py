"""A child's personal link is answered by their guardian; at 18 they are asked to confirm it."""

from datetime import date, timedelta

import pytest

from archive.consent.link import LinkError, give_consent, issue_link
from archive.consent.minors import Guardian
from archive.consent.models import ConsentScope
from archive.consent.rules import allowed
from archive.extensions import db
from archive.photos.models import PhotoStatus
from tests.consent.consent_mail_helpers import consent_path, notify, with_address_and_edi
from tests.fixtures.mail import Mail

TODAY = date.today()
GUARDIAN = {
    "guardian_name": "Ruth Okafor",
    "guardian_relationship": "Mother",
    "guardian_contact": "ruth.okafor@example.org",
    "is_guardian": "y",
}


@pytest.fixture
def child(make_user, make_person, make_photo):
    """Grace, 15, in an approved photo, with no consent yet, and her link."""
    curator = make_user("curator")
    grace = make_person("Grace Okafor")
    grace.born_on = TODAY.replace(year=TODAY.year - 15) - timedelta(days=30)
    db.session.commit()
    photo = make_photo(people=[grace], status=PhotoStatus.APPROVED, title="At the lathe")
    return grace, photo, issue_link(grace, curator)


def test_a_childs_link_is_addressed_to_their_guardian_and_asks_nothing_about_identity(
    client, child
):
    _, _, token = child
    page = client.get(f"/my-consent/{token}").get_data(as_text=True)
    assert "For the parent or guardian of Grace Okafor" in page
    assert "Your relationship to the child" in page and "legal guardian" in page
    assert "About you" not in page and "Hello Grace" not in page  # no EDI question for a child


def test_the_guardians_answer_is_recorded_as_theirs_with_the_web_only_if_ticked(client, child):
    grace, photo, token = child
    response = client.post(f"/my-consent/{token}", data={"scopes": ["internal", "web"]})
    assert response.status_code == 422
    assert "Type your full name: it signs this answer." in response.get_data(as_text=True)
    assert not grace.consent_forms  # nothing half-stored

    without_tick = {**GUARDIAN, "is_guardian": ""}
    response = client.post(f"/my-consent/{token}", data={"scopes": ["web"], **without_tick})
    assert response.status_code == 422
    assert "Only a parent or legal guardian may answer for a child." in response.get_data(
        as_text=True
    )

    client.post(f"/my-consent/{token}", data={"scopes": ["internal"], **GUARDIAN})
    db.session.expire_all()
    [form] = grace.consent_forms
    assert (form.guardian_name, form.guardian_relationship, form.guardian_contact) == (
        "Ruth Okafor",
        "Mother",
        "ruth.okafor@example.org",
    )
    assert allowed(photo, ConsentScope.INTERNAL).allowed
    assert not allowed(photo, ConsentScope.WEB).allowed
    assert form.source == "self-service"

    client.post(f"/my-consent/{token}", data={"scopes": ["internal", "web"], **GUARDIAN})
    db.session.expire_all()
    assert allowed(photo, ConsentScope.WEB).allowed  # ticked by the guardian themselves


def test_a_guardian_cannot_answer_for_someone_who_is_18(make_user, make_person):
    make_user("curator")
    adult = make_person("Sam Reid")
    adult.born_on = date(2000, 1, 1)
    db.session.commit()
    guardian = Guardian("Ruth Reid", "Mother", "ruth@example.org", allows_web=True)
    with pytest.raises(LinkError, match="is 18 now and answers for themselves"):
        give_consent(
            adult, scopes={ConsentScope.WEB}, typed_name="Ruth Reid", answers={}, guardian=guardian
        )
    child = make_person("Ben Reid")
    child.under_18 = True
    db.session.commit()
    with pytest.raises(LinkError, match="under 18: a parent or guardian answers for them"):
        give_consent(child, scopes={ConsentScope.WEB}, typed_name="Ben Reid", answers={})
    assert not adult.consent_forms and not child.consent_forms


def _guardians_consent(make_person, born_on: date, signed_on: date):
    person = make_person("Grace Okafor", scopes=["internal", "web"], signed_on=signed_on)
    person.born_on = born_on
    form = person.consent_forms[0]
    form.guardian_name, form.guardian_relationship = "Ruth Okafor", "Mother"
    form.guardian_contact, form.guardian_allows_web = "ruth.okafor@example.org", True
    db.session.commit()
    return with_address_and_edi(person, "grace@example.org")


def test_at_18_the_person_is_mailed_their_own_link_once_then_reminded_before_it_lapses(
    app, client, runner, mail, make_user, make_person
):
    make_user("curator")
    birthday = date(2026, 3, 14)
    grace = _guardians_consent(make_person, date(2008, 3, 14), signed_on=date(2025, 9, 1))
    lapses_on = birthday + timedelta(days=app.config["CONSENT_ADULT_GRACE_DAYS"])

    assert "adult confirmation requests: 0 queued" in notify(runner, birthday - timedelta(days=1))
    assert "adult confirmation requests: 1 queued" in notify(runner, birthday)
    assert "adult confirmation requests: 0 queued" in notify(runner, birthday + timedelta(days=1))
    reminder_day = lapses_on - timedelta(days=14)
    assert "adult confirmation requests: 1 queued" in notify(runner, reminder_day)
    assert "adult confirmation requests: 0 queued" in notify(runner, lapses_on)  # lapsed
    assert mail.deliver().sent == 2
    first, reminder = mail.messages
    assert first["To"] == "grace@example.org"
    assert first["Subject"] == "You are 18: please confirm your consent for photographs of you"
    assert reminder["Subject"].startswith("Reminder: confirm your consent")
    text = " ".join(Mail.text(first).split())
    assert f"Their answer counts until {lapses_on:%-d %B %Y}" in text
    assert "- Internal use - Public web galleries" in text

    page = client.get(consent_path(first)).get_data(as_text=True)
    assert "Hello Grace Okafor" in page and "About you" in page  # their own link, as an adult
    assert grace.consent_forms[0].guardian_name == "Ruth Okafor"


def test_no_mail_at_18_for_a_consent_they_signed_themselves(runner, mail, make_user, make_person):
    make_user("curator")
    grace = _guardians_consent(make_person, date(2008, 3, 14), signed_on=date(2025, 9, 1))
    form = grace.consent_forms[0]
    form.signed_on = date(2026, 3, 20)  # signed by them, at 18
    db.session.commit()
    assert "adult confirmation requests: 0 queued" in notify(runner, date(2026, 4, 1))


def test_the_consent_overview_shows_guardians_consents_to_confirm_and_lapsed(
    app, client, login, make_user, make_person
):
    login(make_user("curator"))
    grace_turned_18 = TODAY - timedelta(days=10)
    grace_born_on = grace_turned_18.replace(year=grace_turned_18.year - 18)
    _guardians_consent(make_person, grace_born_on, grace_turned_18 - timedelta(days=400))
    sam = make_person("Sam Reid", scopes=["internal"], signed_on=date(2020, 1, 1))
    sam_turned_18 = TODAY - timedelta(days=app.config["CONSENT_ADULT_GRACE_DAYS"] + 5)
    sam.born_on = sam_turned_18.replace(year=sam_turned_18.year - 18)
    form = sam.consent_forms[0]
    form.guardian_name, form.guardian_relationship, form.guardian_contact = "Jo", "Father", "0123"
    db.session.commit()

    page = " ".join(client.get("/consent").get_data(as_text=True).split())
    assert "Turned 18: a parent or guardian's consent to confirm" in page
    grace_until = grace_turned_18 + timedelta(days=app.config["CONSENT_ADULT_GRACE_DAYS"] - 1)
    assert f"{grace_until:%-d %B %Y}</td>" in page
    sam_lapsed = sam_turned_18 + timedelta(days=app.config["CONSENT_ADULT_GRACE_DAYS"])
    assert f'<span class="no">Lapsed</span> on {sam_lapsed:%-d %B %Y}: not confirmed' in page

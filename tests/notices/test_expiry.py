"""Curators are reminded of consents and licences ending within 30 days, and what they hold back."""

from datetime import date, timedelta

from flask import current_app

from archive.extensions import db
from archive.licences.models import Licence
from archive.notices.models import ExpiryNotice
from tests.fixtures.people import grant_consent

DAY = date(2027, 5, 3)
EVERY_USE = ["internal", "exhibition", "web", "press", "identity"]


def notify(runner, day: date) -> str:
    result = runner.invoke(args=["notify", "--day", day.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


def ending_in(days: int) -> date:
    return DAY + timedelta(days=days)


def set_up_endings(make_user, make_photo, make_answering_person, login, client):
    """Consents ending in 10, 30 and 40 days, each shown in a photo; a licence ending in 20."""
    make_user("curator", email="ada@example.org", name="Ada Okafor")
    owner = make_user("contributor")
    people = {
        days: make_answering_person(name, scopes=EVERY_USE, expires_on=ending_in(days))
        for days, name in ((10, "Kofi Mensah"), (30, "Sian Pryce"), (40, "Tomasz Nowak"))
    }
    for person in people.values():
        make_photo(
            uploaded_by=owner, people=[person], title=f"Bench of {person.name}", status="approved"
        )
    login(make_user("admin"))
    response = client.post(
        "/admin/licences",
        data={
            "code": "LOAN-2027",
            "name": "Loan from the photographer",
            "credit_template": "Photo: {photographer}",
            "ends_on": ending_in(20).isoformat(),
        },
    )
    assert response.status_code == 302
    loan = db.session.execute(db.select(Licence).filter_by(code="LOAN-2027")).scalar_one()
    assert loan.ends_on == ending_in(20)
    make_photo(uploaded_by=owner, licence="LOAN-2027", title="Empty lathe", status="approved")
    return people


def test_notify_lists_the_consents_and_licence_ending_within_30_days_and_what_they_hold_back(
    runner, client, login, make_user, make_photo, make_answering_person, mail
):
    people = set_up_endings(make_user, make_photo, make_answering_person, login, client)

    assert "expiry reminders to curators: 1 queued" in notify(runner, DAY)
    assert "expiry reminders to curators: 0 queued" in notify(runner, DAY)  # nothing new
    assert mail.deliver().sent == 1
    (message,) = mail.messages
    assert message["To"] == "ada@example.org"
    assert message["Subject"] == "Consents and licences ending soon"
    text = mail.text(message)
    uses = (
        "Internal use, Physical exhibitions, Public web galleries, Press and social media, "
        "Exhibitions about identity"
    )
    assert f"- Kofi Mensah's consent ({uses}) ends on 13 May 2027." in text
    assert f"- Sian Pryce's consent ({uses}) ends on 2 June 2027." in text
    assert '"Bench of Kofi Mensah" will be held back from ' + uses in text
    assert '"Bench of Sian Pryce" will be held back from ' + uses in text
    assert "Tomasz Nowak" not in text  # 40 days off
    assert "- The licence Loan from the photographer ends on 23 May 2027; an admin" in text
    assert '"Empty lathe" will be held back from ' + uses in text
    assert text.index("Kofi Mensah") < text.index("Sian Pryce") < text.index("LICENCES")
    html = mail.html(message)
    assert "Kofi Mensah’s consent ends on 13 May 2027" in html
    person_url = f"{current_app.config['PUBLIC_URL']}/people/{people[10].id}"
    assert (
        f'<a href="{person_url}" style="color:#0b5cad">Renew it on Kofi Mensah’s page</a>' in html
    )
    assert "“Empty lathe”</a> will be held back" in html


def test_each_ending_is_listed_again_within_7_days_and_days_with_nothing_new_send_nothing(
    runner, client, login, make_user, make_photo, make_answering_person, mail
):
    set_up_endings(make_user, make_photo, make_answering_person, login, client)
    queued = {
        days: notify(runner, DAY + timedelta(days=days)).count(
            "expiry reminders to curators: 1 queued"
        )
        for days in range(0, 15)
    }
    # Day 0: the first three; 3: Kofi within 7; 10: Tomasz within 30; 13: the loan within 7.
    assert [days for days, count in queued.items() if count] == [0, 3, 10, 13]
    mail.deliver()
    by_day = [mail.text(m) for m in mail.messages]
    assert "Kofi Mensah" in by_day[1] and "Sian Pryce" not in by_day[1]
    assert "Tomasz Nowak" in by_day[2] and "Kofi Mensah" not in by_day[2]
    assert "Loan from the photographer" in by_day[3] and "Tomasz Nowak" not in by_day[3]
    assert ExpiryNotice.query.count() == 6


def test_a_photo_still_covered_by_another_consent_is_not_named(
    runner, make_user, make_photo, make_answering_person, mail
):
    make_user("curator", email="ada@example.org")
    person = make_answering_person(
        "Kofi Mensah", scopes=["web", "internal"], expires_on=ending_in(10)
    )
    grant_consent(person, ["web"], expires_on=ending_in(365))
    make_photo(people=[person], title="Bench", status="approved")
    notify(runner, DAY)
    mail.deliver()
    (message,) = mail.messages
    assert '"Bench" will be held back from Internal use:' in mail.text(message)

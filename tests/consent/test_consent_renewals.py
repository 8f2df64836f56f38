"""The daily run mails each person whose consent ends within 30 days a fresh link, once."""

from datetime import date, timedelta

from archive.consent.models import ConsentRequest
from archive.extensions import db
from archive.mail.models import MailMessage, MailOptOut
from tests.consent.consent_mail_helpers import (
    consent_path,
    links_in,
    notify,
    with_address_and_edi,
)
from tests.fixtures.mail import Mail
from tests.fixtures.people import grant_consent

TODAY = date.today()


def test_renewal_requests_for_consents_ending_within_30_days_once_each(
    client, runner, mail, make_user, make_person
):
    make_user("curator", email="cora@example.org")
    people = {
        days: with_address_and_edi(
            make_person(name, scopes=["web"], expires_on=TODAY + timedelta(days=days)),
            f"{name.split()[0].lower()}@example.org",
        )
        for days, name in ((10, "Kwame Mensah"), (30, "Ama Owusu"), (40, "Rhys Morgan"))
    }
    # Grace's ending consent is outlasted by a newer one granting as much: nothing to renew.
    grace = with_address_and_edi(
        make_person("Grace Adeyemi", scopes=["web"], expires_on=TODAY + timedelta(days=10)),
        "grace@example.org",
    )
    grant_consent(grace, ["web", "press"], expires_on=TODAY + timedelta(days=900))
    assert "consent renewal requests: 2 queued" in notify(runner, TODAY)
    assert "consent renewal requests: 0 queued" in notify(runner, TODAY)
    # Exactly: a renewal to each person whose consent ends within 30 days, and the curators'
    # reminder listing the same two (tests/notices/test_expiry.py tests its schedule).
    assert mail.deliver().sent == 3
    by_address = {message["To"]: message for message in mail.messages}
    assert set(by_address) == {"kwame@example.org", "ama@example.org", "cora@example.org"}
    reminder = Mail.text(by_address.pop("cora@example.org"))
    assert "Kwame Mensah" in reminder and "Ama Owusu" in reminder
    assert "Rhys Morgan" not in reminder and "Grace Adeyemi" not in reminder

    ends = TODAY + timedelta(days=10)
    message = by_address["kwame@example.org"]
    assert message["Subject"] == f"Your consent for photographs of you ends on {ends:%-d %B %Y}"
    assert "It covers: - Public web galleries" in " ".join(Mail.text(message).split())
    page = client.get(consent_path(message))
    assert page.status_code == 200 and "Hello Kwame Mensah" in page.get_data(as_text=True)
    assert people[40].email not in by_address


def test_erasing_a_person_deletes_their_requests_and_the_mail_records_of_their_address(
    client, mail, make_user, login, make_person
):
    admin = make_user("admin")
    login(make_user("curator"))
    kwame = with_address_and_edi(make_person("Kwame Mensah"), "kwame@example.org")
    client.post(f"/people/{kwame.id}/ask")
    mail.deliver()
    answer = {"scopes": ["web"], "typed_name": "Kwame Mensah"}
    client.post(consent_path(mail.messages[0]), data=answer)
    mail.deliver()
    # From the receipt's footer, Kwame turns consent mail off and keeps the rest.
    (preferences,) = [p for p in links_in(mail.messages[1]) if p.startswith("/mail/preferences/")]
    client.post(preferences, data={"receive": ["review", "digest", "expiry"]})
    assert db.session.query(MailOptOut).filter_by(address="kwame@example.org").count() == 1
    assert db.session.query(MailMessage).filter_by(to_address="kwame@example.org").count() == 2

    login(admin)
    page = client.post(f"/people/{kwame.id}/erase", data={"confirm_name": "Kwame Mensah"})
    assert page.status_code == 200
    said = " ".join(page.get_data(as_text=True).split())
    assert "1 consent request sent to them and 3 records of mail to their address" in said
    db.session.expire_all()
    assert db.session.query(MailMessage).filter_by(to_address="kwame@example.org").count() == 0
    assert db.session.query(MailOptOut).filter_by(address="kwame@example.org").count() == 0
    assert db.session.query(ConsentRequest).count() == 0

"""Curators ask people for consent by e-mail; the mail reaches a real SMTP server."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from archive.consent.models import ConsentRequest
from archive.core.audit import AuditEvent
from archive.extensions import db
from archive.mail.models import OPTIONAL_CATEGORIES, MailCategory
from archive.mail.outbox import choose_mail
from archive.photos.models import PhotoStatus
from tests.consent.consent_mail_helpers import consent_path, notify, with_address_and_edi
from tests.fixtures.mail import Mail

TODAY = date.today()


@pytest.fixture
def curator(make_user, login):
    return login(make_user("curator", email="hannah.clarke@example.ac.uk", name="Hannah Clarke"))


@pytest.fixture
def kwame(make_person, make_photo):
    """A person with an address and EDI answers, shown in an approved photo, with no consent."""
    person = with_address_and_edi(make_person("Kwame Mensah"), "kwame@example.org")
    make_photo(people=[person], status=PhotoStatus.APPROVED, title="Sample archive")
    return person


def test_the_request_says_who_asks_and_why_and_its_link_opens_the_persons_page(
    app, client, mail, curator, kwame
):
    response = client.post(f"/people/{kwame.id}/ask")
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Asked Kwame Mensah for consent by e-mail." in page

    assert mail.deliver().sent == 1
    (message,) = mail.messages
    assert message["To"] == "kwame@example.org"
    text = " ".join(Mail.text(message).split())  # lines wrapped as a mail reader may
    assert "Hannah Clarke of University Technical Services asks" in text
    assert "photographs of you in the Technicians' Archive" in text
    for use in ("Internal use", "Public web galleries", "Press and social media"):
        assert f"- {use}" in text
    assert "You can say no to any or all of them" in text
    lasts = TODAY + timedelta(days=app.config["CONSENT_LINK_DAYS"])
    assert f"the link works until {lasts:%-d %B %Y}" in text
    assert "See the photographs and give your answer" in Mail.html(message)

    client.get("/logout")
    opened = client.get(consent_path(message))
    assert opened.status_code == 200
    assert "Hello Kwame Mensah" in opened.get_data(as_text=True)

    (request,) = db.session.execute(select(ConsentRequest)).scalars()
    assert (request.person_id, request.sent_by_id, request.sent_on) == (kwame.id, curator.id, TODAY)
    events = select(AuditEvent.action).filter_by(target_type="person", target_id=kwame.id)
    assert "consent.requested" in db.session.execute(events).scalars().all()


def test_clicking_twice_sends_one_request_and_says_so(client, mail, curator, kwame):
    client.post(f"/people/{kwame.id}/ask")
    again = client.post(f"/people/{kwame.id}/ask", follow_redirects=True)
    assert "Not asked again: Kwame Mensah was already asked today." in again.get_data(as_text=True)
    assert mail.deliver().sent == 1


def test_without_an_address_the_page_says_so_and_takes_one(client, mail, curator, make_person):
    person = make_person("Ama Owusu")
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "No e-mail address is kept for Ama Owusu" in page
    assert 'autocomplete="email"' in page and 'id="ask-email"' in page

    refused = client.post(f"/people/{person.id}/ask", data={"ask-email": "ama at home"})
    assert refused.status_code == 422
    assert "Enter an e-mail address like name@example.ac.uk." in refused.get_data(as_text=True)
    empty = client.post(f"/people/{person.id}/ask", data={"ask-email": ""})
    assert empty.status_code == 422
    assert "Enter Ama Owusu’s e-mail address" in empty.get_data(as_text=True)
    assert db.session.execute(select(ConsentRequest)).first() is None

    sent = client.post(f"/people/{person.id}/ask", data={"ask-email": "ama@example.org"})
    assert sent.status_code == 302
    db.session.refresh(person)
    assert person.email == "ama@example.org"
    assert mail.deliver().sent == 1 and mail.messages[0]["To"] == "ama@example.org"


def test_a_person_who_turned_consent_mail_off_is_not_asked_and_the_curator_is_told(
    client, mail, curator, kwame
):
    choose_mail("kwame@example.org", set(OPTIONAL_CATEGORIES) - {MailCategory.CONSENT})
    page = client.post(f"/people/{kwame.id}/ask", follow_redirects=True).get_data(as_text=True)
    assert "Not asked: Kwame Mensah turned off consent e-mail from the archive" in page
    assert "give it to them another way" in page
    assert mail.deliver().sent == 0
    assert db.session.execute(select(ConsentRequest)).first() is None


def test_one_reminder_after_the_configured_days_and_none_after_an_answer(
    app, client, runner, mail, curator, kwame, make_person
):
    app.config["CONSENT_REQUEST_REMINDER_DAYS"] = 5
    ama = with_address_and_edi(make_person("Ama Owusu"), "ama@example.org")
    client.post(f"/people/{kwame.id}/ask")
    client.post(f"/people/{ama.id}/ask")
    mail.deliver()
    ama_request = next(m for m in mail.messages if m["To"] == "ama@example.org")
    answered = client.post(
        consent_path(ama_request), data={"scopes": ["internal"], "typed_name": "Ama Owusu"}
    )
    assert answered.status_code == 303
    mail.deliver()
    mail.messages.clear()

    assert "consent request reminders: 0 queued" in notify(runner, TODAY + timedelta(days=4))
    assert "consent request reminders: 1 queued" in notify(runner, TODAY + timedelta(days=5))
    assert "consent request reminders: 0 queued" in notify(runner, TODAY + timedelta(days=5))
    assert "consent request reminders: 0 queued" in notify(runner, TODAY + timedelta(days=9))
    assert mail.deliver().sent == 1
    (reminder,) = mail.messages
    assert reminder["To"] == "kwame@example.org"
    assert reminder["Subject"] == "A reminder: may we use photographs of you?"
    assert f"On {TODAY:%-d %B %Y} Hannah Clarke of" in " ".join(Mail.text(reminder).split())
    client.get("/logout")
    assert "Hello Kwame Mensah" in client.get(consent_path(reminder)).get_data(as_text=True)


def test_asking_everyone_shown_in_a_photo_names_who_was_asked_and_who_could_not_be(
    client, mail, curator, make_person, make_photo
):
    consenting = with_address_and_edi(
        make_person("Grace Adeyemi", scopes=["web"]), "grace@example.org"
    )
    asked = with_address_and_edi(make_person("Kwame Mensah"), "kwame@example.org")
    no_address = make_person("Ama Owusu")
    turned_off = with_address_and_edi(make_person("Rhys Morgan"), "rhys@example.org")
    choose_mail("rhys@example.org", set(OPTIONAL_CATEGORIES) - {MailCategory.CONSENT})
    photo = make_photo(people=[consenting, asked, no_address, turned_off], title="The workshop")

    review = client.get(f"/review/{photo.id}").get_data(as_text=True)
    assert "Shown without consent: Ama Owusu, Kwame Mensah, Rhys Morgan." in review
    assert "Ask the people shown for consent by e-mail" in review

    response = client.post(f"/photos/{photo.id}/ask-for-consent")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    asked_part, _, rest = page.partition("Not asked: no e-mail address")
    assert "Kwame Mensah (kwame@example.org)" in asked_part
    no_address_part, _, turned_off_part = rest.partition(
        "Not asked: they turned consent e-mail off"
    )
    assert "Ama Owusu" in no_address_part and "Rhys Morgan" in turned_off_part
    assert "Grace Adeyemi" not in page

    assert mail.deliver().sent == 1
    assert [message["To"] for message in mail.messages] == ["kwame@example.org"]


def test_the_photo_page_offers_to_ask_only_while_someone_shown_lacks_consent(
    client, curator, make_person, make_photo
):
    person = make_person("Kwame Mensah")
    photo = make_photo(people=[person], status=PhotoStatus.APPROVED)
    assert "Ask the people shown for consent" in client.get(f"/photos/{photo.id}").text
    consenting = make_person("Grace Adeyemi", scopes=["internal"])
    shown = make_photo(people=[consenting], status=PhotoStatus.APPROVED, title="Another")
    assert "Ask the people shown for consent" not in client.get(f"/photos/{shown.id}").text

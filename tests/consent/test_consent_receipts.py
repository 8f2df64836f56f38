"""A person who answers through their link gets a receipt of what they chose, and no EDI."""

from datetime import date, timedelta

import pytest

from archive.people.edi import edi_attributes
from archive.photos.models import PhotoStatus
from tests.consent.consent_mail_helpers import (
    SELF_DESCRIPTION,
    consent_path,
    with_address_and_edi,
)
from tests.fixtures.mail import Mail

TODAY = date.today()


@pytest.fixture
def requested(client, mail, make_user, login, make_person, make_photo):
    """The path of the link Hannah Clarke mailed Kwame; the curator is logged out."""
    login(make_user("curator", email="hannah.clarke@example.ac.uk", name="Hannah Clarke"))
    kwame = with_address_and_edi(make_person("Kwame Mensah"), "kwame@example.org")
    make_photo(people=[kwame], status=PhotoStatus.APPROVED, title="Sample archive")
    client.post(f"/people/{kwame.id}/ask")
    mail.deliver()
    (request,) = mail.messages
    mail.messages.clear()
    client.get("/logout")
    return consent_path(request)


def _words(message) -> str:
    return " ".join(Mail.text(message).split())


def test_the_receipt_lists_the_uses_chosen_and_the_link_and_none_of_the_edi_answers(
    app, client, mail, requested
):
    path = requested
    gender = next(a for a in edi_attributes() if a.key == "gender")
    disability = next(a for a in edi_attributes() if a.key == "disability")
    man = next(o for o in gender.options if o.label == "Man")
    disabled = next(o for o in disability.options if o.label == "Disabled")
    answered = client.post(
        path,
        data={
            "scopes": ["web", "internal"],
            "typed_name": "Kwame Mensah",
            f"edi_{gender.id}": str(man.id),
            f"edi_{disability.id}": str(disabled.id),
            f"edi_{disability.id}_text": "I use a wheelchair at work",
        },
    )
    assert answered.status_code == 303

    assert mail.deliver().sent == 1
    (receipt,) = mail.messages
    assert receipt["To"] == "kwame@example.org"
    assert receipt["Subject"] == "Your answer about photographs of you: a receipt"
    text = _words(receipt)
    agreed, _, declined = text.partition("You said no to:")
    assert "You agreed to: - Internal use - Public web galleries" in agreed
    for use in ("Physical exhibitions", "Press and social media", "Exhibitions about identity"):
        assert f"- {use}" in declined
    expires = TODAY + timedelta(days=365 * app.config["CONSENT_VALID_YEARS"])
    assert f"Your consent runs until {expires:%-d %B %Y}" in text
    assert "To change your answer or withdraw it" in text
    for part in (Mail.text(receipt), Mail.html(receipt)):
        for said in ("Man", "Disabled", "wheelchair", SELF_DESCRIPTION, "Woman", "Gender"):
            assert said not in part
    # The link in the receipt opens the person's page, where they can change or withdraw.
    page = client.get(consent_path(receipt)).get_data(as_text=True)
    assert "Hello Kwame Mensah" in page and "/withdraw" in page


def test_withdrawing_sends_a_receipt_saying_what_stops_and_whom_to_ask_again(
    client, mail, requested
):
    path = requested
    client.post(path, data={"scopes": ["press"], "typed_name": "Kwame Mensah"})
    mail.deliver()
    mail.messages.clear()

    assert client.post(f"{path}/withdraw").status_code == 200
    assert mail.deliver().sent == 1
    (receipt,) = mail.messages
    assert receipt["Subject"] == "Your consent is withdrawn: a receipt"
    text = _words(receipt)
    assert f"on {TODAY:%-d %B %Y} you withdrew your consent" in text
    assert "From today they are no longer used for: - Press and social media" in text
    assert "ask Hannah Clarke (hannah.clarke@example.ac.uk) for a new link" in text
    assert "/my-consent/" not in text  # the link ended with the withdrawal
    assert SELF_DESCRIPTION not in text and "Woman" not in text

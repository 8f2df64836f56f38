"""In a real browser, a curator adds a person's address and asks them for consent by e-mail."""

from urllib.parse import urlsplit

from tests.consent.consent_mail_helpers import consent_path, with_address_and_edi
from tests.e2e.conftest import log_in


def test_curator_asks_from_the_person_page_and_the_link_in_the_mail_opens(
    live_server, browser, screenshot, mail, make_user, make_person
):
    curator = make_user("curator", email="hannah.clarke@example.ac.uk", name="Hannah Clarke")
    person = with_address_and_edi(make_person("Ama Owusu"), "")
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    log_in(page, live_server, curator)
    page.goto(f"{live_server}/people/{person.id}")
    ask = page.locator("form:has(#ask-email)")
    assert "No e-mail address is kept for Ama Owusu" in ask.inner_text()

    ask.get_by_role("button", name="Ask Ama Owusu by e-mail").click()
    page.wait_for_selector(".error-summary")  # no address yet: the page asks for one
    page.get_by_label("Their e-mail address").fill("ama@example.org")
    page.get_by_role("button", name="Ask Ama Owusu by e-mail").click()
    page.wait_for_selector("text=Asked Ama Owusu for consent by e-mail.")
    assert urlsplit(page.url).fragment == "ask"
    screenshot(page, "asked")

    assert mail.deliver().sent == 1
    (message,) = mail.messages
    assert message["To"] == "ama@example.org"
    visitor = browser.new_page()
    visitor.goto(f"{live_server}{consent_path(message)}")
    assert visitor.get_by_role("heading", level=1).inner_text().startswith("Hello Ama Owusu")
    screenshot(visitor, "the-link-opened")
    page.context.close()
    visitor.context.close()

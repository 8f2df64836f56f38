"""Forgot your password: a link by e-mail, valid for an hour, that works once."""

import re
import time

import pytest

from archive.auth import reset
from archive.auth.models import Role
from archive.auth.services import update_user
from archive.core.audit import AuditEvent
from archive.extensions import db
from archive.mail.models import MailMessage
from tests.fixtures.app import PASSWORD, FreshGlobalsClient

NEW = "quartz lantern meadow 42"
SAME_ANSWER = "If an account uses that address, we have sent it a link"
LINK = re.compile(r"http://127\.0\.0\.1:5000(/password/reset/\S+)")


def _ask(client, email):
    return client.post("/password/forgot", data={"email": email})


def _log_in(client, email, password):
    return client.post("/login", data={"email": email, "password": password})


def _choose(client, path, new=NEW, again=None):
    return client.post(path, data={"new": new, "again": new if again is None else again})


@pytest.fixture
def ada(make_user):
    return make_user(Role.CURATOR, email="Ada.Okafor@example.org", name="Ada Okafor")


def _link_mailed(mail) -> str:
    """Deliver what is queued; return the path of the one reset link that arrived."""
    assert mail.deliver().sent == 1
    (message,) = mail.messages
    return LINK.search(mail.text(message)).group(1)


def test_the_login_page_offers_a_reset(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<a href="/password/forgot">Forgot your password?</a>' in page


def test_the_reset_mail_arrives_and_its_link_works_once(client, mail, ada):
    asked = _ask(client, "  ada.okafor@EXAMPLE.org ")
    assert asked.status_code == 302
    page = client.get(asked.headers["Location"]).get_data(as_text=True)
    assert SAME_ANSWER in page and "valid for one hour" in page
    assert mail.messages == []  # queued for the worker: the page never waits for a server

    path = _link_mailed(mail)
    (message,) = mail.messages
    assert message["To"] == "ada.okafor@example.org"
    assert message["Subject"] == "Choose a new password for Technicians' Archive"
    text = mail.text(message)
    assert "Hello Ada Okafor," in text and "Ada.Okafor@example.org" in text
    assert "within one hour" in text and "If you did not ask, you can ignore this" in text
    assert "Choose which e-mail you receive" not in text  # a reset is never turned off
    assert f'<a href="http://127.0.0.1:5000{path}"' in mail.html(message)

    form = client.get(path)
    assert form.status_code == 200 and form.headers["Cache-Control"] == "no-store"
    assert "For Ada.Okafor@example.org." in form.get_data(as_text=True)
    changed = _choose(client, path)
    assert changed.status_code == 302 and changed.headers["Location"] == "/login"
    login_page = client.get("/login").get_data(as_text=True)
    assert "Your password is changed and every session was ended" in login_page

    again = client.get(path)
    assert again.status_code == 410
    refused = again.get_data(as_text=True)
    assert "This link has been used already" in refused
    assert '<a href="/password/forgot">Ask for a new link</a>' in refused
    assert _choose(client, path, "another strong passphrase 7").status_code == 410

    assert _log_in(client, ada.email, PASSWORD).status_code == 401
    assert _log_in(client, ada.email, NEW).status_code == 302
    event = db.session.query(AuditEvent).filter_by(action="user.password_reset").one()
    assert (event.actor_id, event.target_id) == (ada.id, ada.id)


def test_an_unknown_address_gets_the_same_page_and_no_mail(client, mail, ada):
    unknown = _ask(client, "nobody@example.org")
    known = _ask(client, ada.email)
    assert (unknown.status_code, unknown.headers["Location"]) == (
        known.status_code,
        known.headers["Location"],
    )
    assert db.session.query(MailMessage).count() == 1
    assert mail.deliver().sent == 1
    assert [m["To"] for m in mail.messages] == ["ada.okafor@example.org"]


def test_an_inactive_account_gets_no_mail(client, mail, ada, make_user):
    update_user(ada, role=ada.role, active=False, by=make_user("admin"))
    asked = _ask(client, ada.email)
    assert asked.headers["Location"] == "/password/forgot/sent"
    assert mail.deliver().sent == 0 and mail.messages == []


def test_an_account_made_by_single_sign_on_gets_no_reset_mail(client, mail, ada):
    ada.password_hash = ""  # as archive.auth.sso makes accounts: the institution's password
    db.session.commit()
    assert _ask(client, ada.email).headers["Location"] == "/password/forgot/sent"
    assert mail.deliver().sent == 0 and mail.messages == []


def test_a_link_for_an_account_disabled_since_is_refused(client, mail, ada, make_user):
    _ask(client, ada.email)
    path = _link_mailed(mail)
    update_user(ada, role=ada.role, active=False, by=make_user("admin"))
    answer = client.get(path)
    assert answer.status_code == 410
    assert "can no longer log in" in answer.get_data(as_text=True)


def _signed_seconds_ago(path: str, seconds: int) -> str:
    """Return the link's path, its token signed as the archive would have `seconds` ago."""
    serializer = reset._serializer()
    payload = serializer.loads(path.rsplit("/", 1)[1])
    signer = serializer.make_signer()
    signer.get_timestamp = lambda: int(time.time()) - seconds
    return f"/password/reset/{signer.sign(serializer.dump_payload(payload)).decode()}"


def test_a_link_older_than_an_hour_is_refused(client, mail, ada):
    _ask(client, ada.email)
    path = _link_mailed(mail)
    assert client.get(_signed_seconds_ago(path, 3540)).status_code == 200  # 59 minutes: fine
    expired = _signed_seconds_ago(path, 3660)
    answer = client.get(expired)
    assert answer.status_code == 410
    assert "This link has expired" in answer.get_data(as_text=True)
    assert _choose(client, expired).status_code == 410
    assert _log_in(client, ada.email, PASSWORD).status_code == 302  # nothing changed


def test_a_forged_link_gets_a_clear_page(client, ada):
    token = reset.reset_token(ada)
    answer = client.get(f"/password/reset/{token[:-2]}xx")
    assert answer.status_code == 404
    page = answer.get_data(as_text=True)
    assert "This is not a working password reset link" in page and "Traceback" not in page


def test_the_new_password_follows_the_password_rules(client, mail, ada):
    _ask(client, ada.email)
    path = _link_mailed(mail)
    weak = _choose(client, path, "password123")
    assert weak.status_code == 422
    assert "that password is too easy to guess" in weak.get_data(as_text=True).lower()
    differ = _choose(client, path, NEW, "quartz lantern meadow 43")
    assert differ.status_code == 422
    assert "The two passwords are not the same" in differ.get_data(as_text=True)
    assert _log_in(client, ada.email, PASSWORD).status_code == 302  # the old one still works


def test_a_reset_ends_every_other_session(app, client, mail, ada):
    elsewhere = FreshGlobalsClient(app, app.response_class, use_cookies=True)
    _log_in(elsewhere, ada.email, PASSWORD)
    assert elsewhere.get("/account/password").status_code == 200
    _ask(client, ada.email)
    _choose(client, _link_mailed(mail))
    answer = elsewhere.get("/account/password")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]

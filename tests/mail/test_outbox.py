"""Mail is queued with the change that causes it and sent by the worker to a real SMTP server."""

import re
from datetime import timedelta

from archive.core.database import utc_now, write_transaction
from archive.extensions import db
from archive.mail.models import MailCategory, MailMessage, MailStatus
from archive.mail.outbox import preferences_token, queue_mail
from tests.postgres import free_port


def _queue(to="grace@example.org", category=MailCategory.ACCOUNT, **kwargs) -> MailMessage:
    with write_transaction():
        message = queue_mail(to, "check", category, server="the test's server", **kwargs)
    return message


def test_a_queued_message_arrives_in_text_and_html_and_its_record_keeps_no_body(mail):
    message = _queue("  Grace@Example.org ")
    assert mail.messages == []  # queued, not sent: no request waits for a mail server

    assert mail.deliver().sent == 1
    (received,) = mail.messages
    assert received["To"] == "grace@example.org"
    assert received["From"] == "Technicians' Archive <archive@example.ac.uk>"
    assert received["Subject"] == "Technicians' Archive can send e-mail"
    assert received["Auto-Submitted"] == "auto-generated"
    assert "reached you through the test's server" in mail.text(received)
    html = mail.html(received)
    assert "reached you through the test&#39;s server" in html
    # Nothing a mail reader fetches: no tracking pixel, no remote style or script.
    assert not re.search(r"<img|<link|<script|src=|url\(", html)

    record = db.session.get(MailMessage, message.id)
    assert record.status == MailStatus.SENT and record.sent_at is not None
    assert record.attempts == 1 and record.last_error == ""
    assert record.text_body == record.html_body == ""  # a reset link would stay usable
    assert mail.deliver().sent == 0  # sent once only


def test_a_refusing_server_leaves_the_message_queued_with_the_error_until_it_comes_back(mail):
    message = _queue()
    mail.refuse("451 4.3.0 Mail server temporarily rejected message")
    tried = utc_now()
    assert mail.deliver(now=tried).failed == 1
    assert mail.messages == []
    db.session.refresh(message)
    assert message.status == MailStatus.QUEUED and message.attempts == 1
    assert message.last_error == (
        "the mail server refused it: 451 4.3.0 Mail server temporarily rejected message"
    )
    assert message.next_attempt_at == tried + timedelta(minutes=1)
    assert mail.deliver(now=tried + timedelta(seconds=30)).sent == 0  # not due yet

    mail.refuse(None)
    assert mail.deliver(now=tried + timedelta(minutes=2)).sent == 1
    assert len(mail.messages) == 1
    db.session.refresh(message)
    assert message.status == MailStatus.SENT and message.attempts == 2


def test_an_unreachable_server_is_recorded_and_retried_later_each_time_longer(app, mail):
    message = _queue()
    app.config["MAIL_PORT"] = free_port()  # nothing listens there
    now = utc_now()
    waits = []
    for _ in range(3):
        assert mail.deliver(now=now).failed == 1
        db.session.refresh(message)
        waits.append(message.next_attempt_at - now)
        now = message.next_attempt_at
    assert message.last_error.startswith("the mail server could not be reached")
    assert waits == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]


def test_a_message_refused_too_often_is_given_up_on(app, mail):
    app.config["MAIL_MAX_ATTEMPTS"] = 2
    message = _queue()
    mail.refuse("550 5.1.1 No such user")
    now = utc_now()
    mail.deliver(now=now)
    mail.deliver(now=now + timedelta(hours=1))
    db.session.refresh(message)
    assert message.status == MailStatus.FAILED and message.attempts == 2
    assert mail.deliver(now=now + timedelta(days=1)).failed == 0


def test_the_same_reminder_is_queued_once_however_often_it_is_asked_for(mail):
    assert _queue(once_key="expiry:consent:7:2027-01-05") is not None
    assert _queue(once_key="expiry:consent:7:2027-01-05") is None
    assert mail.deliver().sent == 1


def test_the_link_in_a_message_turns_that_kind_of_mail_off_but_never_reset_links(client, mail):
    message = _queue(category=MailCategory.DIGEST)
    mail.deliver()
    (received,) = mail.messages
    link = re.search(r"Choose which e-mail you receive: (\S+)", mail.text(received)).group(1)
    assert link == f"http://127.0.0.1:5000/mail/preferences/{preferences_token(message.to_address)}"
    path = link.removeprefix("http://127.0.0.1:5000")

    page = client.get(path).get_data(as_text=True)
    assert "For grace@example.org." in page
    assert page.count("<input checked") == 4  # every kind that can be turned off is on
    kept = ["consent", "review", "expiry"]  # digest unticked
    saved = client.post(path, data={"receive": kept}, follow_redirects=True)
    assert "Your choices are saved." in saved.get_data(as_text=True)

    assert _queue(category=MailCategory.DIGEST) is None
    assert _queue(category=MailCategory.REVIEW) is not None
    assert _queue(category=MailCategory.ACCOUNT) is not None
    account = db.session.query(MailMessage).filter_by(category=MailCategory.ACCOUNT).one()
    assert "Choose which e-mail" not in account.text_body  # nothing to turn off


def test_unticking_everything_turns_every_optional_kind_off(client, mail):
    path = f"/mail/preferences/{preferences_token('grace@example.org')}"
    assert client.post(path, data={}).status_code == 302
    assert all(_queue(category=c) is None for c in MailCategory if c.optional)
    assert _queue(category=MailCategory.ACCOUNT) is not None


def test_the_choices_page_is_never_cached_referred_or_indexed(client):
    # Its URL is the key to someone's mail choices, as a consent link is to their consent.
    path = f"/mail/preferences/{preferences_token('grace@example.org')}"
    for response in (client.get(path), client.post(path, data={"receive": ["digest"]})):
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["X-Robots-Tag"] == "noindex"


def test_a_forged_preferences_link_is_not_found(client):
    assert client.get("/mail/preferences/Z3JhY2VAZXhhbXBsZS5vcmc.forged").status_code == 404


def test_send_mail_check_sends_a_message_to_test_the_settings(runner, mail):
    result = runner.invoke(args=["send-mail", "--check", "admin@example.org"])
    assert result.exit_code == 0, result.output
    assert "Sent 1; 0 to try again or given up on." in result.output
    assert [m["To"] for m in mail.messages] == ["admin@example.org"]


def test_send_mail_without_a_server_says_what_to_set(runner):
    result = runner.invoke(args=["send-mail"])
    assert result.exit_code == 1
    assert "ARCHIVE_MAIL_SERVER and ARCHIVE_MAIL_FROM must be set" in result.output


def test_notify_asks_every_feature_for_its_daily_mail_once_per_run(runner, mail):
    from archive.core.signals import daily_notices

    days = []

    def renewal_reminders(day):
        days.append(day)
        return 1 if _queue(once_key=f"check:{day}") else 0

    daily_notices.connect(renewal_reminders)
    try:
        first = runner.invoke(args=["notify", "--day", "2027-01-05"])
        again = runner.invoke(args=["notify", "--day", "2027-01-05"])
    finally:
        daily_notices.disconnect(renewal_reminders)
    assert "renewal reminders: 1 queued" in first.output
    assert "Queued 1 message for 5 January 2027." in first.output
    assert "renewal reminders: 0 queued" in again.output
    assert [str(day) for day in days] == ["2027-01-05", "2027-01-05"]
    assert mail.deliver().sent == 1

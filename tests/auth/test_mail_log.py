"""The admins' mail log shows what was sent and what is failing; each user reaches their choices."""

import re

from archive.core.database import write_transaction
from archive.mail.models import MailCategory
from archive.mail.outbox import queue_mail


def _queue(to: str, category=MailCategory.ACCOUNT) -> None:
    with write_transaction():
        queue_mail(to, "check", category, server="the test's server")


def test_the_mail_log_shows_an_admin_a_failed_message_with_its_error(app, client, mail, login_as):
    app.config["MAIL_MAX_ATTEMPTS"] = 1
    _queue("grace@example.org")
    mail.refuse("550 5.1.1 No such user here")
    mail.deliver()
    mail.refuse(None)
    _queue("ines@example.org", MailCategory.DIGEST)
    mail.deliver()

    login_as("admin")
    failed = client.get("/admin/mail?status=failed")
    assert failed.status_code == 200
    page = failed.get_data(as_text=True)
    row = re.search(r"<tr><td>grace@example.org</td>.*?</tr>", page, re.S).group(0)
    assert "Technicians&#39; Archive can send e-mail" in row
    assert "Password reset links you ask for" in row  # the kind, in words
    assert "<td>failed</td><td>1</td>" in row
    assert "the mail server refused it: 550 5.1.1 No such user here" in row
    assert "ines@example.org" not in page

    everything = client.get("/admin/mail").get_data(as_text=True)
    assert everything.index("ines@example.org") < everything.index("grace@example.org")
    sent = client.get("/admin/mail?status=sent").get_data(as_text=True)
    assert "ines@example.org" in sent and "grace@example.org" not in sent


def test_the_mail_log_is_for_admins_only(client, login_as):
    login_as("curator")
    assert client.get("/admin/mail").status_code == 403


def test_the_mail_log_goes_back_a_page_at_a_time(client, login_as):
    for n in range(51):
        _queue(f"person{n}@example.org")
    login_as("admin")
    first = client.get("/admin/mail?status=queued").get_data(as_text=True)
    assert "person50@example.org" in first and "person0@example.org" not in first
    older = re.search(r'<a href="([^"]+)">Older messages</a>', first).group(1)
    assert "status=queued" in older
    second = client.get(older.replace("&amp;", "&")).get_data(as_text=True)
    assert "person0@example.org" in second and "person1@example.org" not in second
    assert "Older messages" not in second


def test_an_unknown_status_is_refused_with_a_sentence(client, login_as):
    login_as("admin")
    answer = client.get("/admin/mail?status=bounced")
    assert answer.status_code == 400
    assert "status must be one of queued, sent, failed" in answer.get_data(as_text=True)


def test_every_user_reaches_the_choices_of_their_own_address(client, make_user, login):
    user = make_user("comms", email="Mo.Farah@example.org")
    login(user)
    nav = client.get("/").get_data(as_text=True)
    assert '<a href="/account/mail">E-mail choices</a>' in nav
    page = client.get("/account/mail", follow_redirects=True).get_data(as_text=True)
    assert "For mo.farah@example.org." in page
    assert "Password reset links you ask for are always sent." in page


def test_unticking_every_box_turns_all_optional_mail_off(client, make_user, login):
    user = make_user("curator", email="lena@example.org")
    login(user)
    choices = client.get("/account/mail").headers["Location"]
    saved = client.post(choices, data={}, follow_redirects=True)  # no box ticked: no value sent
    assert "Your choices are saved." in saved.get_data(as_text=True)
    assert "<input checked" not in saved.get_data(as_text=True)
    for category in MailCategory:
        with write_transaction():
            queued = queue_mail(user.email, "check", category, server="the test's server")
        assert (queued is not None) == (category is MailCategory.ACCOUNT)

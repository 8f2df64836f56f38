"""Password guessing is limited per client address and per account, across every worker."""

from pathlib import Path

import pytest

from archive import create_app
from archive.config import check_workers_share_rate_limits
from archive.extensions import db
from tests.fixtures.app import PASSWORD, app_config

WRONG = "wrong password!"
LOCKED = "signing in with it is paused"


@pytest.fixture
def limited(app):
    """Return a second app on the test's database with rate limits on, counted in memory."""
    limited = create_app(
        {
            **app_config(Path(app.instance_path)),
            "DATABASE_URL": app.config["DATABASE_URL"],
            "RATELIMIT_ENABLED": True,
        }
    )
    yield limited
    with limited.app_context():
        db.engine.dispose()


def log_in(client, email, password=PASSWORD, address="127.0.0.1"):
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_repeated_failed_logins_are_slowed_down(limited, make_user):
    user = make_user("contributor")
    client = limited.test_client()
    statuses = [log_in(client, user.email, WRONG).status_code for _ in range(11)]
    assert statuses[:10] == [401] * 10
    assert statuses[10] == 429
    response = log_in(client, user.email, PASSWORD)  # even the right password waits now
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)


def test_a_locked_account_and_an_address_without_one_get_the_same_answer(limited, make_user):
    user = make_user("curator")
    client = limited.test_client()
    answers = {}
    for email in (user.email, "nobody@example.org"):
        # Each guess from another address: only the count per account can stop them.
        for n in range(10):
            assert log_in(client, email, WRONG, f"203.0.113.{n}").status_code == 401
        answers[email] = log_in(client, email, PASSWORD, "198.51.100.1")

    for answer in answers.values():
        assert answer.status_code == 429  # for the account, the right password is refused too
        assert 890 <= int(answer.headers["Retry-After"]) <= 900
    page = answers[user.email].get_data(as_text=True)
    assert f"{LOCKED}. Try again in 15 minutes." in page
    unknown = answers["nobody@example.org"].get_data(as_text=True)
    assert unknown.replace("nobody@example.org", user.email) == page


def test_a_right_password_clears_the_count_of_wrong_ones(limited, make_user):
    user = make_user("comms")
    client = limited.test_client()
    for n in range(9):
        assert log_in(client, user.email, WRONG, f"203.0.113.{n}").status_code == 401
    assert log_in(client, user.email, PASSWORD, "198.51.100.1").status_code == 302
    client.post("/logout", environ_base={"REMOTE_ADDR": "198.51.100.1"})
    # The nine before the right password are forgotten: ten more are counted from nothing.
    for n in range(10):
        assert log_in(client, user.email, WRONG, f"203.0.114.{n}").status_code == 401
    assert log_in(client, user.email, PASSWORD, "198.51.100.2").status_code == 429


def change_password(client, current):
    return client.post("/account/password", data={"current": current, "new": "a fresh long phrase"})


def test_the_password_form_shares_the_limit_per_address_with_the_login_form(limited, make_user):
    user = make_user("comms")
    client = limited.test_client()
    assert log_in(client, user.email).status_code == 302  # the address's first attempt
    statuses = [change_password(client, WRONG).status_code for _ in range(10)]
    assert statuses == [422] * 9 + [429]
    assert change_password(client, PASSWORD).status_code == 429
    with limited.app_context():
        assert db.session.get(type(user), user.id).check_password(PASSWORD)


def test_a_locked_account_cannot_change_its_password_either(limited, make_user):
    user = make_user("comms")
    signed_in, guesser = limited.test_client(), limited.test_client()
    assert log_in(signed_in, user.email).status_code == 302
    for n in range(10):
        assert log_in(guesser, user.email, WRONG, f"203.0.113.{n}").status_code == 401

    response = change_password(signed_in, PASSWORD)
    assert response.status_code == 429 and "Retry-After" in response.headers
    assert LOCKED in response.get_data(as_text=True)
    with limited.app_context():
        assert db.session.get(type(user), user.id).check_password(PASSWORD)


@pytest.mark.parametrize(
    ("workers", "settings"),
    [
        (1, {}),  # flask run or one worker: its memory is every count there is
        (4, {"ARCHIVE_RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379"}),
        (4, {"ARCHIVE_RATELIMIT_ENABLED": "false"}),
    ],
)
def test_workers_may_start_when_they_share_the_counts(workers, settings, tmp_path, monkeypatch):
    monkeypatch.setenv("ARCHIVE_INSTANCE_PATH", str(tmp_path))
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    check_workers_share_rate_limits(workers)


def ask_reset(client, email, address="127.0.0.1"):
    return client.post(
        "/password/forgot", data={"email": email}, environ_base={"REMOTE_ADDR": address}
    )


def test_reset_links_for_one_address_are_limited_from_any_client_alike(limited, make_user):
    from archive.mail.models import MailMessage

    user = make_user("contributor")
    client = limited.test_client()
    answers = {}
    for email in (user.email, "nobody@example.org"):
        for n in range(3):
            assert ask_reset(client, email, f"203.0.113.{n}").status_code == 302
        answers[email] = ask_reset(client, email, "198.51.100.1")
    db.session.rollback()  # the other app wrote them: see its commits
    assert db.session.query(MailMessage).count() == 3  # one inbox gets three links an hour
    for answer in answers.values():
        assert answer.status_code == 429
        assert 3590 <= int(answer.headers["Retry-After"]) <= 3600
    page = answers[user.email].get_data(as_text=True)
    assert "no more are sent for now. Use the newest one, or ask again in 60 minutes." in page
    unknown = answers["nobody@example.org"].get_data(as_text=True)
    assert unknown.replace("nobody@example.org", user.email) == page


def test_one_client_asking_for_many_reset_links_is_slowed_down(limited):
    client = limited.test_client()
    statuses = [ask_reset(client, f"person{n}@example.org").status_code for n in range(6)]
    assert statuses == [302] * 5 + [429]

"""Password guessing is limited per client address and per account, across every worker."""

import re
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from archive import create_app
from archive.config import check_workers_share_rate_limits
from archive.extensions import db
from tests.conftest import PASSWORD, ROOT, app_config, gunicorn_command
from tests.postgres import free_port

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


# --- under gunicorn, four workers -------------------------------------------------------


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 after logging in is the answer itself


_opener = urllib.request.build_opener(_NoRedirects)


def post_login(base: str, email: str, password: str, address: str | None = None):
    """Log in over a new connection; return (status, headers, page)."""
    request = urllib.request.Request(
        f"{base}/login",
        data=urllib.parse.urlencode({"email": email, "password": password}).encode(),
        headers={"X-Forwarded-For": address} if address else {},
    )
    try:
        with _opener.open(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def in_parallel(attempt, count: int) -> list:
    """Run attempt(0…count-1) at once, so that several workers must answer."""
    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(attempt, range(count)))


def access_log(tmp_path: Path) -> tuple:
    """gunicorn options logging each response's worker pid and status (e.g. "<123> 429")."""
    return ("--access-logfile", str(tmp_path / "access.log"), "--access-logformat", "%(p)s %(s)s")


def workers_answering(tmp_path: Path, status: int) -> set[str]:
    """Return the pids of the workers that answered with this status."""
    lines = (tmp_path / "access.log").read_text().split("\n")
    return {line.split()[0] for line in lines if re.fullmatch(rf"<\d+> {status}", line)}


def test_four_workers_count_login_attempts_together_or_refuse_to_start(
    app, redis_url, gunicorn_server, tmp_path
):
    # On memory:// each worker would count alone and let its own ten guesses through.
    command, environment = gunicorn_command(app, free_port(), 4, {"RATELIMIT_ENABLED": True})
    refused = subprocess.run(
        command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )
    assert refused.returncode == 1
    assert "4 workers would each count login attempts on their own" in refused.stderr
    assert "ARCHIVE_RATELIMIT_STORAGE_URI=redis://" in refused.stderr

    settings = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": redis_url}
    base = gunicorn_server(workers=4, settings=settings, options=access_log(tmp_path))
    # Each guess names another address, so only the count per client address can stop them.
    first = in_parallel(lambda n: post_login(base, f"guess{n}@example.org", WRONG), 10)
    assert [status for status, _, _ in first] == [401] * 10
    then = in_parallel(lambda n: post_login(base, f"more{n}@example.org", WRONG), 8)
    assert [status for status, _, _ in then] == [429] * 8
    assert all("Too many attempts" in page for _, _, page in then)
    assert len(workers_answering(tmp_path, 401)) >= 2
    assert len(workers_answering(tmp_path, 429)) >= 2


def test_ten_wrong_passwords_from_many_addresses_lock_the_account_on_every_worker(
    make_user, redis_url, gunicorn_server, tmp_path
):
    email = make_user("curator").email
    settings = {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": redis_url,
        # The client's address is the proxy's X-Forwarded-For, as behind nginx.
        "PROXY_FIX": {"x_for": 1},
        # Short, so the test can see the lock end.
        "ACCOUNT_RATE_LIMIT": "10 per 6 seconds",
    }
    base = gunicorn_server(workers=4, settings=settings, options=access_log(tmp_path))
    wrong = in_parallel(lambda n: post_login(base, email, WRONG, f"203.0.113.{n}"), 10)
    assert [status for status, _, _ in wrong] == [401] * 10

    locked = in_parallel(lambda n: post_login(base, email, PASSWORD, f"198.51.100.{n}"), 8)
    assert [status for status, _, _ in locked] == [429] * 8  # the right password too
    assert all(LOCKED in page for _, _, page in locked)
    assert len(workers_answering(tmp_path, 429)) >= 2

    time.sleep(max(int(headers["Retry-After"]) for _, headers, _ in locked))
    status, _, _ = post_login(base, email, PASSWORD, "192.0.2.1")
    assert status == 302  # the lock has ended

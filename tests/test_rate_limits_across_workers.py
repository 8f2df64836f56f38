"""Under gunicorn with four workers, password guesses are counted in the shared Redis store.

SQLite only: the counts live in Redis, so the database makes no difference here, and each
test starts a whole gunicorn.
"""

import re
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.auth.test_rate_limits import LOCKED, WRONG
from tests.fixtures.app import PASSWORD, ROOT
from tests.fixtures.servers import gunicorn_command
from tests.postgres import free_port


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


def workers_answering(tmp_path: Path, *statuses: int) -> set[str]:
    """Return the pids of the workers that answered with one of these statuses."""
    lines = (tmp_path / "access.log").read_text().split("\n")
    wanted = "|".join(str(status) for status in statuses)
    return {line.split()[0] for line in lines if re.fullmatch(rf"<\d+> ({wanted})", line)}


def every_worker_up(base: str, tmp_path: Path, workers: int = 4) -> None:
    """Wait until each worker has answered a request: the first to boot would take them all."""
    deadline = time.monotonic() + 60
    while len(workers_answering(tmp_path, 200)) < workers:
        assert time.monotonic() < deadline, "not every gunicorn worker answered within 60 s"
        in_parallel(lambda _: urllib.request.urlopen(f"{base}/login", timeout=30).close(), 8)


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
    every_worker_up(base, tmp_path)
    # Each guess names another address, so only the count per client address can stop them.
    first = in_parallel(lambda n: post_login(base, f"guess{n}@example.org", WRONG), 10)
    assert [status for status, _, _ in first] == [401] * 10
    then = in_parallel(lambda n: post_login(base, f"more{n}@example.org", WRONG), 8)
    assert [status for status, _, _ in then] == [429] * 8
    assert all("Too many attempts" in page for _, _, page in then)
    # Exactly ten got through although several workers answered: they shared one count.
    assert len(workers_answering(tmp_path, 401, 429)) >= 2


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
    every_worker_up(base, tmp_path)
    wrong = in_parallel(lambda n: post_login(base, email, WRONG, f"203.0.113.{n}"), 10)
    assert [status for status, _, _ in wrong] == [401] * 10

    locked = in_parallel(lambda n: post_login(base, email, PASSWORD, f"198.51.100.{n}"), 8)
    assert [status for status, _, _ in locked] == [429] * 8  # the right password too
    assert all(LOCKED in page for _, _, page in locked)
    assert len(workers_answering(tmp_path, 401, 429)) >= 2

    time.sleep(max(int(headers["Retry-After"]) for _, headers, _ in locked))
    status, _, _ = post_login(base, email, PASSWORD, "192.0.2.1")
    assert status == 302  # the lock has ended

"""Several hosts on one PostgreSQL: what one signs (sessions, forms, consent links) the others take.

Each host is its own gunicorn with an instance folder of its own, as on separate machines.
"""

import http.cookiejar
import re
import subprocess
import urllib.error
import urllib.parse
import urllib.request

import pytest

from archive.extensions import db
from archive.people.models import Person
from tests.fixtures.app import PASSWORD, ROOT
from tests.fixtures.servers import gunicorn_command
from tests.postgres import free_port

SHARED_KEY = "the key every host shares"
NEW_KEY = "the key after rotation"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is the answer itself


class Browser:
    """One person's browser; its cookies go to every host, as to one address behind a proxy."""

    def __init__(self, cookies: http.cookiejar.CookieJar | None = None):
        self.cookies = cookies or http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirects
        )

    def open(self, url: str, data: dict | None = None) -> tuple[int, str]:
        """Return the status and page of a GET, or of a POST when data is given."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(url, data=body, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def form_token(self, url: str) -> str:
        """Return the CSRF token of the form on the page at url."""
        status, page = self.open(url)
        assert status == 200, page
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]

    def remember_cookie_only(self) -> "Browser":
        """Return a browser holding only this one's "keep me logged in" cookie."""
        kept = http.cookiejar.CookieJar()
        for cookie in self.cookies:
            if cookie.name == "remember_token":
                kept.set_cookie(cookie)
        return Browser(kept)


def host(gunicorn_server, tmp_path, name: str, **keys) -> str:
    """Start a host with its own instance folder and forms protected by CSRF tokens."""
    settings = {"INSTANCE_PATH": str(tmp_path / name), "WTF_CSRF_ENABLED": True, **keys}
    return gunicorn_server(workers=1, settings=settings)


@pytest.fixture
def on_postgresql(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("several hosts share a database server; SQLite is one machine's file")


def test_a_session_a_form_and_a_consent_link_made_on_one_host_work_on_the_others(
    on_postgresql, app, gunicorn_server, tmp_path, make_user, make_person
):
    curator = make_user("curator")
    ada = make_person("Ada Byrne")
    a = host(gunicorn_server, tmp_path, "a", SECRET_KEY=SHARED_KEY)
    b = host(gunicorn_server, tmp_path, "b", SECRET_KEY=SHARED_KEY)
    browser = Browser()
    login = {"email": curator.email, "password": PASSWORD, "remember": "y"}
    status, page = browser.open(
        f"{a}/login", {**login, "csrf_token": browser.form_token(f"{a}/login")}
    )
    assert status == 302, page

    status, page = browser.open(f"{b}/people/")
    assert status == 200 and "Ada Byrne" in page

    token = browser.form_token(f"{a}/people/new")
    new_person = {"name": "Grace Okafor", "job_role": "0", "department": "0", "csrf_token": token}
    status, page = browser.open(f"{b}/people/new", new_person)
    assert status == 302, page

    token = browser.form_token(f"{a}/people/{ada.id}")
    status, page = browser.open(f"{a}/people/{ada.id}/link", {"csrf_token": token})
    link = re.search(r"/my-consent/([^\"]+)\"", page)[1]
    status, page = Browser().open(f"{b}/my-consent/{link}")
    assert status == 200 and "Ada Byrne" in page

    # Rotation: a host with a new key, the old one kept as a fallback, takes what the old signed.
    old_form = browser.form_token(f"{a}/people/new")
    c = host(gunicorn_server, tmp_path, "c", SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[SHARED_KEY])
    status, page = browser.remember_cookie_only().open(f"{c}/people/")
    assert status == 200 and "Ada Byrne" in page
    status, page = browser.open(f"{c}/people/")
    assert status == 200 and "Ada Byrne" in page
    new_person = {"name": "Ines Duarte", "job_role": "0", "department": "0", "csrf_token": old_form}
    status, page = browser.open(f"{c}/people/new", new_person)
    assert status == 302, page
    status, page = Browser().open(f"{c}/my-consent/{link}")
    assert status == 200 and "Ada Byrne" in page

    db.session.rollback()
    names = set(db.session.execute(db.select(Person.name)).scalars())
    assert {"Grace Okafor", "Ines Duarte"} <= names


def test_a_host_on_postgresql_with_no_secret_key_refuses_to_start_saying_what_to_set(
    on_postgresql, app, tmp_path
):
    settings = {"INSTANCE_PATH": str(tmp_path / "keyless"), "SECRET_KEY": None}
    command, environment = gunicorn_command(app, free_port(), 2, settings)
    refused = subprocess.run(
        command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=30
    )
    assert refused.returncode == 1
    [line] = [line for line in refused.stderr.splitlines() if "SECRET_KEY" in line]
    assert "Error: ARCHIVE_SECRET_KEY is not set" in line
    assert "every host must sign sessions, forms and consent links with the same key" in line
    assert not (tmp_path / "keyless" / "secret_key").exists()

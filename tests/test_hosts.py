"""Several hosts on one PostgreSQL database and one S3 bucket answer searches alike.

Each host is a gunicorn process with an instance folder (so a search index) of its own,
as an operator would run them; the writes go through host A's pages, and the searches
that follow go to B and C straight after, with no waiting in between.
"""

import json
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
from sqlalchemy import func, select

from archive.extensions import db
from archive.search.models import IndexChange, IndexLogHorizon
from tests.fixtures.app import DATABASES, PASSWORD, ROOT
from tests.fixtures.servers import gunicorn_command

pytestmark = [
    pytest.mark.skipif("postgresql" not in DATABASES, reason="PostgreSQL tests are turned off"),
    pytest.mark.parametrize("database", ["postgresql"], indirect=True),
    pytest.mark.parametrize("storage_setting", ["s3"], indirect=True),
]

SHARED_KEY = "the-same-secret-key-on-every-host"


class Host:
    """One running host, reached over HTTP with a cookie jar of its own."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str, *, as_visitor: bool = False) -> tuple[int, bytes]:
        opener = urllib.request.build_opener() if as_visitor else self.opener
        try:
            with opener.open(self.base + path, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def post(self, path: str, data: dict) -> int:
        body = urllib.parse.urlencode(data, doseq=True).encode()
        try:
            with self.opener.open(self.base + path, body, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def search(self, words: str) -> dict:
        """Return what a visitor's search answers: totals, facets, snippets, suggestion."""
        query = urllib.parse.urlencode({"q": words})
        status, body = self.get(f"/api/search?{query}", as_visitor=True)
        assert status == 200, body
        answer = json.loads(body)
        return {
            "total": answer["total"],
            "facets": answer["facets"],
            "suggestion": answer["suggestion"],
            # Each index ranks equal scores by its own document order: compared as a set.
            "results": sorted((item["id"], item["snippet"]) for item in answer["results"]),
        }

    def health(self) -> tuple[int, dict]:
        status, body = self.get("/healthz")
        return status, json.loads(body)


@pytest.fixture
def host_settings(app, tmp_path):
    """Return the ARCHIVE_* settings of a host with its own instance folder."""

    def settings(name: str, **extra) -> dict:
        return {
            "INSTANCE_PATH": str(tmp_path / name),
            "SECRET_KEY": SHARED_KEY,
            "STORAGE": app.config["STORAGE"],
            "S3_ENDPOINT_URL": app.config["S3_ENDPOINT_URL"],
            "INDEX_POLL_SECONDS": 1,
            **extra,
        }

    return settings


@pytest.fixture
def start_host(gunicorn_server, host_settings):
    """Start a host on the test's database and bucket; it is ready once its index is built."""

    def start(name: str, **extra) -> Host:
        return Host(gunicorn_server(workers=1, settings=host_settings(name, **extra)))

    return start


def same_everywhere(hosts: list[Host], words: str) -> dict:
    """Ask every host in turn, at once; return the answer after checking they agree."""
    answers = [host.search(words) for host in hosts]
    assert answers[1:] == answers[:1] * (len(hosts) - 1), words
    return answers[0]


def test_three_hosts_answer_alike_from_the_request_after_each_write(
    app, start_host, make_user, make_person, make_photo
):
    curator = make_user("curator")
    person = make_person("Priya Raman", scopes=["web", "press", "internal"])
    photo = make_photo(
        people=[person],
        title="Calibrating the spectrometer",
        caption="Priya calibrates the mass spectrometer before the training week.",
    )
    make_photo(title="Spectrometer room", caption="The spectrometer room.", status="approved")
    form_id = person.consent_forms[0].id
    hosts = [start_host(name) for name in ("a", "b", "c")]
    a = hosts[0]
    assert a.post("/login", {"email": curator.email, "password": PASSWORD}) == 200

    assert same_everywhere(hosts, "spectrometer")["total"] == 1  # the first is in review
    assert a.post(f"/review/{photo.id}", {"licence": photo.licence_id, "approve": "Approve"}) == 200
    approved = same_everywhere(hosts, "spectrometer")
    assert approved["total"] == 2 and photo.id in dict(approved["results"])
    assert (
        a.post(
            f"/photos/{photo.id}/edit",
            {
                "title": "Calibrating the spectrometer",
                "caption": "Priya calibrates the glovebox spectrometer.",
                "alt_text": "A technician at a spectrometer",
                "photographer": "",
            },
        )
        == 200
    )
    edited = same_everywhere(hosts, "glovebox")
    assert [photo_id for photo_id, _snippet in edited["results"]] == [photo.id]
    assert "<mark>glovebox</mark>" in edited["results"][0][1]
    assert same_everywhere(hosts, "glovebx")["suggestion"] == "glovebox"

    assert (
        a.post(f"/consent/{form_id}/withdraw", {"reason": "Asked in person", "confirm": "yes"})
        == 200
    )
    for words in ("spectrometer", "glovebox", "glovebx", "priya"):
        answer = same_everywhere(hosts, words)
        assert photo.id not in dict(answer["results"])
        assert answer["suggestion"] in (None, "spectrometer")
        counted = [count for counts in answer["facets"].values() for count in counts.values()]
        assert all(count <= answer["total"] for count in counted)
    assert same_everywhere(hosts, "spectrometer")["total"] == 1
    assert same_everywhere(hosts, "glovebox")["total"] == 0


def test_a_host_that_joins_after_the_log_was_pruned_builds_its_index_and_answers_alike(
    app, start_host, make_photo, tmp_path
):
    settings = {"INDEX_LOG_RETENTION_HOURS": 1 / 3600, "INDEX_REPORT_SECONDS": 0}
    hosts = [start_host(name, **settings) for name in ("a", "b")]
    for number in range(3):
        make_photo(title=f"Fume cupboard {number}", status="approved")
    same_everywhere(hosts, "cupboard")
    time.sleep(1.5)  # the changes outlive the retention...
    make_photo(title="Fume cupboard 3", status="approved")  # ...and the hosts apply this one
    for _ in range(50):
        db.session.rollback()
        if db.session.execute(select(IndexLogHorizon.pruned_through)).scalar():
            break
        time.sleep(0.1)
    oldest = db.session.execute(select(func.min(IndexChange.id))).scalar()
    assert oldest > 1  # the first changes are gone from the log

    late = start_host("d", **settings)
    assert late.search("cupboard") == same_everywhere(hosts, "cupboard")
    assert late.search("cupboard")["total"] == 4
    log = (tmp_path / "gunicorn.log").read_text()
    assert f"search index at {tmp_path / 'd' / 'index'} is new: rebuilding it" in log


def test_healthz_reports_its_own_hosts_lag(app, start_host, host_settings, make_photo):
    following = start_host("a")
    # A host whose follower is off: its index is built once, by hand, and then left.
    _command, environment = gunicorn_command(app, 0, 1, host_settings("b"))
    flask = [sys.executable, "-m", "flask", "--app", "archive", "reindex"]
    subprocess.run(flask, cwd=ROOT, env=environment, check=True, capture_output=True, timeout=120)
    stopped = start_host("b", INDEX_FOLLOW=False, INDEX_MAX_LAG_SECONDS=1)
    make_photo(title="Lathe", status="approved")
    time.sleep(1.5)
    status, answer = stopped.health()
    assert (status, answer["index"]) == (503, "behind")
    assert answer["index_lag"]["changes"] >= 1 and answer["index_lag"]["oldest_seconds"] >= 1
    assert following.health() == (
        200,
        {
            "status": "ok",
            "database": "ok",
            "storage": "ok",
            "index": "ok",
            "index_lag": {"changes": 0, "oldest_seconds": 0.0},
        },
    )

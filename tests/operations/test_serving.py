"""Production serving: gunicorn with the project's settings, /healthz, request ids, error pages."""

import json
import logging
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path

from archive import create_app
from archive.extensions import db
from archive.logs import JsonFormatter
from archive.search.models import IndexChange
from archive.storage import get_storage
from tests.fixtures.app import app_config

ALL_WELL = {
    "status": "ok",
    "database": "ok",
    "storage": "ok",
    "index": "ok",
    "index_lag": {"changes": 0, "oldest_seconds": 0.0},
}


def fetch(url: str, data: bytes | None = None, headers=None):
    """Return (status, headers, body) of a request, error statuses included."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def test_gunicorn_serves_health_request_ids_json_logs_and_the_upload_limit(
    app, gunicorn_server, tmp_path
):
    Path(app.instance_path, "config.py").write_text("MAX_UPLOAD_MB = 1\nMAX_FILES_PER_UPLOAD = 1\n")
    base = gunicorn_server()

    status, headers, body = fetch(f"{base}/healthz", headers={"X-Request-ID": "probe-42"})
    assert (status, json.loads(body)) == (200, ALL_WELL)
    assert headers["X-Request-ID"] == "probe-42"
    _, headers, _ = fetch(f"{base}/healthz", headers={"X-Request-ID": "not <plain>"})
    assert len(headers["X-Request-ID"]) == 32 and headers["X-Request-ID"] != "not <plain>"

    status, _, body = fetch(
        f"{base}/login",
        data=b"email=a%40example.org&password=" + b"x" * 1_200_000,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 413 and "The upload is too large: at most 1 MB per file" in body
    fetch(f"{base}/search?q=gender%3AQuokka")

    lines = [
        json.loads(line)
        for line in (tmp_path / "gunicorn.log").read_text().splitlines()
        if line.startswith("{")
    ]
    probe = [line for line in lines if line.get("request_id") == "probe-42"]
    assert probe and probe[0]["route"] == "/healthz" and probe[0]["status"] == 200
    assert any(line.get("route") == "/search" for line in lines)
    assert not any("Quokka" in json.dumps(line) for line in lines)


def test_healthz_names_the_part_that_failed_and_nothing_more(app, client, tmp_path, monkeypatch):
    assert client.get("/healthz").json == ALL_WELL
    (tmp_path / "not-a-folder").write_text("")
    monkeypatch.setattr(get_storage(), "root", tmp_path / "not-a-folder" / "media")
    db.session.add(IndexChange(photo_id=1, queued_at=datetime(2020, 1, 1)))
    db.session.commit()

    response = client.get("/healthz")
    assert response.status_code == 503
    answer = response.json
    lag = answer.pop("index_lag")
    assert answer == {
        "status": "error",
        "database": "ok",
        "storage": "error",
        "index": "behind",
    }
    assert lag["changes"] == 1 and lag["oldest_seconds"] > 365 * 24 * 3600


def test_an_unreachable_database_is_reported_as_such(tmp_path):
    broken = create_app(
        {**app_config(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/missing/archive.sqlite3"}
    )
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "error" and "sqlite" not in response.get_data(as_text=True)


def test_an_error_shows_the_archive_page_never_a_traceback_and_logs_its_request_id(
    app, tmp_path, caplog
):
    production = create_app(
        {**app_config(tmp_path / "production"), "DATABASE_URL": app.config["DATABASE_URL"],
         "TESTING": False}
    )  # fmt: skip
    assert production.debug is False

    @production.get("/boom")
    def boom():
        raise RuntimeError("internal detail 0xDEAD")

    response = production.test_client().get("/boom", headers={"X-Request-ID": "req-7"})
    page = response.get_data(as_text=True)
    assert response.status_code == 500 and "Something went wrong on our side" in page
    assert "0xDEAD" not in page and "Traceback" not in page
    assert response.headers["X-Request-ID"] == "req-7"
    [error] = [r for r in caplog.records if r.levelno == logging.ERROR]
    line = json.loads(JsonFormatter().format(error))
    assert line["request_id"] == "req-7" and "0xDEAD" in line["exception"]

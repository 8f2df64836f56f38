"""Set-up: configuration sources, the secret key, the database engine, init, demo, health."""

import os
import stat

import pytest
from sqlalchemy import text

from archive import create_app
from archive.consent.models import ConsentForm
from archive.extensions import db
from archive.people.models import Person
from archive.photos.models import Photo, PhotoStatus


def test_a_secret_key_is_generated_once_into_the_instance_folder(tmp_path):
    first = create_app({"INSTANCE_PATH": str(tmp_path)})
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first.config["SECRET_KEY"]) == 64
    assert (
        create_app({"INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"]
        == first.config["SECRET_KEY"]
    )


def test_a_shared_database_without_a_secret_key_refuses_to_start(tmp_path):
    url = "postgresql+psycopg://archive@127.0.0.1/archive"
    with pytest.raises(RuntimeError, match="ARCHIVE_SECRET_KEY is not set: on a shared database"):
        create_app({"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": url})
    assert not (tmp_path / "secret_key").exists()


def test_fallback_keys_given_as_one_string_are_refused(tmp_path, monkeypatch):
    # Not JSON, so read as a string: Flask would take each of its letters for a key.
    monkeypatch.setenv("ARCHIVE_SECRET_KEY_FALLBACKS", "the old key")
    with pytest.raises(RuntimeError, match="must be a JSON list of the earlier keys"):
        create_app({"INSTANCE_PATH": str(tmp_path)})


def test_settings_come_from_instance_config_then_archive_variables(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text("MAX_UPLOAD_MB = 20\nINSTITUTION = 'Test University'\n")
    monkeypatch.setenv("ARCHIVE_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("ARCHIVE_MAX_UPLOAD_MB", "7")
    app = create_app()
    assert app.instance_path == str(tmp_path)
    assert app.config["MAX_UPLOAD_MB"] == 7
    assert app.config["INSTITUTION"] == "Test University"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'archive.sqlite3'}"


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout_and_foreign_keys(app):
    connection = db.session.connection()
    assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 15_000
    assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_init_is_idempotent(runner):
    first = runner.invoke(args=["init"])
    again = runner.invoke(args=["init"])
    assert first.exit_code == again.exit_code == 0
    assert "added 0 vocabulary terms and 0 licences" in again.output


def test_the_demo_loads_people_consents_photos_and_prints_logins(app, runner, samples):
    result = runner.invoke(args=["demo", "--photos", "6"])
    assert result.exit_code == 0, result.output
    assert "admin@example.org" in result.output and "curator@example.org" in result.output
    assert "corrupted.jpg was refused" in result.output
    assert Person.query.count() == 20
    assert ConsentForm.query.filter(ConsentForm.person_id.isnot(None)).count() == 19
    camera = len([p for p in samples.rglob("*.jpg") if p.name != "corrupted.jpg"])
    assert Photo.query.count() == 6 + camera
    from archive.exhibitions.models import Exhibition

    exhibitions = Exhibition.query.all()
    assert sorted(e.title for e in exhibitions) == [
        "Apprentices at work",
        "Behind the research",
        "Laboratoria od kuchni",
        "Les ateliers de l'université",
        "Women in technical roles",
        "فنيّون في العمل",
    ]
    assert {e.language for e in exhibitions} == {"en", "fr", "pl", "ar"}
    women = Exhibition.query.filter_by(title="Women in technical roles").one()
    assert women.smart_rule == "gender:woman"
    statuses = {p.status for p in Photo.query.all()}
    assert {PhotoStatus.APPROVED, PhotoStatus.PENDING, PhotoStatus.REJECTED} <= statuses
    logins = os.path.join(app.instance_path, "demo-logins.txt")
    assert stat.S_IMODE(os.stat(logins).st_mode) == 0o600
    again = runner.invoke(args=["demo", "--photos", "6"])
    assert "already loaded" in again.output
    assert Photo.query.count() == 6 + camera


def test_pages_answer_errors_with_a_page_not_a_traceback(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "There is nothing here" in response.get_data(as_text=True)


def test_concurrent_read_then_write_transactions_lose_nothing(app, make_user):
    # Each writer reads a counter and writes it back plus one. Writers lock up front
    # (BEGIN IMMEDIATE), so none fails with "database is locked" and no update is lost.
    import threading

    from archive.auth.models import User
    from archive.core.database import write_transaction

    user_id = make_user("admin", name="0").id
    errors = []

    def bump(times: int) -> None:
        with app.app_context():
            for _ in range(times):
                try:
                    with write_transaction():
                        user = db.session.get(User, user_id)
                        user.name = str(int(user.name) + 1)
                except Exception as error:  # noqa: BLE001 - collected and asserted below
                    errors.append(error)

    threads = [threading.Thread(target=bump, args=(15,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.rollback()
    assert errors == []
    assert db.session.get(User, user_id).name == "60"


def test_every_page_carries_the_security_headers(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP here
    secure = client.get("/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_every_html_page_carries_the_security_headers(
    app, client, login_as, make_person, make_photo, make_exhibition
):
    from tests.fixtures.routes import get_urls, route_values

    admin = login_as("admin")
    person = make_person("Mei Lin", scopes=["web", "internal", "press", "exhibition"])
    photo = make_photo(people=[person], status="approved")
    exhibition = make_exhibition([photo])
    urls = get_urls(
        app, **route_values(photo=photo, person=person, user=admin, exhibition=exhibition)
    )
    pages = 0
    for url in urls:
        with client.get(url) as response:
            if response.mimetype != "text/html":
                continue
            pages += 1
            assert "script-src 'self'" in response.headers.get("Content-Security-Policy", ""), url
            assert response.headers["X-Frame-Options"] == "DENY", url
            assert response.headers["X-Content-Type-Options"] == "nosniff", url
            assert response.headers["Referrer-Policy"] in ("same-origin", "no-referrer"), url
    assert pages >= 25  # every HTML page an admin can open, errors included

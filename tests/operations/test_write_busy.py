"""A write stuck behind another host's is refused with a page saying so, and saves nothing."""

import logging
import threading
import time
from contextlib import contextmanager

import pytest
from sqlalchemy.exc import DBAPIError

from archive import create_app
from archive.core.database import write_transaction
from archive.core.intake import RejectedUpload
from archive.extensions import db
from archive.people.models import Person
from archive.photos.file_boundary import one_file
from archive.photos.ingest import PhotoDetails, ingest_file
from archive.photos.models import Photo
from tests.fixtures.app import PASSWORD, app_config

GRACE = {"name": "Grace Okafor", "job_role": "0", "department": "0"}


def another_host(app, tmp_path, name: str, **settings):
    """Return an app on the same database with an instance folder of its own."""
    config = {**app_config(tmp_path / name), "DATABASE_URL": app.config["DATABASE_URL"]}
    return create_app({**config, **settings})


@contextmanager
def write_lock_held(host, seconds: float = 20):
    """Hold the write lock on the host for seconds, as a writer stuck mid-transaction would.

    Yields the error the stuck writer met in the end, if any, in a list.
    """
    held, release, met = threading.Event(), threading.Event(), []

    def hold():
        with host.app_context():
            try:
                with write_transaction():
                    held.set()
                    release.wait(seconds)
            except DBAPIError as error:  # the server ended the transaction
                met.append(error)
            finally:
                db.session.remove()
                db.engine.dispose()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(10), "the other host never got the write lock"
        yield met
    finally:
        release.set()
        holder.join()


def logged_in_client(host, user):
    client = host.test_client()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def people_named(name: str) -> int:
    db.session.rollback()  # a new transaction, to see what the other apps committed
    return len(db.session.execute(db.select(Person).filter_by(name=name)).all())


def test_a_write_waiting_too_long_for_another_hosts_is_refused_and_saves_nothing(
    app, tmp_path, make_user, caplog
):
    host = another_host(
        app, tmp_path, "b", DATABASE_LOCK_TIMEOUT_SECONDS=0.5, SQLITE_BUSY_TIMEOUT_MS=500
    )
    client = logged_in_client(host, make_user("curator"))
    with write_lock_held(another_host(app, tmp_path, "a")):
        started = time.monotonic()
        refused = client.post("/people/new", data=GRACE)
        waited = time.monotonic() - started
    page = refused.get_data(as_text=True)
    assert refused.status_code == 503 and refused.headers["Retry-After"] == "5"
    assert "Someone else is saving a change just now" in page
    assert "Nothing of yours was saved: please try again in a moment." in page
    assert waited < 5
    assert people_named("Grace Okafor") == 0
    assert any(
        record.levelno == logging.WARNING and "gave up waiting for the write lock" in record.message
        for record in caplog.records
    )

    assert client.post("/people/new", data=GRACE).status_code == 302
    assert people_named("Grace Okafor") == 1
    with host.app_context():
        db.engine.dispose()


def test_an_upload_behind_another_hosts_write_is_refused_saying_so_and_leaves_no_row(
    app, tmp_path, picture, caplog
):
    host = another_host(
        app, tmp_path, "b", DATABASE_LOCK_TIMEOUT_SECONDS=0.5, SQLITE_BUSY_TIMEOUT_MS=500
    )
    details = PhotoDetails(title="Bench", alt_text="A bench", no_identifiable_people=True)
    with host.app_context(), write_lock_held(another_host(app, tmp_path, "a")):
        busy = pytest.raises(RejectedUpload, match="Someone else is saving a change just now")
        with busy, one_file("IMG_0001.JPG"):
            ingest_file(picture(), details, original_filename="IMG_0001.JPG", uploaded_by=None)
        db.engine.dispose()
    db.session.rollback()
    assert db.session.execute(db.select(Photo)).all() == []
    # Deciding whether a file is unused takes the lock too: they wait for check --repair.
    assert "files after a failed upload for check: writes are busy" in caplog.text


def test_a_writer_stuck_mid_transaction_is_ended_so_the_other_hosts_write_again(
    app, tmp_path, make_user
):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no idle-in-transaction timeout; one machine holds its writers")
    host = another_host(app, tmp_path, "b", DATABASE_LOCK_TIMEOUT_SECONDS=3)
    client = logged_in_client(host, make_user("curator"))
    stuck = another_host(app, tmp_path, "a", DATABASE_IDLE_TRANSACTION_TIMEOUT_SECONDS=0.5)
    with write_lock_held(stuck, seconds=6) as met:
        started = time.monotonic()
        saved = client.post("/people/new", data=GRACE)
        waited = time.monotonic() - started
    assert saved.status_code == 302 and waited < 2.5
    assert people_named("Grace Okafor") == 1
    assert "idle-in-transaction timeout" in str(met[0])
    with host.app_context():
        db.engine.dispose()

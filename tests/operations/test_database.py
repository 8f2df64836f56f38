"""What write_transaction and the timestamps promise holds on SQLite and PostgreSQL alike."""

import threading
import time
from datetime import UTC, datetime, timedelta

from archive.auth.models import User
from archive.core.database import write_transaction
from archive.extensions import db


def test_write_transactions_run_one_at_a_time(app, make_user):
    user_id = make_user("contributor").id
    db.session.rollback()  # end this session's read, to see what the threads commit
    first_inside, events = threading.Event(), []

    def first():
        with app.app_context():
            with write_transaction():
                db.session.get(User, user_id).name = "First"
                first_inside.set()
                time.sleep(0.5)
                events.append("first commits")
            db.session.remove()

    def second():
        first_inside.wait()
        with app.app_context():
            with write_transaction():
                events.append("second begins")
                # Read after the first committed: its change is seen, not overwritten.
                db.session.get(User, user_id).name += " then second"
            db.session.remove()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert events == ["first commits", "second begins"]
    db.session.rollback()
    assert db.session.get(User, user_id).name == "First then second"


def test_database_timestamps_are_utc(make_user):
    created = make_user("curator").created_at
    assert abs(created - datetime.now(UTC).replace(tzinfo=None)) < timedelta(minutes=1)


def test_email_addresses_match_whatever_their_case_accents_included(make_user):
    from archive.auth.services import find_user_by_email

    user = make_user("comms", email="Émilie.Noël@Example.org")
    assert find_user_by_email("émilie.noël@example.org") == user
    assert find_user_by_email("ÉMILIE.NOËL@EXAMPLE.ORG") == user
    assert find_user_by_email("emilie.noel@example.org") is None

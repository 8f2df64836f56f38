"""Every host's index follows the one change log with a cursor of its own.

Two apps on one database, each with its own instance folder, are two hosts here; the
same across real processes is in test_hosts.py.
"""

import json
from datetime import date, datetime

import pytest
from sqlalchemy import delete, update

from archive import create_app
from archive.auth.models import Role
from archive.consent.intake import withdraw_consent
from archive.extensions import db
from archive.photos.services import approve
from archive.search import cursor
from archive.search import index as search_index
from archive.search.index import apply_pending_changes, index_path, indexed_ids, searched_through
from archive.search.log import newest_change, pruned_through
from archive.search.models import IndexChange, IndexHost
from archive.search.query import SearchRequest, search
from tests.fixtures.app import app_config


@pytest.fixture
def second_host(app, tmp_path):
    """Return another host: an app on the same database, with its own instance folder."""
    config = {**app_config(tmp_path / "host-b"), "DATABASE_URL": app.config["DATABASE_URL"]}
    other = create_app(config)
    yield other
    with other.app_context():
        db.engine.dispose()


def answer(text: str, role: Role | None = None) -> tuple[int, dict, list[int]]:
    """Return a search's total, facet counts and photo ids."""
    results = search(SearchRequest(text), role)
    return results.total, results.facets, results.photo_ids


@pytest.fixture
def rewritten(monkeypatch) -> list[int]:
    """Record the photos each index write rewrites, in order."""
    written = []
    real = search_index._rewrite

    def spy(writer, photo_ids):
        written.extend(photo_ids)
        real(writer, photo_ids)

    monkeypatch.setattr(search_index, "_rewrite", spy)
    return written


def test_applying_the_log_deletes_nothing_and_each_host_keeps_its_place(
    app, second_host, make_user, make_person, make_photo
):
    curator = make_user("curator")
    person = make_person("Aisha Bello", scopes=["web"])
    photo = make_photo(people=[person], title="Microscope maintenance")
    approve(photo, curator, tag_ids=[], licence_id=photo.licence_id)
    logged = IndexChange.query.count()
    assert logged > 0 and searched_through() == newest_change()  # host A applied its write
    with second_host.app_context():
        assert searched_through() is None  # host B has never built its index
        assert apply_pending_changes() == 1  # ...so it builds it from the database
        assert searched_through() == newest_change()
        assert answer("microscope")[2] == [photo.id]
    assert IndexChange.query.count() == logged  # applying removed no change from the log
    withdraw_consent(person.consent_forms[0], by=curator, on=date.today())
    assert answer("microscope")[0] == 0
    with second_host.app_context():
        # B was not told; its next search catches up before answering.
        assert searched_through() < newest_change()
        total, facets, ids = answer("microscope")
        assert (total, ids) == (0, []) and not any(facets.values())
        assert searched_through() == newest_change()


def test_a_search_a_host_cannot_catch_up_for_counts_no_changed_photo(
    app, second_host, make_user, make_person, make_photo, monkeypatch
):
    curator = make_user("curator")
    person = make_person("Priya Raman", scopes=["web"])
    photo = make_photo(people=[person], title="Priya at the spectrometer", status="approved")
    make_photo(people=[], title="Spectrometer room", status="approved")
    with second_host.app_context():
        apply_pending_changes()
        assert answer("spectrometer")[0] == 2
        assert search(SearchRequest("priyq"), None).suggestion == "priya"
    withdraw_consent(person.consent_forms[0], by=curator, on=date.today())
    with second_host.app_context():
        # Host B's index is busy (another worker holds its lock) and so stays behind...
        busy = search_index.open_index().writer()
        monkeypatch.setattr("archive.search.freshness.CATCH_UP_SECONDS", 0.1)
        try:
            total, facets, ids = answer("spectrometer")
            suggestion = search(SearchRequest("priyq"), None).suggestion
        finally:
            busy.cancel()
        # ...and answers only from what the database confirms: the withdrawn photo is in
        # no total, no facet count and no suggestion, though B's index still has it.
        assert (total, ids) == (1, [ids[0]]) and photo.id not in ids
        assert sum(count for _value, count in facets["licence"]) == 1
        assert suggestion is None
        assert searched_through() < newest_change()


def test_a_crash_after_the_index_commit_loses_and_repeats_nothing(
    app, make_user, make_photo, rewritten, monkeypatch
):
    """Killed between the index's commit and its report to the database, a host resumes."""
    curator = make_user("curator")
    first = make_photo(title="Fume cupboard test")
    apply_pending_changes()
    rewritten.clear()

    def killed(*_args):
        raise KeyboardInterrupt("host killed")

    with monkeypatch.context() as patched, pytest.raises(KeyboardInterrupt):
        patched.setattr(search_index, "_report", killed)
        approve(first, curator, tag_ids=[], licence_id=first.licence_id)
    assert rewritten == [first.id]
    assert searched_through() == newest_change()  # the cursor committed with the index
    assert apply_pending_changes() == 0  # the restarted host repeats nothing
    second = make_photo(title="Glovebox leak test")
    assert rewritten == [first.id, second.id]  # ...and loses nothing after it
    assert answer("glovebox", Role.CURATOR)[2] == [second.id]


def test_a_crash_before_the_index_commit_loses_nothing(app, make_photo, rewritten, monkeypatch):
    """Killed after the cursor was prepared but before the index committed, a host redoes it."""
    apply_pending_changes()
    real = cursor.prepare

    def prepared_then_killed(*args):
        real(*args)
        raise KeyboardInterrupt("host killed")

    with monkeypatch.context() as patched, pytest.raises(KeyboardInterrupt):
        patched.setattr(cursor, "prepare", prepared_then_killed)
        make_photo(title="Cryostat refill")
    [photo_id] = rewritten
    assert searched_through() < newest_change()  # the prepared cursor did not count
    assert photo_id not in indexed_ids()
    assert apply_pending_changes() == 1  # the restarted host writes the change again
    assert answer("cryostat", Role.CURATOR)[2] == [photo_id]


def test_pruning_keeps_what_a_live_host_has_not_applied_and_a_late_host_rebuilds(
    app, second_host, make_photo, caplog
):
    for host in (app, second_host):
        host.config.update(INDEX_REPORT_SECONDS=0, INDEX_LOG_RETENTION_HOURS=1)
    db.session.execute(delete(IndexHost))  # the host that made the test's template database
    db.session.commit()
    with second_host.app_context():
        apply_pending_changes()
        b_through = searched_through()
    make_photo(title="Autoclave cycle")
    make_photo(title="Centrifuge balance")
    past_b = IndexChange.query.filter(IndexChange.id > b_through).count()
    db.session.execute(update(IndexChange).values(queued_at=datetime(2020, 1, 1)))
    db.session.commit()
    apply_pending_changes()  # A has every change and reports: B holds back what it lacks
    assert IndexChange.query.filter(IndexChange.id > b_through).count() == past_b > 0
    with second_host.app_context():
        apply_pending_changes()
        assert IndexHost.query.count() == 2
    # Now every host has every change: all go but the newest, so ids are never reused.
    db.session.rollback()  # read afresh, as A's next request would
    assert [change.id for change in IndexChange.query.all()] == [newest_change()]
    assert pruned_through() > b_through
    # A host that was away while its changes were pruned rebuilds rather than miss them.
    generation = search_index.index_generation()
    (index_path() / cursor.CURSOR_FILE).write_text(json.dumps({str(generation): [b_through, 0]}))
    caplog.clear()
    assert apply_pending_changes() == 2
    assert "behind the pruned change log: rebuilding" in caplog.text
    assert answer("centrifuge", Role.CURATOR)[0] == 1


def test_an_erasure_takes_the_name_out_of_every_hosts_index_files(
    app, second_host, make_user, make_person, make_photo, caplog
):
    from archive.consent.erasure import erase_person

    admin = make_user("admin")
    person = make_person("Rhys Morgan", scopes=["web"])
    make_photo(people=[person], title="Rhys Morgan at the lathe", status="approved")
    with second_host.app_context():
        apply_pending_changes()
        assert b"morgan" in index_files()
    erase_person(person, by=admin, delete_originals=False)
    assert b"morgan" not in index_files()  # this host rebuilt at once
    with second_host.app_context():
        # The other host's next search is already right, though its files still hold the name...
        assert search(SearchRequest("lathe"), Role.CURATOR).total == 1
        assert search(SearchRequest("morgan"), Role.CURATOR).total == 0
        assert b"morgan" in index_files()
        # ...until its follower's next run, which rebuilds it as the erasure asked.
        caplog.clear()
        apply_pending_changes()
        assert "older than an erasure" in caplog.text
        assert b"morgan" not in index_files()


def index_files() -> bytes:
    """Return this host's index files, concatenated, in lower case."""
    return b"".join(p.read_bytes() for p in index_path().rglob("*") if p.is_file()).lower()


def test_a_rebuild_that_finds_the_index_busy_waits_for_the_next_run(
    app, second_host, make_photo, monkeypatch, caplog
):
    make_photo(title="Dewar refill", status="approved")
    monkeypatch.setattr(search_index, "LOCK_WAIT_SECONDS", 0.2)
    with second_host.app_context():
        busy = search_index.open_index()  # host B's first index, not built yet
        with monkeypatch.context() as patched:
            # Another process takes the lock between this one's look and its rebuild.
            real_rebuild = search_index.reindex

            def rebuild_while_busy():
                writer = busy.writer()
                try:
                    return real_rebuild()
                finally:
                    writer.cancel()

            patched.setattr(search_index, "reindex", rebuild_while_busy)
            assert apply_pending_changes() == 0  # no error for the follower to log
        assert "it is rebuilt on the next run" in caplog.text
        assert apply_pending_changes() == 1
        assert answer("dewar")[0] == 1

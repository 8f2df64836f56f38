"""The index follows the database through the change queue, whatever fails in between."""

from datetime import date

import pytest
from whoosh.index import open_dir

from archive.auth.models import Role
from archive.consent.intake import withdraw_consent
from archive.extensions import db
from archive.photos.models import Photo, PhotoStatus
from archive.photos.services import approve
from archive.search import index as search_index
from archive.search.index import apply_pending_changes, index_path, indexed_ids, searched_through
from archive.search.log import changes_after, photos_changed_after
from archive.search.query import SearchRequest, search


def comms_finds(text: str) -> set[int]:
    return set(search(SearchRequest(text), Role.COMMS).photo_ids)


def queued() -> int:
    """Return how many photos have changes this host's index has not applied."""
    db.session.rollback()
    return len(photos_changed_after(searched_through()))


def test_every_write_reaches_the_index_at_once(app, make_user, make_person, make_photo):
    curator = make_user("curator")
    person = make_person("Aisha Bello", scopes=["press"])
    photo = make_photo(people=[person], title="Microscope maintenance")
    apply_pending_changes()
    assert photo.id in indexed_ids() and comms_finds("microscope") == set()
    approve(photo, curator, tag_ids=[], licence_id=photo.licence_id)
    assert comms_finds("microscope") == {photo.id}  # no explicit reindex: the write did it
    withdraw_consent(person.consent_forms[0], by=curator, on=date.today())
    assert comms_finds("microscope") == set()
    assert queued() == 0


def test_a_crash_between_commit_and_index_write_is_reported_and_closed(
    app, runner, make_user, make_photo, monkeypatch
):
    curator = make_user("curator")
    photo = make_photo(title="Glassblowing")
    apply_pending_changes()

    def crash(writer, photo_ids):
        raise RuntimeError("indexer killed")

    monkeypatch.setattr(search_index, "_rewrite", crash)
    approve(photo, curator, tag_ids=[], licence_id=photo.licence_id)  # the write succeeds
    assert db.session.get(Photo, photo.id).status == PhotoStatus.APPROVED
    assert comms_finds("glassblowing") == set()  # the index is behind
    monkeypatch.undo()

    report = runner.invoke(args=["check"])
    assert report.exit_code == 1
    assert "photos waiting to be reindexed: 1" in report.output
    assert apply_pending_changes() == 1  # the next indexer run closes the gap
    assert comms_finds("glassblowing") == {photo.id}
    clean = runner.invoke(args=["check"])
    assert clean.exit_code == 0, clean.output
    assert "0 problems found" in clean.output


def test_a_held_index_lock_delays_indexing_but_never_fails_the_write(
    app, make_user, make_photo, monkeypatch
):
    curator = make_user("curator")
    photo = make_photo(title="Server room rounds")
    apply_pending_changes()
    monkeypatch.setattr(search_index, "LOCK_WAIT_SECONDS", 0.2)
    other_worker = open_dir(index_path()).writer()  # another process holds the lock
    try:
        approve(photo, curator, tag_ids=[], licence_id=photo.licence_id)
        assert queued() == 1
    finally:
        other_worker.cancel()
    assert apply_pending_changes() == 1
    assert comms_finds("server") == {photo.id}


def test_check_repair_requeues_what_the_index_lost(app, runner, make_photo):
    photo = make_photo(title="Field kit check", status="approved")
    apply_pending_changes()
    writer = open_dir(index_path()).writer()
    writer.delete_by_term("id", str(photo.id))  # the index loses a document
    writer.commit()
    report = runner.invoke(args=["check"])
    assert f"photo missing from the search index: {photo.id}" in report.output
    repaired = runner.invoke(args=["check", "--repair"])
    assert "repaired: brought 1 photos up to date" in repaired.output
    assert photo.id in indexed_ids()


def test_reindex_rebuilds_everything_and_empties_the_queue(app, runner, make_photo):
    photos = [make_photo(title=f"Photo {n}", status="approved") for n in range(3)]
    assert queued() > 0
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0 and "Indexed 3 photos." in result.output
    assert indexed_ids() == {photo.id for photo in photos}
    assert queued() == 0


@pytest.mark.parametrize("change", ["person", "licence", "consent", "edi"])
def test_changes_to_related_records_queue_their_photos(
    app, make_user, make_person, make_photo, change
):
    make_user("curator")
    person = make_person("Yusuf Ali", scopes=["web"])
    photo = make_photo(people=[person], status="approved")
    apply_pending_changes()
    assert queued() == 0
    if change == "person":
        person.name = "Yusuf A. Ali"
    elif change == "licence":
        photo.licence.terms = "New terms"
    elif change == "consent":
        person.consent_forms[0].expires_on = date(2030, 1, 1)
    else:
        from archive.people.edi import edi_attributes, set_answers

        gender = next(a for a in edi_attributes() if a.key == "gender")
        set_answers(person, {gender.id: (gender.options[0].id, "")}, None)
    db.session.commit()
    assert [photo_id for _change, photo_id in changes_after(searched_through())] == [photo.id]

"""`check` compares what each document says with the database, and `--repair` rewrites it."""

import os
import shutil
import subprocess
import sys
from datetime import date, timedelta

import pytest
from sqlalchemy import select, text
from whoosh.index import create_in, open_dir

from archive.auth.models import Role
from archive.demo.loader import load_demo
from archive.extensions import db
from archive.people.models import Vocabulary
from archive.photos.models import Photo
from archive.search import cursor
from archive.search.consistency import stale_documents
from archive.search.documents import INDEXED, document_for
from archive.search.index import apply_pending_changes, index_path, searched_through
from archive.search.log import photos_changed_after
from archive.search.query import SearchRequest, search
from archive.search.schema import build_schema
from tests.fixtures.app import ROOT
from tests.search.conftest import term


def comms_finds(words: str) -> set[int]:
    return set(search(SearchRequest(words), Role.COMMS).photo_ids)


def write_into_index(documents: list[dict]) -> None:
    """Write documents straight into the index, as a host that missed changes holds them."""
    writer = open_dir(index_path()).writer()
    for document in documents:
        writer.update_document(**document)
    # The index stays where it was in the change log: only its content goes wrong.
    position = cursor.position(index_path(), writer.generation - 1)
    cursor.prepare(index_path(), writer.generation - 1, writer.generation, *position)
    writer.commit()


def nothing_queued() -> bool:
    db.session.rollback()
    return photos_changed_after(searched_through()) == set()


def retitle_by_sql(photo) -> tuple[str, str | None]:
    db.session.execute(
        text("UPDATE photos SET title = 'Replacing the fume hood filters' WHERE id = :id"),
        {"id": photo.id},
    )
    db.session.commit()
    return "cleanroom", "fume"


def withdraw_by_sql(photo) -> tuple[str, str | None]:
    # The headline case: the index still shows comms staff a photo whose consent is gone.
    db.session.execute(
        text("UPDATE consent_forms SET withdrawn_on = :today"), {"today": date.today()}
    )
    db.session.commit()
    return "cleanroom", None


def write_back_an_old_document(photo) -> tuple[str, str | None]:
    photo = db.session.get(Photo, photo.id)  # check, like reindex, lets go of what it read
    old = document_for(photo)
    photo.title = "Replacing the fume hood filters"
    db.session.commit()
    apply_pending_changes()
    assert comms_finds("fume") == {photo.id}
    write_into_index([old])
    return "cleanroom", "fume"


# Each makes the photo's document stale and returns the word the index should stop finding
# it by and the one it should start finding it by, if any.
BEHIND_THE_APPS_BACK = [retitle_by_sql, withdraw_by_sql, write_back_an_old_document]


@pytest.mark.parametrize("make_stale", BEHIND_THE_APPS_BACK)
def test_check_names_a_document_made_stale_behind_the_apps_back_and_repair_rewrites_it(
    app, runner, consented_photo, make_stale
):
    apply_pending_changes()
    assert runner.invoke(args=["check"]).exit_code == 0
    old_word, new_word = make_stale(consented_photo)
    assert nothing_queued()  # no change was recorded: only the content tells
    assert comms_finds(old_word) == {consented_photo.id}

    found = runner.invoke(args=["check"])
    assert found.exit_code == 1
    assert f"photo whose search document is out of date: {consented_photo.id}" in found.output
    assert "1 problems found" in found.output

    repaired = runner.invoke(args=["check", "--repair"])
    assert repaired.exit_code == 0, repaired.output
    assert "repaired: brought 1 photos up to date in the search index" in repaired.output
    assert comms_finds(old_word) == set()
    if new_word:
        assert comms_finds(new_word) == {consented_photo.id}
    again = runner.invoke(args=["check"])
    assert again.exit_code == 0, again.output
    assert "0 problems found" in again.output


def test_an_index_from_before_fingerprints_counts_every_document_stale(
    app, runner, consented_photo, make_photo
):
    equipment = make_photo(title="The new lathe", status="approved")
    apply_pending_changes()
    schema = build_schema()
    schema.remove("fingerprint")
    shutil.rmtree(index_path())
    index_path().mkdir()
    writer = create_in(index_path(), schema).writer()
    for photo in (consented_photo, equipment):
        writer.add_document(**{k: v for k, v in document_for(photo).items() if k != "fingerprint"})
    writer.commit()

    found = runner.invoke(args=["check"])
    assert found.exit_code == 1, found.output  # a finding, not a crash
    for photo in (consented_photo, equipment):
        assert f"photo whose search document is out of date: {photo.id}" in found.output
    # The upgraded host finds no cursor in the old folder and rebuilds, with every field.
    assert apply_pending_changes() == 2
    clean = runner.invoke(args=["check"])
    assert clean.exit_code == 0, clean.output


def scope_fields(document: dict) -> dict:
    return {key: value for key, value in document.items() if key.startswith("until_")}


def indexed_photos() -> list[Photo]:
    db.session.rollback()
    return list(db.session.execute(select(Photo).where(INDEXED)).scalars())


def test_a_fresh_demo_archive_has_no_stale_documents_today_or_on_a_later_day(
    app, make_person, make_photo, tmp_path
):
    today = date.today()
    # The real camera files are slow to ingest and show no one: leave them out.
    app.config["SAMPLES_PATH"] = str(tmp_path / "no-camera-samples")
    # The demo's consents: some expiring in 12 days, expired 20 days ago, withdrawn 3 days ago.
    load_demo(echo=lambda line: None, photo_count=8)
    for name, signed_on, expires_on in (
        ("Signed for next week", today + timedelta(days=7), None),
        ("Expiring today", today - timedelta(days=100), today),
        ("Expired last month", today - timedelta(days=100), today - timedelta(days=30)),
    ):
        person = make_person(name, scopes=["web", "press"], signed_on=signed_on)
        person.consent_forms[0].expires_on = expires_on
        db.session.commit()
        make_photo(people=[person], title=name, status="approved")
    apply_pending_changes()
    assert stale_documents() == []

    # The same archive, indexed 40 days ago and untouched since: the expired and the
    # withdrawn consents still counted then. The documents differ from today's, and yet
    # none is stale: each is compared with the document for the day it was made.
    then = today - timedelta(days=40)
    photos = indexed_photos()
    old = {photo.id: document_for(photo, then) for photo in photos}
    assert any(scope_fields(old[photo.id]) != scope_fields(document_for(photo)) for photo in photos)
    write_into_index(list(old.values()))
    assert stale_documents() == []


def flask(app, command: str, hash_seed: int) -> subprocess.CompletedProcess:
    """Run a flask command on the test's archive in a process of its own."""
    environment = {
        **os.environ,
        "ARCHIVE_INSTANCE_PATH": app.instance_path,
        "ARCHIVE_DATABASE_URL": app.config["DATABASE_URL"],
        "ARCHIVE_SECRET_KEY": app.config["SECRET_KEY"],
        "PYTHONHASHSEED": str(hash_seed),
    }
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "archive", command],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_document_made_in_one_process_matches_in_another(app, make_person, make_photo):
    person = make_person("Aisha Bello", scopes=["press"])
    person.job_role = term(Vocabulary.JOB_ROLE, "Laboratory technician")
    person.department = term(Vocabulary.DEPARTMENT, "Chemistry")
    photo = make_photo(people=[person], status="approved")
    photo.tags = [
        term(Vocabulary.JOB_ROLE, "Workshop technician"),
        term(Vocabulary.JOB_ROLE, "Apprentice"),
        term(Vocabulary.DEPARTMENT, "Physics"),
        term(Vocabulary.DEPARTMENT, "Engineering"),
    ]
    db.session.commit()
    db.session.close()  # SQLite: the other processes write
    # Each process orders a set of words its own way (hash randomisation): the index is
    # written by gunicorn workers, checked from cron.
    assert flask(app, "reindex", hash_seed=1).returncode == 0
    for seed in (2, 3):
        checked = flask(app, "check", hash_seed=seed)
        assert "out of date" not in checked.stdout, checked.stdout
        assert checked.returncode == 0, checked.stdout + checked.stderr

"""Erasing a person deletes their files, never a file another record needs or is about to."""

import io
from datetime import date
from pathlib import Path

from PIL import Image

from archive.auth.models import User
from archive.consent.erasure import erase_person
from archive.consent.intake import check_consent_file, record_consent, store_consent_forms
from archive.consent.models import ConsentForm, ConsentScope
from archive.extensions import db
from archive.licences.services import licence_by_code
from archive.operations.check import check
from archive.photos.ingest import PhotoDetails, ingest_file
from archive.photos.models import Photo
from tests.fixtures.photos import stored_files


def group_form(tmp_path: Path) -> Path:
    """Write one small PDF: the signed form of a group photo session."""
    buffer = io.BytesIO()
    Image.new("RGB", (200, 280), "white").save(buffer, "PDF")
    path = tmp_path / "group-consent.pdf"
    path.write_bytes(buffer.getvalue())
    return path


def record_form(path: Path, person, curator: User) -> ConsentForm:
    """Store the file at path as the person's signed form granting web use."""
    [form] = store_consent_forms(
        [check_consent_file(path, path.name)], uploaded_by=None, batch_id=None
    )
    return record_consent(
        form,
        person=person,
        scopes={ConsentScope.WEB},
        signed_on=date(2025, 1, 1),
        expires_on=None,
        recorded_by=curator,
    )


def ingest(path: Path, people=()) -> Photo:
    """Ingest the file at path as an approved photo showing people."""
    photo = ingest_file(
        path,
        PhotoDetails(
            title="Group at the bench",
            alt_text="Technicians at a bench",
            licence_id=licence_by_code("INST-USE").id,
            people=list(people),
            no_identifiable_people=not people,
        ),
        original_filename=path.name,
        uploaded_by=None,
    ).photo
    photo.status = "approved"
    db.session.commit()
    return photo


def assert_served(client, derivatives) -> None:
    """Check that each derivative is still sent: its file survived the erasure."""
    for derivative in derivatives:
        with client.get(f"/media/{derivative.sha256}.jpg") as response:
            assert response.status_code == 200 and response.mimetype == "image/jpeg"


def test_erasing_one_person_keeps_the_group_form_another_person_signed(
    app, client, login_as, make_user, make_person, tmp_path
):
    curator = make_user("curator")
    first, second = make_person("Aled Jones"), make_person("Bronwen Price")
    path = group_form(tmp_path)
    first_form, second_form = record_form(path, first, curator), record_form(path, second, curator)
    assert first_form.storage_key == second_form.storage_key  # content-addressed: one file
    erase_person(first, by=make_user("admin"), delete_originals=True)
    login_as("curator")
    response = client.get(f"/consent/{second_form.id}/file")
    assert response.status_code == 200 and response.data == path.read_bytes()
    response.close()
    assert second_form.storage_key in stored_files(app)
    report = check()
    assert (report.missing_files, report.orphan_files, report.recent_orphans) == ([], [], [])


def test_erasing_a_person_keeps_a_derivative_another_photo_shares(
    app, client, login_as, make_user, make_person, picture
):
    make_user("curator")
    person = make_person("Carys Evans", scopes=["web"])
    original = picture(seed=7)
    # Bytes after the JPEG's end-of-image marker change the file, not the picture.
    twin = original.with_name("twin.jpg")
    twin.write_bytes(original.read_bytes() + b"\0trailing")
    shown, other = ingest(original, [person]), ingest(twin)
    shared = {d.kind: d for d in shown.derivatives}
    assert all(shared[d.kind].storage_key == d.storage_key for d in other.derivatives)
    erased_original = shown.storage_key
    erase_person(person, by=make_user("admin"), delete_originals=True)
    login_as("curator")
    assert_served(client, other.derivatives)
    report = check()
    assert (report.missing_files, report.orphan_files, report.recent_orphans) == ([], [], [])
    assert erased_original not in stored_files(app)


def test_the_files_people_share_go_with_the_last_of_them_to_be_erased(
    app, make_user, make_person, picture, tmp_path
):
    curator, admin = make_user("curator"), make_user("admin")
    first, second = make_person("Aled Jones"), make_person("Bronwen Price")
    form = group_form(tmp_path)
    shared_form = record_form(form, first, curator).storage_key
    record_form(form, second, curator)
    original = picture(seed=7)
    twin = original.with_name("twin.jpg")
    twin.write_bytes(original.read_bytes() + b"\0trailing")
    shown = ingest(original, [first])
    shared = {d.storage_key for d in shown.derivatives}
    ingest(twin, [second])
    erase_person(first, by=admin, delete_originals=True)
    assert {shared_form, *shared} <= set(stored_files(app))  # the second person's still
    erase_person(second, by=admin, delete_originals=True)
    assert stored_files(app) == []  # nobody's any more: both forms, both photos, every size
    report = check()
    assert (report.missing_files, report.orphan_files, report.recent_orphans) == ([], [], [])


def test_a_file_missing_from_storage_is_not_found_not_an_error(
    app, client, login_as, consented_photo
):
    storage = app.extensions["archive_storage"]
    form = consented_photo.people[0].consent_forms[0]
    thumb = consented_photo.derivative("thumb")
    storage.delete(form.storage_key)
    storage.delete(thumb.storage_key)
    login_as("curator")
    assert client.get(f"/consent/{form.id}/file").status_code == 404
    assert client.get(f"/media/{thumb.sha256}.jpg").status_code == 404


def erase_while_storing(app, monkeypatch, person, admin, prefix: str):
    """Make the next store of an existing file under prefix erase the person, at that moment.

    That is the worst moment for an upload of content the person's rows hold too: its
    file is stored (found there already), its rows not yet committed, so no committed row
    refers to the file while the erasure decides what to delete.
    """
    storage = app.extensions["archive_storage"]
    put_file = storage.put_file
    erased = []

    def put_then_erase(key, path):
        created = put_file(key, path)
        if key.startswith(prefix) and not created and not erased:
            erased.append(erase_person(person, by=admin, delete_originals=True))
        return created

    monkeypatch.setattr(storage, "put_file", put_then_erase)
    return erased


def test_an_upload_of_the_same_form_during_an_erasure_keeps_its_file(
    app, client, login_as, make_user, make_person, tmp_path, monkeypatch
):
    curator = make_user("curator")
    first, second = make_person("Aled Jones"), make_person("Bronwen Price")
    path = group_form(tmp_path)
    record_form(path, first, curator)
    erased = erase_while_storing(app, monkeypatch, first, make_user("admin"), "consent/")
    second_form = record_form(path, second, curator)  # the same signed sheet, uploaded again
    assert erased, "the erasure ran while the form was being stored"
    login_as("curator")
    response = client.get(f"/consent/{second_form.id}/file")
    assert response.status_code == 200 and response.data == path.read_bytes()
    response.close()
    report = check()
    assert (report.missing_files, report.orphan_files) == ([], [])


def test_an_upload_sharing_a_derivative_during_an_erasure_keeps_its_files(
    app, client, login_as, make_user, make_person, picture, monkeypatch
):
    make_user("curator")
    person = make_person("Carys Evans", scopes=["web"])
    original = picture(seed=7)
    twin = original.with_name("twin.jpg")
    twin.write_bytes(original.read_bytes() + b"\0trailing")
    ingest(original, [person])
    erased = erase_while_storing(app, monkeypatch, person, make_user("admin"), "derivatives/")
    other = ingest(twin)
    assert erased, "the erasure ran while the twin's derivatives were being stored"
    login_as("curator")
    assert_served(client, other.derivatives)
    report = check()
    assert (report.missing_files, report.orphan_files) == ([], [])

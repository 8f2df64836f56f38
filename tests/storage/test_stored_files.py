"""Rows that name stored files: they open and send them, and a file goes with its last row."""

import hashlib

import pytest
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from werkzeug.exceptions import NotFound

from archive.consent.intake import check_consent_file, store_consent_forms
from archive.extensions import db
from archive.operations.check import check
from archive.storage import StorageError, get_storage
from archive.storage.models import StoredFileMixin, stored_file_models
from archive.storage.references import delete_if_unreferenced, reference_count
from tests.fixtures.app import ON_BOTH_STORAGES, failing_commit
from tests.fixtures.photos import stored_files
from tests.people.test_erasure import group_form, ingest, record_form


@pytest.fixture
def attachment_model(app, monkeypatch):
    """Define a model with stored files that check and storage were never told about."""
    # The registry as it is, restored afterwards: other tests' databases have no such table.
    monkeypatch.setattr("archive.storage.models._models", list(stored_file_models()))

    class Base(DeclarativeBase):
        pass

    class Attachment(StoredFileMixin, Base):
        __tablename__ = "test_attachments"
        id: Mapped[int] = mapped_column(primary_key=True)

    Base.metadata.create_all(db.engine)
    yield Attachment
    db.session.rollback()
    Base.metadata.drop_all(db.engine)


def test_every_model_with_a_storage_key_is_registered(app):
    with_files = {
        mapper.class_ for mapper in db.Model.registry.mappers if "storage_key" in mapper.columns
    }
    assert with_files == set(stored_file_models())
    assert {model.__name__ for model in with_files} == {"Photo", "Derivative", "ConsentForm"}


def test_check_verifies_and_counts_the_files_of_a_model_it_was_never_told_about(
    app, make_photo, attachment_model, tmp_path
):
    storage = get_storage()
    path = tmp_path / "manual.pdf"
    path.write_bytes(b"%PDF-1.4 the lathe's manual")
    storage.put_file("attachments/manual.pdf", path)
    shared = make_photo().derivative("thumb")
    db.session.add_all(
        attachment_model(
            storage_key=key,
            sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
            size_bytes=path.stat().st_size,
            content_type="application/pdf",
        )
        for key in ("attachments/manual.pdf", "attachments/lost.pdf")
    )
    # A row of the new model naming a file a derivative names too (with its checksum).
    db.session.add(
        attachment_model(
            storage_key=shared.storage_key,
            sha256=shared.sha256,
            size_bytes=shared.size_bytes,
            content_type="image/jpeg",
        )
    )
    db.session.commit()
    app.config["ORPHAN_GRACE_HOURS"] = 0  # every unreferenced file is an orphan at once

    report = check(repair=True)
    assert report.missing_files == ["attachments/lost.pdf"]
    assert report.orphan_files == report.corrupt_files == []
    assert storage.exists("attachments/manual.pdf")
    assert reference_count(shared.storage_key) == 2  # across both models
    db.session.delete(shared)
    db.session.commit()
    assert not delete_if_unreferenced(shared.storage_key)  # the attachment still names it
    assert storage.exists(shared.storage_key)


@ON_BOTH_STORAGES
def test_a_row_opens_its_own_file_and_a_lost_one_is_a_storage_error(app, consented_photo):
    form = consented_photo.people[0].consent_forms[0]
    for row in (consented_photo, consented_photo.derivative("thumb"), form):
        with row.open() as stored:
            assert hashlib.sha256(stored.read()).hexdigest() == row.sha256
    get_storage().delete(form.storage_key)
    with pytest.raises(StorageError), form.open():
        pass


@ON_BOTH_STORAGES
def test_a_row_sends_its_file_with_its_type_etag_and_the_headers_asked_for(app, consented_photo):
    form = consented_photo.people[0].consent_forms[0]
    options = {"cache_control": "no-store", "private": True}
    headers = {"Referrer-Policy": "no-referrer"}
    with (
        app.test_request_context(),
        form.send(**options, download_name="signed.pdf", headers=headers) as sent,
    ):
        sent.direct_passthrough = False  # read here, not by a server
        body = sent.get_data()
    assert sent.status_code == 200
    assert hashlib.sha256(body).hexdigest() == form.sha256
    assert sent.mimetype == form.content_type == "application/pdf"
    assert sent.headers["ETag"] == f'"{form.sha256}"'
    assert sent.headers["Cache-Control"] == "no-store"
    assert sent.headers["Content-Disposition"] == "attachment; filename=signed.pdf"
    assert sent.headers["Referrer-Policy"] == "no-referrer"
    conditional = app.test_request_context(headers={"If-None-Match": f'"{form.sha256}"'})
    with conditional, form.send(**options) as unchanged:
        assert unchanged.status_code == 304
    get_storage().delete(form.storage_key)
    with app.test_request_context(), pytest.raises(NotFound):
        form.send(**options)


@ON_BOTH_STORAGES
def test_a_file_two_rows_name_is_deleted_only_with_the_last_of_them(app, picture):
    original = picture()
    # Bytes after the JPEG's end-of-image marker change the file, not the picture.
    twin = original.with_name("twin.jpg")
    twin.write_bytes(original.read_bytes() + b"\0trailing")
    first, second = ingest(original), ingest(twin)
    key = first.derivative("thumb").storage_key
    assert second.derivative("thumb").storage_key == key and reference_count(key) == 2
    db.session.delete(first)
    db.session.commit()
    assert not delete_if_unreferenced(key)
    assert get_storage().exists(key) and reference_count(key) == 1
    db.session.delete(second)
    db.session.commit()
    assert delete_if_unreferenced(key)
    assert not get_storage().exists(key) and reference_count(key) == 0


@ON_BOTH_STORAGES
def test_a_failed_commit_of_forms_keeps_the_file_another_form_names_and_removes_its_new_one(
    app, make_person, make_user, tmp_path
):
    path = group_form(tmp_path)
    signed = record_form(path, make_person("Aled Jones"), make_user("curator"))
    before = stored_files(app)
    new = tmp_path / "another.pdf"
    new.write_bytes(path.read_bytes().replace(b"%%EOF", b"% another signature\n%%EOF"))
    checked = [check_consent_file(file, file.name) for file in (path, new)]
    with failing_commit(), pytest.raises(RuntimeError, match="the database went away"):
        store_consent_forms(checked, uploaded_by=None, batch_id=None)
    assert stored_files(app) == before == [signed.storage_key]

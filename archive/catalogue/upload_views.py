"""The upload page: several photos and the consent forms of the people shown."""

import tempfile
from pathlib import Path

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from archive.auth.access import Action, action_required
from archive.catalogue.upload import UploadedFile, UploadedPhoto, receive_upload
from archive.core.fields import add_error, sentence
from archive.core.intake import RejectedUpload, clean_filename
from archive.core.parameters import Refusal
from archive.core.spooling import upload_tmp_root
from archive.extensions import db
from archive.licences.services import all_licences
from archive.people.models import Person, Vocabulary
from archive.people.services import all_people, terms
from archive.photos.forms import UploadForm
from archive.photos.ingest import PhotoDetails
from archive.photos.preview import preview_jpeg
from archive.security import no_store

bp = Blueprint("upload", __name__)


@bp.route("/upload", methods=["GET", "POST"])
@action_required(Action.UPLOAD)
def photos():
    """Take several photos and the consent forms of the people shown."""
    form = UploadForm()
    licences = all_licences()
    form.set_choices(
        licences, all_people(), terms(Vocabulary.JOB_ROLE), terms(Vocabulary.DEPARTMENT)
    )
    if not form.is_submitted():
        default_licence = next((lic.id for lic in licences if lic.code == "INST-USE"), None)
        for entry in form.photos:
            entry.licence.data = default_licence
            entry.photographer.data = current_user.name
    if not form.is_submitted():
        return render_template("photos/upload.html", form=form)
    if not form.validate() or not _check_entries(form):
        return _refused(form)

    with tempfile.TemporaryDirectory(dir=upload_tmp_root()) as workdir:
        photos = _saved_photos(form, Path(workdir))
        consents = [
            UploadedFile(
                _save(storage, Path(workdir), f"consent-{n}"),
                clean_filename(storage.filename),
            )
            for n, storage in enumerate(form.consent_forms.data or [])
            if storage and storage.filename
        ]
        result = receive_upload(photos, consents, current_user._get_current_object())

    stored_entries = set()
    for entry_index, photo_result in zip(_entries_with_files(form), result.photos, strict=False):
        if photo_result.error:
            add_error(
                form.photos[entry_index].file, f"{photo_result.filename}: {photo_result.error}"
            )
        else:
            stored_entries.add(entry_index)
    for filename, error in result.consent_errors.items():
        add_error(form.consent_forms, f"{filename}: {error}")
    for stored in result.stored:
        outcome = stored.outcome
        if outcome.duplicate:
            flash(f"{stored.filename} is already in the archive; it was not added twice.")
        for note in outcome.notes:
            flash(f"{stored.filename}: {note}")
    new = [r for r in result.stored if not r.outcome.duplicate]
    if new:
        flash(f"{len(new)} photo{'s' if len(new) != 1 else ''} uploaded and awaiting review.")
    if result.failed:
        return _refused(form, stored_entries)
    return redirect(url_for("photos.my_uploads"))


@bp.post("/upload/preview")
@no_store
@action_required(Action.UPLOAD)
def preview():
    """Answer a chosen photo with a small JPEG of it, for a browser that cannot show it (HEIC)."""
    chosen = request.files.get("file")
    if not chosen or not chosen.filename:
        raise Refusal("Send the photo to preview as the form field “file”.")
    with tempfile.TemporaryDirectory(dir=upload_tmp_root()) as workdir:
        try:
            jpeg = preview_jpeg(_save(chosen, Path(workdir), "preview"))
        except RejectedUpload as error:
            raise Refusal(f"No preview could be made: {sentence(error)}") from None
    return Response(jpeg, mimetype="image/jpeg")


def _refused(form: UploadForm, stored_entries: set[int] | frozenset = frozenset()):
    """Send the form back, naming the files stored and those the browser will not have kept."""
    chosen = {
        index: clean_filename(form.photos[index].file.data.filename)
        for index in _entries_with_files(form)
    }
    consent_files = [s.filename for s in form.consent_forms.data or [] if s and s.filename]
    return render_template(
        "photos/upload.html",
        form=form,
        problems=True,
        stored_entries=stored_entries,
        stored_names=sorted({chosen[i] for i in stored_entries}),
        choose_again={i: name for i, name in chosen.items() if i not in stored_entries},
        consent_again=[clean_filename(name) for name in consent_files],
    ), 422


def _save(file_storage, workdir: Path, name: str) -> Path:
    path = workdir / name
    file_storage.save(path)
    return path


def _entries_with_files(form: UploadForm) -> list[int]:
    return [index for index, entry in enumerate(form.photos) if entry.has_file()]


def _check_entries(form: UploadForm) -> bool:
    """Check what WTForms cannot: each filled entry has a file and its alt text."""
    ok = True
    filled = [entry for entry in form.photos if not entry.is_blank()]
    if not filled:
        add_error(form.photos[0].file, "Choose at least one photo to upload.")
        return False
    for entry in filled:
        if not entry.has_file():
            add_error(entry.file, "Choose the photo file for this entry, or clear its fields.")
            ok = False
        if not entry.alt_text.data:
            add_error(
                entry.alt_text,
                "Enter alt text: describe the picture for people who cannot see it.",
            )
            ok = False
    return ok


def _saved_photos(form: UploadForm, workdir: Path) -> list[UploadedPhoto]:
    new_people: dict[tuple, Person] = {}
    photos = []
    for index in _entries_with_files(form):
        entry = form.photos[index]
        people = [db.session.get(Person, person_id) for person_id in entry.people.data or []]
        name = entry.new_person_name.data
        if name:
            # The same new name twice in one upload is one person; created with the photo.
            key = (
                name.lower(),
                entry.new_person_role.data,
                entry.new_person_department.data,
            )
            new_people.setdefault(
                key,
                Person(
                    name=name,
                    job_role_id=entry.new_person_role.data or None,
                    department_id=entry.new_person_department.data or None,
                ),
            )
            people.append(new_people[key])
        filename = clean_filename(entry.file.data.filename)
        photos.append(
            UploadedPhoto(
                path=_save(entry.file.data, workdir, f"photo-{index}"),
                filename=filename,
                details=PhotoDetails(
                    title=entry.title.data or Path(filename).stem,
                    caption=entry.caption.data,
                    alt_text=entry.alt_text.data,
                    photographer=entry.photographer.data,
                    licence_id=entry.licence.data,
                    people=[person for person in people if person is not None],
                    no_identifiable_people=entry.no_identifiable_people.data,
                ),
            )
        )
    return photos

"""The upload form: several photos and consent forms; each refusal explained, nothing half-kept."""

import io
import os

import pytest
from flask import request
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import EnvironBuilder, stream_encode_multipart

from archive.consent.models import ConsentForm
from archive.core.spooling import SPOOL_IN_MEMORY_BYTES
from archive.licences.services import licence_by_code
from archive.people.models import Person
from archive.photos.models import Photo, PhotoStatus
from tests.fixtures.photos import row_counts, stored_files


def entry(index: int, path=None, *, name=None, content=None, **fields) -> dict:
    """Return the form fields of photo entry `index`."""
    data = {
        f"photos-{index}-title": fields.pop("title", f"Photo {index}"),
        f"photos-{index}-alt_text": fields.pop("alt_text", "A technician at a bench"),
        f"photos-{index}-photographer": "Jo Whitfield",
        f"photos-{index}-licence": str(licence_by_code("INST-USE").id),
        f"photos-{index}-new_person_role": "0",
        f"photos-{index}-new_person_department": "0",
    }
    if fields.pop("no_people", True):
        data[f"photos-{index}-no_identifiable_people"] = "y"
    for key, value in fields.items():
        data[f"photos-{index}-{key}"] = value
    if path is not None or content is not None:
        content = content if content is not None else path.read_bytes()
        data[f"photos-{index}-file"] = (io.BytesIO(content), name or path.name)
    return data


def post_upload(client, *entries, consents=()):
    data = {}
    for fields in entries:
        data.update(fields)
    if consents:
        data["consent_forms"] = [(io.BytesIO(content), name) for name, content in consents]
    # Encoded in memory: the test client's own spooling of large bodies leaks a temporary file.
    builder = EnvironBuilder(method="POST", data=data)
    fields = MultiDict(builder.form)
    for key, file in builder.files.items(multi=True):
        fields.add(key, file)
    body, _length, boundary = stream_encode_multipart(fields, use_tempfile=False)
    builder.close()
    return client.post(
        "/upload",
        data=body.getvalue(),
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def consent_pdf() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 170), "white").save(buffer, "PDF")
    return buffer.getvalue()


def test_the_form_offers_several_photos_and_consent_forms(client, login_as):
    login_as("contributor")
    page = client.get("/upload").get_data(as_text=True)
    assert 'name="photos-0-file"' in page and 'name="photos-2-file"' in page
    assert 'name="consent_forms"' in page and "multiple" in page
    assert 'enctype="multipart/form-data"' in page


def test_three_photos_and_a_consent_form_become_pending_photos(app, client, login_as, picture):
    user = login_as("contributor")
    response = post_upload(
        client,
        entry(0, picture(), no_people=False, new_person_name="Priya Raman"),
        entry(1, picture(orientation=6)),
        entry(2, picture(), no_people=False, new_person_name="priya raman"),
        consents=[("consent-priya.pdf", consent_pdf())],
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/my-uploads")
    photos = Photo.query.order_by(Photo.id).all()
    assert [p.status for p in photos] == [PhotoStatus.PENDING] * 3
    assert {p.uploaded_by_id for p in photos} == {user.id}
    assert len({p.batch_id for p in photos}) == 1
    # One new person, shown in two photos, created with them.
    assert [person.name for person in Person.query.all()] == ["Priya Raman"]
    assert photos[0].people == photos[2].people
    [form] = ConsentForm.query.all()
    assert form.batch_id == photos[0].batch_id and form.person_id is None  # linked in review
    page = client.get("/my-uploads").get_data(as_text=True)
    assert "3 photos uploaded and awaiting review." in page
    assert page.count("status-pending") == 3


def test_a_bad_file_gets_a_readable_4xx_and_leaves_nothing(app, client, login_as, bad_file):
    path, name, words = bad_file
    login_as("contributor")
    response = post_upload(client, entry(0, path, name=name))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert words.lower() in page.lower()
    assert "Traceback" not in page
    assert row_counts() == {"Photo": 0, "Derivative": 0, "ConsentForm": 0}
    assert stored_files(app) == []


def test_the_good_photos_of_a_mixed_upload_are_kept_and_the_bad_one_explained(
    client, login_as, picture, bad_file
):
    path, name, words = bad_file
    login_as("contributor")
    response = post_upload(client, entry(0, picture(), name="good.jpg"), entry(1, path, name=name))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f"{name}: " in page and words.lower() in page.lower()
    assert "Already stored: good.jpg" in page
    assert [p.original_filename for p in Photo.query.all()] == ["good.jpg"]


def test_people_shown_without_consent_are_refused(client, login_as, picture):
    login_as("contributor")
    response = post_upload(
        client, entry(0, picture(), no_people=False, new_person_name="Ben Carter")
    )
    assert response.status_code == 422
    assert "missing consent" in response.get_data(as_text=True)
    assert row_counts()["Photo"] == 0 and Person.query.count() == 0


def test_saying_nobody_is_shown_or_who_is_shown_is_required(client, login_as, picture):
    login_as("contributor")
    response = post_upload(client, entry(0, picture(), no_people=False))
    assert response.status_code == 422
    assert "say who is shown" in response.get_data(as_text=True)


def test_someone_with_consent_on_file_needs_no_new_form(
    client, login_as, picture, make_user, make_person
):
    make_user("curator")
    person = make_person("Mei Lin", scopes=["internal", "web"])
    login_as("contributor")
    response = post_upload(client, entry(0, picture(), no_people=False, people=str(person.id)))
    assert response.status_code == 302
    assert Photo.query.one().people == [person]


def test_more_photos_than_one_upload_takes_are_refused_not_dropped(app, client, login_as, picture):
    login_as("contributor")
    limit = app.config["MAX_FILES_PER_UPLOAD"]
    page = client.get("/upload").get_data(as_text=True)
    assert f'data-max-entries="{limit}"' in page  # "Add another photo" stops at the same limit
    before = row_counts()
    response = post_upload(client, *(entry(i, picture(size=(160, 120))) for i in range(limit + 1)))
    assert response.status_code == 422
    assert f"Upload at most {limit} photos at a time" in response.get_data(as_text=True)
    assert row_counts() == before


def test_alt_text_is_required(client, login_as, picture):
    login_as("contributor")
    response = post_upload(client, entry(0, picture(), alt_text=""))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Enter alt text: describe the picture for people who cannot see it" in page


def test_an_empty_form_asks_for_a_photo(client, login_as):
    login_as("contributor")
    response = client.post("/upload", data={}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Choose at least one photo" in response.get_data(as_text=True)


def test_a_bad_consent_form_refuses_the_upload_before_anything_is_stored(
    app, client, login_as, picture
):
    login_as("contributor")
    response = post_upload(
        client,
        entry(0, picture(), no_people=False, new_person_name="Ben Carter"),
        consents=[("consent.pdf", b"%PDF-1.4\n1 0 obj\n")],
    )
    assert response.status_code == 422
    assert "consent.pdf: the PDF is incomplete or damaged" in response.get_data(as_text=True)
    assert row_counts() == {"Photo": 0, "Derivative": 0, "ConsentForm": 0}
    assert stored_files(app) == []


def test_the_same_file_uploaded_twice_is_one_photo_and_the_user_is_told(client, login_as, picture):
    login_as("contributor")
    path = picture()
    assert post_upload(client, entry(0, path)).status_code == 302
    response = post_upload(client, entry(0, path, name="again.jpg"))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "again.jpg is already in the archive; it was not added twice." in page
    assert Photo.query.count() == 1


def test_a_phone_upload_of_heic_and_rotated_jpeg(client, login_as, picture, tmp_path):
    from archive.demo.pictures import make_scene

    heic = tmp_path / "IMG_0002.HEIC"
    make_scene(600, 800, seed=1).save(heic, "HEIF")
    login_as("contributor")
    response = post_upload(
        client, entry(0, heic), entry(1, picture(size=(800, 600), orientation=8))
    )
    assert response.status_code == 302
    photos = Photo.query.order_by(Photo.id).all()
    assert [(p.format, p.width, p.height) for p in photos] == [
        ("HEIF", 600, 800),
        ("JPEG", 800, 600),
    ]


def test_an_upload_larger_than_the_request_limit_gets_413_with_a_message(app, client, login_as):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    login_as("contributor")
    response = post_upload(client, entry(0, content=b"x" * 4096, name="huge.jpg"))
    assert response.status_code == 413
    assert "The upload is too large" in response.get_data(as_text=True)


def test_a_large_file_waits_on_disk_in_the_instance_tmp_folder(app):
    fields = MultiDict(
        {"scan": FileStorage(io.BytesIO(b"x" * 2 * SPOOL_IN_MEMORY_BYTES), "scan.tif")}
    )
    body, length, boundary = stream_encode_multipart(fields, use_tempfile=False)
    with app.test_request_context(
        "/upload",
        method="POST",
        input_stream=body,
        content_length=length,
        content_type=f"multipart/form-data; boundary={boundary}",
    ):
        assert request.files["scan"].filename == "scan.tif"
        # Not in memory and not in the system's (often RAM-backed) /tmp: in the instance.
        open_files = [os.readlink(fd.path) for fd in os.scandir("/proc/self/fd")]
        assert any(f.startswith(app.config["UPLOAD_TMP_PATH"]) for f in open_files)


def fail_on_call(monkeypatch, failing: set[int]) -> None:
    """Make the upload's ingest raise an unexpected error on the given calls (1 = first)."""
    from archive.catalogue import upload

    calls = iter(range(1, 100))
    real_ingest = upload.ingest_file

    def ingest_or_fail(*args, **kwargs):
        if next(calls) in failing:
            raise RuntimeError("a fault inside the pipeline")
        return real_ingest(*args, **kwargs)

    monkeypatch.setattr(upload, "ingest_file", ingest_or_fail)


@pytest.mark.parametrize(("failing", "kept"), [({2}, 1), ({1, 2}, 0)])
def test_a_photo_of_a_person_is_never_kept_without_the_consent_form_it_came_with(
    app, client, login_as, picture, monkeypatch, failing, kept
):
    fail_on_call(monkeypatch, failing)
    login_as("contributor")
    response = post_upload(
        client,
        entry(0, picture(), no_people=False, new_person_name="Priya Raman"),
        entry(1, picture(), no_people=False, new_person_name="Priya Raman"),
        consents=[("consent-priya.pdf", consent_pdf())],
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "unexpected error" in page and "Traceback" not in page
    photos, forms = Photo.query.all(), ConsentForm.query.all()
    assert len(photos) == len(forms) == kept
    if kept:
        assert forms[0].batch_id == photos[0].batch_id
        assert forms[0].storage_key in stored_files(app)
    else:
        # With no photo kept, the form is removed again: nobody would ever review it.
        assert row_counts() == {"Photo": 0, "Derivative": 0, "ConsentForm": 0}
        assert stored_files(app) == []


@pytest.mark.parametrize(("role", "status"), [(None, 302), ("comms", 403)])
def test_only_contributors_and_above_may_upload(client, login_as, role, status):
    if role:
        login_as(role)
    assert client.get("/upload").status_code == status


def test_without_javascript_the_refused_page_names_the_files_to_choose_again(
    client, login_as, picture
):
    login_as("contributor")
    response = post_upload(
        client,
        entry(0, picture(), name="good.jpg"),
        entry(1, content=b"Bring the calibration kit.\n", name="notes.jpg"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Already stored: good.jpg" in page
    assert "choose these again before sending: notes.jpg." in page
    assert "Choose notes.jpg again." in page
    assert "Choose good.jpg again." not in page  # stored: its entry is marked, not asked for
    assert 'data-index="0" data-stored' in page


def test_a_form_refused_before_storing_asks_for_every_chosen_file_again(client, login_as, picture):
    login_as("contributor")
    response = post_upload(
        client,
        entry(0, picture(), name="bench.jpg", alt_text=""),
        consents=[("consent-ben.pdf", consent_pdf())],
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "choose these again before sending: bench.jpg, consent-ben.pdf." in page
    assert '<a href="#photos-0-alt_text">Enter alt text' in page


def test_the_people_shown_are_a_list_of_tick_boxes_under_one_question(
    client, login_as, make_person
):
    make_person("Priya Raman")
    login_as("contributor")
    page = client.get("/upload").get_data(as_text=True)
    assert "<select multiple" not in page
    assert "<legend>People shown</legend>" in page
    assert 'type="checkbox" value="' in page and 'id="photos-0-people-0"' in page


def preview(client, content: bytes, name: str):
    return client.post("/upload/preview", data={"file": (io.BytesIO(content), name)})


def test_a_heic_preview_is_a_small_upright_jpeg_and_nothing_is_kept(
    app, client, login_as, tmp_path
):
    from PIL import Image

    from archive.demo.pictures import make_scene

    heic = tmp_path / "IMG_0101.HEIC"
    make_scene(900, 1200, seed=4).save(heic, "HEIF")
    login_as("contributor")
    response = preview(client, heic.read_bytes(), heic.name)
    assert response.status_code == 200
    assert response.mimetype == "image/jpeg"
    assert response.headers["Cache-Control"] == "no-store"
    image = Image.open(io.BytesIO(response.get_data()))
    assert (image.format, image.size) == ("JPEG", (300, 400))
    assert row_counts() == {"Photo": 0, "Derivative": 0, "ConsentForm": 0}
    assert stored_files(app) == []


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"Bring the calibration kit.\n", "No preview could be made: Not an image"),
        (b"", "No preview could be made: The file is empty"),
    ],
)
def test_a_preview_of_what_is_not_a_photo_is_refused_in_words(client, login_as, content, words):
    login_as("contributor")
    response = preview(client, content, "notes.jpg")
    assert response.status_code == 400
    assert words in response.get_data(as_text=True)


def test_a_preview_over_its_size_limit_is_refused(client, login_as, picture, monkeypatch):
    import archive.photos.preview as previews

    monkeypatch.setattr(previews, "PREVIEW_MAX_BYTES", 1024)
    login_as("contributor")
    response = preview(client, picture(size=(800, 600)).read_bytes(), "big.jpg")
    assert response.status_code == 400
    assert "the file is too large" in response.get_data(as_text=True).lower()

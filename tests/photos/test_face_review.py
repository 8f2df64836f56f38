"""The face check on the review pages: boxes over the photo, the queue's flag, and approval
that needs a curator's confirmation when the faces found outnumber the people tagged."""

import re
from pathlib import Path

import pytest
from PIL import Image

from archive.core.audit import AuditEvent
from archive.extensions import db
from archive.licences.services import licence_by_code
from archive.photos.ingest import PhotoDetails, ingest_file
from archive.photos.models import Photo, PhotoStatus
from tests.photos.face_set import WITH_FACES
from tests.photos.test_upload import entry, post_upload
from tests.test_html_validity import checker_messages

ASTRONAUT = next(photo for photo in WITH_FACES if photo.name == "astronaut")
CHECKED = "I have checked the faces: everyone identifiable is tagged or is not identifiable"


@pytest.fixture
def astronaut_jpeg(tmp_path):
    """The astronaut, as a phone would send her: a JPEG."""
    path = tmp_path / "astronaut.jpg"
    ASTRONAUT.upright().save(path, quality=92)
    return path


@pytest.fixture
def photo_of_one(app, astronaut_jpeg, make_user):
    """Ingest the astronaut's photo with the people given and "no identifiable people" as said."""

    def ingest(people=(), no_identifiable_people=False, title="At the console") -> Photo:
        return ingest_file(
            astronaut_jpeg,
            PhotoDetails(
                title=title,
                alt_text="An astronaut in a spacesuit before the flag",
                licence_id=licence_by_code("INST-USE").id,
                people=list(people),
                no_identifiable_people=no_identifiable_people,
            ),
            original_filename="astronaut.jpg",
            uploaded_by=make_user("contributor"),
        ).photo

    return ingest


def approve_form(photo, **extra) -> dict:
    return {"licence": str(photo.licence_id), "approve": "Approve", **extra}


def test_an_uploaded_photo_shows_its_face_as_a_numbered_box_on_the_review_page(
    client, login_as, astronaut_jpeg
):
    login_as("contributor")
    response = post_upload(client, entry(0, astronaut_jpeg, title="At the console"))
    assert response.status_code == 302, response.get_data(as_text=True)
    photo = db.session.execute(db.select(Photo)).scalar_one()
    [face] = photo.faces
    assert photo.faces_checked and face.number == 1
    assert face.box.contains(ASTRONAUT.face_at)
    login_as("curator")
    page = client.get(f"/review/{photo.id}").get_data(as_text=True)
    # The box over the picture, in percentages of it, and the same in words beside it.
    rect = re.search(
        r'<rect x="([\d.]+)%" y="([\d.]+)%" width="([\d.]+)%" height="([\d.]+)%"', page
    )
    assert rect is not None
    left, top, width, height = (float(value) / 100 for value in rect.groups())
    assert left <= 0.43 <= left + width and top <= 0.22 <= top + height
    assert "Face 1, upper centre" in page
    assert "Marked as no identifiable people, but 1 face was found." in page
    assert CHECKED in page


def test_the_queue_flags_a_photo_with_more_faces_than_people_tagged(
    client, login_as, tmp_path, make_user, make_person, make_photo, photo_of_one
):
    # Two people side by side, one of them tagged.
    pair = Image.new("RGB", (1024, 600), "white")
    pair.paste(ASTRONAUT.upright(), (0, 44))
    pair.paste(next(p for p in WITH_FACES if p.name == "grace_hopper").upright(), (512, 0))
    pair.save(tmp_path / "pair.jpg", quality=92)
    two = ingest_file(
        tmp_path / "pair.jpg",
        PhotoDetails(title="Two at work", people=[make_person("Eileen Collins")]),
        original_filename="pair.jpg",
        uploaded_by=make_user("contributor"),
    ).photo
    assert [face.number for face in two.faces] == [1, 2]
    assert two.faces[0].left < 0.5 < two.faces[1].left  # numbered from the left
    photo_of_one(no_identifiable_people=True, title="Said to show no one")
    make_photo(title="A bench, no faces")
    login_as("curator")
    page = client.get("/review").get_data(as_text=True)
    assert "2 faces found, 1 person tagged — check before approving." in page
    assert "Marked as no identifiable people, but 1 face was found." in page
    assert page.count('class="face-flag"') == 2
    bench = page[page.index("A bench, no faces") :].split("</li>")[0]
    assert "face-flag" not in bench
    review = client.get(f"/review/{two.id}").get_data(as_text=True)
    assert "Face 1, upper left" in review and "Face 2, middle right" in review


def test_one_face_and_one_person_tagged_is_not_flagged(client, login_as, photo_of_one, make_person):
    photo = photo_of_one(people=[make_person("Eileen Collins")])
    login_as("curator")
    assert "face-flag" not in client.get("/review").get_data(as_text=True)
    page = client.get(f"/review/{photo.id}").get_data(as_text=True)
    assert "Face 1, upper centre" in page  # found, and accounted for by the person tagged
    assert CHECKED not in page and "Check before approving" not in page
    response = client.post(f"/review/{photo.id}", data=approve_form(photo))
    assert response.status_code == 302
    assert db.session.get(Photo, photo.id).status == PhotoStatus.APPROVED
    assert AuditEvent.query.filter_by(action="photo.faces_confirmed").count() == 0


def test_approving_a_flagged_photo_needs_the_curators_confirmation_which_is_audited(
    client, login_as, photo_of_one
):
    photo = photo_of_one()  # one face, no one tagged
    curator = login_as("curator")
    refused = client.post(f"/review/{photo.id}", data=approve_form(photo))
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "1 face found, 0 people tagged — check before approving." in page
    assert "tick “I have checked the faces” to approve it" in page
    assert db.session.get(Photo, photo.id).status == PhotoStatus.PENDING
    assert AuditEvent.query.filter_by(action="photo.approved").count() == 0

    confirmed = client.post(f"/review/{photo.id}", data=approve_form(photo, faces_checked="y"))
    assert confirmed.status_code == 302
    photo = db.session.get(Photo, photo.id)
    assert photo.status == PhotoStatus.APPROVED
    assert photo.faces_confirmed_by_id == curator.id and photo.faces_confirmed_at is not None
    [event] = AuditEvent.query.filter_by(action="photo.faces_confirmed").all()
    assert (event.actor_id, event.target_id) == (curator.id, photo.id)
    assert AuditEvent.query.filter_by(action="photo.approved").count() == 1
    assert "Checked by" in client.get(f"/review/{photo.id}").get_data(as_text=True)


def test_bulk_approval_refuses_a_flagged_photo_and_names_it(
    client, login_as, photo_of_one, make_photo
):
    flagged = photo_of_one(no_identifiable_people=True, title="Said to show no one")
    plain = make_photo(title="A bench, no faces")
    login_as("curator")
    response = client.post("/review/approve", data={"photos": [str(flagged.id), str(plain.id)]})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Approved 1: “A bench, no faces”." in page
    assert (
        "Not approved: “Said to show no one” — Marked as no identifiable people, but 1 face"
        " was found." in page
    )
    assert db.session.get(Photo, flagged.id).status == PhotoStatus.PENDING


def test_flask_faces_checks_the_photos_stored_before_the_check(app, runner, photo_of_one):
    photo = photo_of_one(no_identifiable_people=True)
    # As a photo stored before the face check existed is: never looked at, no boxes.
    photo.faces = []
    photo.faces_checked = False
    db.session.commit()
    result = runner.invoke(args=["faces", "--unchecked"])
    assert result.exit_code == 0, result.output
    assert "1 photos checked: 1 with faces found." in result.output
    photo = db.session.get(Photo, photo.id)
    assert photo.faces_checked and len(photo.faces) == 1
    assert photo.faces[0].box.contains(ASTRONAUT.face_at)
    again = runner.invoke(args=["faces", "--unchecked"])
    assert "0 photos checked" in again.output


def test_the_review_page_with_faces_and_its_refusal_pass_the_html_checker(
    app, client, login_as, photo_of_one
):
    photo = photo_of_one()
    login_as("curator")
    folder = Path(app.instance_path)
    flagged = client.get(f"/review/{photo.id}").get_data()
    assert b'<svg class="face-boxes"' in flagged and CHECKED.encode() in flagged
    (folder / "flagged.html").write_bytes(flagged)
    refused = client.post(f"/review/{photo.id}", data=approve_form(photo))
    assert refused.status_code == 422
    (folder / "refused.html").write_bytes(refused.get_data())
    messages = checker_messages([str(folder / "flagged.html"), str(folder / "refused.html")])
    assert [m["message"] for m in messages if m["type"] in ("error", "non-document-error")] == []

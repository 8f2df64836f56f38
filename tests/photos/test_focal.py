"""A photo's focal point: a curator's, else the middle of the faces left sharp, else the centre."""

import pytest

from archive.core.audit import AuditEvent
from archive.extensions import db
from archive.photos.focal import focal_point
from archive.photos.models import BlurRegion, FaceBox

LEFT_FACE = (0.10, 0.20, 0.10, 0.20)  # left, top, width, height: its middle at (0.15, 0.3)
RIGHT_FACE = (0.60, 0.40, 0.10, 0.20)  # its middle at (0.65, 0.5)


@pytest.fixture
def photo(make_photo):
    return make_photo(status="approved")


def with_faces(photo, *faces):
    photo.faces = [
        FaceBox(number=number, left=left, top=top, width=width, height=height)
        for number, (left, top, width, height) in enumerate(faces, start=1)
    ]
    db.session.commit()


def test_without_faces_or_a_curator_the_crops_centre_on_the_picture(photo):
    assert photo.faces == [] and focal_point(photo) == (0.5, 0.5)


def test_by_default_the_focal_point_is_the_middle_of_the_faces_found(photo):
    with_faces(photo, LEFT_FACE, RIGHT_FACE)
    assert focal_point(photo) == pytest.approx((0.4, 0.4))


def test_a_blurred_face_does_not_draw_the_crops(photo):
    with_faces(photo, LEFT_FACE, RIGHT_FACE)
    photo.blur_regions.append(BlurRegion(left=0.05, top=0.15, width=0.2, height=0.3))
    db.session.commit()
    assert focal_point(photo) == pytest.approx((0.65, 0.5))


def test_a_curator_sets_the_focal_point_on_the_photo_page(client, login_as, photo):
    with_faces(photo, LEFT_FACE)
    login_as("curator")
    page = client.get(f"/photos/{photo.id}").get_data(as_text=True)
    assert 'id="focal-point"' in page and 'value="15.0"' in page  # the face's middle, in %
    response = client.post(
        f"/photos/{photo.id}/focal-point", data={"focal-x": "70", "focal-y": "30", "back": "photo"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/photos/{photo.id}#focal-point")
    assert focal_point(photo) == pytest.approx((0.7, 0.3))
    [event] = AuditEvent.query.filter_by(action="photo.focal_point").all()
    assert event.target_id == photo.id and event.detail == "70% across, 30% down"
    assert "A curator set it." in client.get(f"/photos/{photo.id}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("x", "y", "said"),
    [
        ("", "30", "Give the distance from the left edge of the point, in % of the picture."),
        ("70", "abc", "The distance from the top edge must be a number, such as 12.5."),
        ("170", "30", "The distance from the left edge must be between 0 and 100 %."),
    ],
)
def test_a_point_off_the_picture_is_refused_in_words(client, login_as, photo, x, y, said):
    login_as("curator")
    response = client.post(f"/photos/{photo.id}/focal-point", data={"focal-x": x, "focal-y": y})
    assert response.status_code == 422 and said in response.get_data(as_text=True)
    db.session.refresh(photo)
    assert (photo.focal_x, photo.focal_y) == (None, None)
    assert AuditEvent.query.filter_by(action="photo.focal_point").count() == 0


def test_only_curators_see_and_set_the_focal_point(client, login_as, make_person, make_photo):
    photo = make_photo(people=[make_person(scopes=["press", "web"])], status="approved")
    login_as("comms")
    assert 'id="focal-point"' not in client.get(f"/photos/{photo.id}").get_data(as_text=True)
    refused = client.post(f"/photos/{photo.id}/focal-point", data={"focal-x": 1, "focal-y": 1})
    assert refused.status_code == 403 and photo.focal_x is None

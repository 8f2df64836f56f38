"""The face check finds the faces in real photos and none in photos without people.

The set (face_set.py) is real, freely licensed photos shipped inside registry wheels and
the project's camera samples; `scripts/bench faces` gives its hit and false-alarm counts
and the time per photo.
"""

import pytest
from PIL import Image

from archive.photos.faces import detect_faces
from tests.photos.face_set import PACKAGED_WITHOUT_PEOPLE, WITH_FACES, camera_samples


@pytest.mark.parametrize("photo", WITH_FACES, ids=lambda photo: photo.name)
def test_a_photo_of_someone_gets_a_box_over_their_face(photo):
    boxes = detect_faces(photo.upright())
    assert boxes, f"no face found on {photo.name}"
    assert any(box.contains(photo.face_at) for box in boxes), boxes
    # A box is a face's, not a large part of the picture that happens to hold one.
    assert all(box.width * box.height < 0.25 for box in boxes), boxes


@pytest.mark.parametrize("photo", PACKAGED_WITHOUT_PEOPLE, ids=lambda photo: photo.name)
def test_a_photo_without_people_gets_no_box(photo):
    assert detect_faces(photo.upright()) == []


def test_no_camera_sample_gets_a_box(samples):
    # Street scenes, a park, a waterfall at each EXIF orientation, flowers, a lizard: two
    # street scenes have distant figures a few pixels tall, which no one could identify.
    photos = camera_samples()
    assert len(photos) >= 25
    found = {photo.name: detect_faces(photo.upright()) for photo in photos}
    assert {name: boxes for name, boxes in found.items() if boxes} == {}


def test_the_faces_of_a_mirrored_photo_are_found_where_they_now_are():
    # The profile cascade knows faces turned one way; its search of the mirror image the other.
    camera = next(photo for photo in WITH_FACES if photo.name == "camera")
    mirrored = camera.upright().transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    x, y = camera.face_at
    assert any(box.contains((1 - x, y)) for box in detect_faces(mirrored))

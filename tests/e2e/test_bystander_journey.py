"""A face in a photo said to show no one: flagged, boxed, blurred by a curator, approved, and
blurred in the public gallery while the original keeps it (issue 19, must-show 4)."""

import hashlib

from PIL import ImageChops, ImageFilter, ImageStat

from archive.extensions import db
from archive.photos.faces import detect_faces
from archive.photos.models import Photo, PhotoStatus
from archive.photos.regions import Box
from tests.e2e.conftest import log_in
from tests.photos.face_set import WITH_FACES
from tests.photos.test_blur import inner, picture_of


def detail(picture, box: Box) -> float:
    """Return how far the box's pixels differ from a softened copy: the fine detail of
    features, which a blur leaves none of."""
    area = picture.crop(inner(box, picture.size))
    softened = area.filter(ImageFilter.GaussianBlur(2))
    return ImageStat.Stat(ImageChops.difference(area, softened)).mean[0]


def test_a_face_in_a_photo_of_no_one_is_blurred_by_the_curator_before_it_goes_public(
    live_server, browser, screenshot, make_user, make_exhibition, client, login, tmp_path
):
    from tests.photos.test_upload import entry, post_upload

    astronaut = next(photo for photo in WITH_FACES if photo.name == "astronaut")
    path = tmp_path / "console.jpg"
    astronaut.upright().save(path, quality=92)
    login(make_user("contributor"))
    post_upload(client, entry(0, path, title="At the console"))  # "no identifiable people"
    uploaded = hashlib.sha256(path.read_bytes()).hexdigest()

    page = browser.new_page(viewport={"width": 1200, "height": 900})
    log_in(page, live_server, make_user("curator"))
    page.goto(f"{live_server}/review")
    assert "Marked as no identifiable people, but 1 face was found" in page.inner_text("main")
    page.click("text=Review “At the console”")
    assert page.locator(".face-boxes rect").count() == 1  # the box over the face
    screenshot(page, "flagged")

    page.click("text=Blur face 1")
    assert "Blurred the region" in page.inner_text(".flashes")
    faces = page.inner_text(".face-list")
    assert "Face 1, upper centre (blurred)" in faces
    assert "Check before approving" not in page.inner_text("main")  # the blurred face is no one's
    screenshot(page, "blurred")
    page.click("#approve")
    assert "Approved “At the console”" in page.inner_text(".flashes")

    db.session.rollback()  # see what the server committed
    photo = db.session.execute(db.select(Photo)).scalar_one()
    assert photo.status == PhotoStatus.APPROVED
    face = photo.faces[0].box
    exhibition = make_exhibition([photo])
    visitor = browser.new_page(viewport={"width": 1200, "height": 900})
    visitor.goto(f"{live_server}/exhibitions/{exhibition.slug}")
    source = visitor.locator("main figure img").first.get_attribute("src")
    shown = picture_of(visitor.request.get(f"{live_server}{source}").body())
    screenshot(visitor, "gallery")

    with photo.open() as stored:
        data = stored.read()
    assert hashlib.sha256(data).hexdigest() == uploaded  # the original is untouched
    original = picture_of(data).resize(shown.size)
    # The face's features are gone in the gallery's picture, kept in the original's and
    # elsewhere; the face check itself finds no face left in what visitors are sent.
    assert detail(shown, face) < 0.25 * detail(original, face)
    elsewhere = Box(0.05, 0.70, 0.25, 0.25)
    assert detail(shown, elsewhere) > 0.7 * detail(original, elsewhere)
    assert detect_faces(shown.convert("RGB")) == []
    assert detect_faces(original.convert("RGB"))

"""A photo uploaded as "no identifiable people" that shows a face: the curator sees it flagged,
sees the numbered box over the face, and approves only after ticking that they checked it."""

from archive.extensions import db
from archive.photos.models import Photo, PhotoStatus
from tests.e2e.conftest import log_in
from tests.photos.face_set import WITH_FACES


def test_a_flagged_face_is_boxed_and_approval_waits_for_the_curators_check(
    live_server, browser, screenshot, make_user, client, login, tmp_path
):
    from tests.photos.test_upload import entry, post_upload

    astronaut = next(photo for photo in WITH_FACES if photo.name == "astronaut")
    path = tmp_path / "console.jpg"
    astronaut.upright().save(path, quality=92)
    login(make_user("contributor"))
    post_upload(client, entry(0, path, title="At the console"))  # "no identifiable people"
    curator = make_user("curator")

    page = browser.new_page(viewport={"width": 1200, "height": 900})
    log_in(page, live_server, curator)
    page.goto(f"{live_server}/review")
    assert "Marked as no identifiable people, but 1 face was found" in page.inner_text("main")
    screenshot(page, "queue")
    page.click("text=Review “At the console”")
    # The box is drawn over the face: its place on the screen, against the picture's.
    # Both read in one step, once the page has settled: a layout shift between two reads
    # (a hint shown by a script, an image arriving) would compare two different layouts.
    page.wait_for_load_state("networkidle")
    picture, box = page.evaluate(
        """() => [document.querySelector("figure img"), document.querySelector(".face-boxes rect")]
            .map((element) => {
              const { x, y, width, height } = element.getBoundingClientRect();
              return { x, y, width, height };
            })"""
    )
    x, y = astronaut.face_at
    face = (picture["x"] + x * picture["width"], picture["y"] + y * picture["height"])
    assert box["x"] <= face[0] <= box["x"] + box["width"]
    assert box["y"] <= face[1] <= box["y"] + box["height"]
    assert "Face 1, upper centre" in page.inner_text("main")
    screenshot(page, "review")

    page.click("#approve")
    assert "tick “I have checked the faces” to approve it" in page.inner_text("main")
    screenshot(page, "refused")
    page.get_by_label("I have checked the faces", exact=False).check()
    page.click("#approve")
    assert "Approved “At the console”" in page.inner_text(".flashes")
    db.session.rollback()
    assert db.session.execute(db.select(Photo)).scalar_one().status == PhotoStatus.APPROVED

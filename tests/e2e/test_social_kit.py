"""A curator clicks a photo's subject to set its focal point; comms download its social kit."""

import io
import zipfile

from PIL import Image

from archive.downloads.models import DownloadEvent
from archive.extensions import db
from tests.downloads.test_social_kit import dot, ingest, patterned, red_centre
from tests.e2e.conftest import log_in


def test_a_clicked_focal_point_centres_the_downloaded_kit(
    live_server, browser, screenshot, make_user, make_person, tmp_path
):
    path = tmp_path / "dot.jpg"
    dot(patterned((3000, 2000)), (2100, 600)).save(path, "JPEG", quality=95)
    photo = ingest(path, make_person("Dev Patel", scopes=["press", "web"]))
    curator, comms = make_user("curator"), make_user("comms")

    page = browser.new_page(viewport={"width": 1200, "height": 900})
    log_in(page, live_server, curator)
    page.goto(f"{live_server}/photos/{photo.id}")
    assert page.input_value("#focal-x") == "50.0"  # no faces: the middle, until set
    picture = page.locator("#photo-image")
    picture.scroll_into_view_if_needed()
    bounds = picture.bounding_box()
    page.mouse.click(bounds["x"] + bounds["width"] * 0.7, bounds["y"] + bounds["height"] * 0.3)
    assert abs(float(page.input_value("#focal-x")) - 70) < 1
    assert abs(float(page.input_value("#focal-y")) - 30) < 1
    assert page.locator(".focal-marker").is_visible()
    assert page.locator(".blur-outline").is_hidden()  # a click is not a region to blur
    screenshot(page, "clicked")
    page.click("#focal-point button[type=submit]")
    assert "Set the focal point" in page.inner_text(".flashes")
    page.fill("#focal-x", "170")
    page.click("#focal-point button[type=submit]")
    assert "must be between 0 and 100 %" in page.inner_text(".error-summary")
    screenshot(page, "refused")

    buyer = browser.new_page(viewport={"width": 1200, "height": 900}, accept_downloads=True)
    log_in(buyer, live_server, comms)
    buyer.goto(f"{live_server}/photos/{photo.id}")
    buyer.click("text=Social-media kit")
    assert "Square 1:1, for feed posts" in buyer.inner_text("main")
    assert "Photo: Jo Whitfield" in buyer.input_value("#kit-credit")
    buyer.fill("#purpose", "Technician Commitment week post")
    buyer.check("#accept")
    screenshot(buyer, "kit-page")
    with buyer.expect_download() as waiting:
        buyer.click("main button[type=submit]")
    assert "social-media kit" in buyer.inner_text("#download-status")
    assert waiting.value.suggested_filename == "Testing the rig-social-kit.zip"
    saved = tmp_path / "kit.zip"
    waiting.value.save_as(saved)
    with zipfile.ZipFile(saved) as kit:
        square = Image.open(io.BytesIO(kit.read("square-1x1.jpg")))
        story = Image.open(io.BytesIO(kit.read("story-9x16.jpg")))
    # Clicked within a pixel of the display picture (1600 px: 2 px of the original).
    for found, expected in [(red_centre(square), (1100, 600)), (red_centre(story), (562, 600))]:
        assert abs(found[0] - expected[0]) <= 6 and abs(found[1] - expected[1]) <= 6
    db.session.rollback()
    assert [event.size for event in DownloadEvent.query.all()] == ["social-kit"]

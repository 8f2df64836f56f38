"""A technician on a phone uploads photos and a consent form, and sees them pending."""

import io

from PIL import Image

from archive.demo.pictures import make_scene
from archive.extensions import db
from archive.photos.models import Photo, PhotoStatus
from tests.fixtures.app import PASSWORD


def test_a_technician_uploads_from_a_phone(
    live_server, phone, screenshot, make_user, picture, tmp_path
):
    technician = make_user("contributor", name="Tomasz Technician")
    heic = tmp_path / "IMG_0101.HEIC"
    make_scene(900, 1200, seed=4).save(heic, "HEIF")
    rotated = picture(size=(1200, 900), orientation=6)
    plain = picture(size=(1000, 750))
    extra = picture(size=(800, 600))
    consent = tmp_path / "consent-ben.pdf"
    buffer = io.BytesIO()
    Image.new("RGB", (300, 420), "white").save(buffer, "PDF")
    consent.write_bytes(buffer.getvalue())

    page = phone
    page.goto(f"{live_server}/upload")
    assert page.url.startswith(f"{live_server}/login")
    page.fill("#email", technician.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/upload")

    page.set_input_files("#consent_forms", str(consent))
    page.set_input_files("#photos-0-file", str(heic))
    page.fill("#photos-0-title", "Glass lathe")
    page.fill("#photos-0-alt_text", "Glowing glass turning on a lathe")
    page.check("#photos-0-no_identifiable_people")
    page.set_input_files("#photos-1-file", str(rotated))
    page.fill("#photos-1-title", "Ben at the bench")
    page.fill("#photos-1-alt_text", "An apprentice files a brass part at a bench")
    page.fill("#photos-1-new_person_name", "Ben Carter")
    page.set_input_files("#photos-2-file", str(plain))
    page.fill("#photos-2-alt_text", "Rows of glassware on a bench")
    page.check("#photos-2-no_identifiable_people")
    # The enhancement script adds a fourth entry on request.
    page.click("#add-photo")
    page.set_input_files("#photos-3-file", str(extra))
    page.fill("#photos-3-alt_text", "A tool wall")
    page.check("#photos-3-no_identifiable_people")
    screenshot(page, "filled")
    page.click("form#upload-form button[type=submit]")

    page.wait_for_url(f"{live_server}/my-uploads")
    assert "4 photos uploaded and awaiting review." in page.inner_text(".flashes")
    assert page.locator(".status-pending").count() == 4
    # The form is sent by script and the answer put in place of the page: no navigation to
    # wait for, so wait for the thumbnails themselves.
    assert page.locator(".tile img").count() == 4
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.tile img')).every(i => i.complete)"
    )
    widths = page.eval_on_selector_all(".tile img", "images => images.map(i => i.naturalWidth)")
    assert all(width > 0 for width in widths)  # thumbnails really load
    screenshot(page, "my-uploads")

    db.session.rollback()  # end this thread's read snapshot, taken before the server wrote
    photos = {p.title: p for p in Photo.query.all()}
    assert {p.status for p in photos.values()} == {PhotoStatus.PENDING}
    assert (photos["Glass lathe"].format, photos["Glass lathe"].width) == ("HEIF", 900)
    ben = photos["Ben at the bench"]
    assert (ben.width, ben.height) == (1200, 900)  # stored 900×1200 with orientation 6: upright
    assert [person.name for person in ben.people] == ["Ben Carter"]

"""A curator reviews an upload and records its consent; comms staff find it and download it."""

import io

from PIL import Image

from archive.consent.models import ConsentForm
from archive.extensions import db
from archive.search.index import apply_pending_changes
from tests.downloads.test_embedding import alt, xmp_description, xmp_text
from tests.e2e.conftest import log_in


def test_curator_reviews_then_comms_downloads(
    live_server, browser, screenshot, make_user, client, login, picture, tmp_path
):
    from tests.photos.test_upload import entry, post_upload

    technician = make_user("contributor", name="Tomasz Technician")
    login(technician)
    consent = io.BytesIO()
    Image.new("RGB", (120, 170), "white").save(consent, "PDF")
    post_upload(
        client,
        entry(
            0,
            picture(gps=(52.93, -1.19)),
            title="Apprentice welding",
            alt_text="A welder's arc in a dark workshop",
            caption="TIG welding practice",
            no_people=False,
            new_person_name="Olivia Nowak",
        ),
        consents=[("olivia.pdf", consent.getvalue())],
    )
    curator = make_user("curator")
    comms = make_user("comms")

    page = browser.new_page(viewport={"width": 1200, "height": 900})
    log_in(page, live_server, curator)
    page.goto(f"{live_server}/review")
    page.click("text=Review “Apprentice welding”")
    form = page.locator("form.consent-record")
    form.locator("input[value=press]").check()
    form.locator("input[value=web]").check()
    form.locator("input[type=date]").first.fill("2026-01-15")
    form.locator("text=Record this consent").click()
    assert "Recorded the consent form of Olivia Nowak" in page.inner_text(".flashes")
    page.click(".review-tags summary")  # the tags are folded until asked for
    page.get_by_label("Apprentice", exact=True).check()
    page.get_by_label("Engineering", exact=True).check()
    page.select_option("#licence", label="Creative Commons Attribution 4.0")
    screenshot(page, "review")
    page.click("#approve")
    assert "Approved “Apprentice welding”" in page.inner_text(".flashes")
    db.session.rollback()  # see what the server committed, not this thread's old snapshot
    assert ConsentForm.query.one().person.name == "Olivia Nowak"
    apply_pending_changes()  # in case the index lock was busy; normally done already

    buyer = browser.new_page(viewport={"width": 1200, "height": 900}, accept_downloads=True)
    log_in(buyer, live_server, comms)
    buyer.goto(f"{live_server}/search?q=welding")
    assert "1 photo for “welding”" in buyer.inner_text("main")
    buyer.click("text=Apprentice")  # the job-role facet narrows the results
    assert "role=apprentice" in buyer.url
    screenshot(buyer, "search")
    buyer.click(".tile a >> nth=1")
    buyer.click("text=Download with credit and licence")
    buyer.select_option("#size", "large")
    buyer.fill("#purpose", "Open day poster")
    buyer.check("#accept")
    with buyer.expect_download() as waiting:
        buyer.click("main button[type=submit]")
    # The page stays, so it says what happened: the file's arrival and what it carries.
    said = buyer.inner_text("#download-status")
    assert "Downloading “Apprentice welding”" in said and "credit line, the licence" in said
    assert "Large (2560 px)" in said
    screenshot(buyer, "downloaded")
    saved = tmp_path / waiting.value.suggested_filename
    waiting.value.save_as(saved)
    data = saved.read_bytes()
    description = xmp_description(data)
    assert xmp_text(description, alt("dc:title")) == "Apprentice welding"
    assert "CC BY 4.0" in xmp_text(description, "photoshop:Credit")
    assert not Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # no GPS
    buyer.goto(f"{live_server}/downloads")
    assert "Open day poster" in buyer.inner_text("main")
    page.close()
    buyer.close()

"""A comms user fills a basket from the search results and downloads it as one zip."""

import csv
import io
import zipfile
from datetime import date

from sqlalchemy import select

from archive.consent.intake import withdraw_consent
from archive.downloads.models import DownloadEvent
from archive.extensions import db
from archive.search.index import apply_pending_changes
from tests.downloads.exiftool import read_tags
from tests.e2e.conftest import log_in

TITLES = ["Workshop lathe", "Workshop soldering", "Workshop printer", "Workshop band saw"]
CREDIT = "Photo: Jo Whitfield / University Technical Services, CC BY 4.0"


def test_comms_downloads_a_basket_of_photos_as_one_zip(
    live_server, browser, screenshot, make_user, make_person, make_photo, tmp_path
):
    curator = make_user("curator")
    photos = [
        make_photo(
            people=[make_person(f"Technician {n}", scopes=["press", "web"])],
            status="approved",
            licence="CC-BY-4.0",
            title=title,
            photographer="Jo Whitfield",
        )
        for n, title in enumerate(TITLES)
    ]
    apply_pending_changes()
    comms = make_user("comms")

    page = browser.new_page(viewport={"width": 1200, "height": 900}, accept_downloads=True)
    log_in(page, live_server, comms)
    page.goto(f"{live_server}/search?q=workshop")
    for title in TITLES:
        page.get_by_role("button", name=f"Add to basket “{title}”").click()
        assert f"Added “{title}” to your basket." in page.inner_text(".flashes")
        assert "/search?q=workshop" in page.url  # back on the results, to add the next
    assert "Basket (4)" in page.inner_text("#site-nav")
    page.get_by_role("button", name="Remove from basket “Workshop band saw”").wait_for()
    screenshot(page, "search")

    # Consent withdrawn after the photo went in: it stays named, and is never handed out.
    withdrawn = photos[1]
    withdraw_consent(withdrawn.people[0].consent_forms[0], by=curator, on=date.today())
    page.click("#site-nav >> text=Basket")
    main = page.inner_text("main")
    assert "3 photos to download together" in main and main.count(CREDIT) == 3
    left_out = main[main.index("Left out of the download") :]
    assert "Workshop soldering" in left_out
    assert (
        page.locator(".basket-licences li")
        .all_inner_texts()[0]
        .startswith("Creative Commons Attribution 4.0")
    )  # listed once for the three photos under it
    assert page.locator(".basket-licences li").count() == 1
    page.select_option("#size", "large")
    page.fill("#purpose", "Technician Commitment report")
    page.check("#accept")
    screenshot(page, "basket")
    with page.expect_download() as waiting:
        page.get_by_role("button", name="Download the basket").click()
    saved = tmp_path / waiting.value.suggested_filename
    waiting.value.save_as(saved)
    assert saved.name == f"basket-{date.today().isoformat()}-large.zip"

    with zipfile.ZipFile(saved) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    shown = [title for title in TITLES if title != "Workshop soldering"]
    assert sorted(files) == sorted([*(f"{title}-large.jpg" for title in shown), "credits.csv"])
    for title in shown:
        tags = read_tags(files[f"{title}-large.jpg"], tmp_path)
        assert tags["XMP-dc:Title"] == title and tags["XMP-photoshop:Credit"] == CREDIT
        assert tags["XMP-xmpRights:UsageTerms"].startswith("Anyone may share and adapt")
    sheet = list(csv.DictReader(io.StringIO(files["credits.csv"].decode("utf-8-sig"))))
    assert [row["Title"] for row in sheet] == [*shown, "Workshop soldering"]
    assert sheet[-1]["File"] == "" and sheet[-1]["Included"].startswith("No: left out")

    db.session.rollback()  # see what the server committed
    events = db.session.execute(select(DownloadEvent)).scalars().all()
    assert sorted(event.photo_id for event in events) == sorted(
        photo.id for photo in photos if photo is not withdrawn
    )
    assert {event.purpose for event in events} == {"Technician Commitment report"}
    page.close()

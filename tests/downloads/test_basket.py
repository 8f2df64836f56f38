"""Comms staff collect photos in a basket and download them as one zip, each one recorded."""

import csv
import io
import zipfile
from datetime import date

import pytest
from sqlalchemy import select

from archive.consent.intake import withdraw_consent
from archive.core.audit import AuditEvent
from archive.downloads.models import BasketItem, DownloadEvent
from archive.extensions import db
from tests.downloads.exiftool import read_tags
from tests.downloads.test_embedding import alt, xmp_description, xmp_text

TITLES = ["Calibrating the spectrometer", "Turning a brass fitting", "Inside the cleanroom"]
CREDIT = "Photo: Jo Whitfield / University Technical Services, CC BY 4.0"
DOWNLOAD = {"size": "display", "purpose": "Open day brochure", "accept": "y"}


@pytest.fixture
def three_photos(make_user, make_person, make_photo):
    """Three approved photos, each of someone whose consent covers press use."""
    make_user("curator")
    return [
        make_photo(
            people=[make_person(f"Person {n}", scopes=["press", "web"])],
            status="approved",
            licence="CC-BY-4.0",
            title=title,
            photographer="Jo Whitfield",
        )
        for n, title in enumerate(TITLES)
    ]


def fill_basket(client, photos):
    for photo in photos:
        response = client.post(f"/basket/add/{photo.id}", data={"next": "/search?q=x"})
        assert response.status_code == 302 and response.headers["Location"] == "/search?q=x"


def unzipped(response) -> dict[str, bytes]:
    data = response.get_data()
    response.close()  # as a server does: the zip's temporary file is closed with it
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def sheet_rows(files) -> list[dict]:
    return list(csv.DictReader(io.StringIO(files["credits.csv"].decode("utf-8-sig"))))


def test_the_basket_downloads_as_one_zip_of_credited_photos_each_recorded(
    client, login_as, three_photos, tmp_path
):
    comms = login_as("comms")
    fill_basket(client, three_photos)
    fill_basket(client, three_photos[:1])  # asked twice, in once
    page = client.get("/basket").get_data(as_text=True)
    assert "Basket (3)" in page
    assert page.count(CREDIT) == 3 and "Creative Commons Attribution 4.0" in page
    assert all(title in page for title in TITLES)

    response = client.post("/basket/download", data=DOWNLOAD)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.content_length == len(response.get_data())
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=basket-{date.today().isoformat()}-display.zip"
    )
    files = unzipped(response)
    assert sorted(files) == sorted([*(f"{title}-display.jpg" for title in TITLES), "credits.csv"])
    for title in TITLES:
        data = files[f"{title}-display.jpg"]
        description = xmp_description(data)
        assert xmp_text(description, alt("dc:title")) == title
        assert xmp_text(description, "photoshop:Credit") == CREDIT
        tags = read_tags(data, tmp_path)  # as a partner's ExifTool reads it
        assert tags["XMP-dc:Title"] == title and tags["XMP-photoshop:Credit"] == CREDIT
    rows = sheet_rows(files)
    assert [(row["File"], row["Title"], row["Credit line"], row["Included"]) for row in rows] == [
        (f"{title}-display.jpg", title, CREDIT, "Yes") for title in TITLES
    ]
    assert all(row["Licence"] == "Creative Commons Attribution 4.0" for row in rows)
    assert rows[0]["Photo URL"].endswith(f"/photos/{three_photos[0].id}")

    events = db.session.execute(select(DownloadEvent)).scalars().all()
    assert sorted(event.photo_id for event in events) == [photo.id for photo in three_photos]
    assert {(event.user_id, event.purpose, event.size) for event in events} == {
        (comms.id, "Open day brochure", "display")
    }
    audited = db.session.execute(select(AuditEvent).filter_by(action="photo.downloaded"))
    assert sorted(event.target_id for event in audited.scalars()) == [
        photo.id for photo in three_photos
    ]
    history = client.get("/downloads").get_data(as_text=True)
    assert history.count("Open day brochure") == 3


def test_a_photo_withdrawn_after_it_was_added_is_left_out_and_named(
    client, login_as, make_user, three_photos
):
    login_as("comms")
    fill_basket(client, three_photos)
    withdrawn = three_photos[1]
    withdraw_consent(withdrawn.people[0].consent_forms[0], by=make_user("curator"), on=date.today())
    page = client.get("/basket").get_data(as_text=True)
    left_out = page[page.index("Left out of the download") :]
    assert "Turning a brass fitting" in left_out and "no longer cleared" in left_out

    files = unzipped(client.post("/basket/download", data=DOWNLOAD))
    assert "Turning a brass fitting-display.jpg" not in files and len(files) == 3
    rows = {row["Title"]: row for row in sheet_rows(files)}
    assert rows["Turning a brass fitting"]["File"] == ""
    assert rows["Turning a brass fitting"]["Included"].startswith("No: left out")
    recorded = db.session.execute(select(DownloadEvent.photo_id)).scalars().all()
    assert sorted(recorded) == [three_photos[0].id, three_photos[2].id]


def test_an_empty_basket_is_refused_with_a_sentence(client, login_as):
    login_as("comms")
    response = client.post("/basket/download", data=DOWNLOAD)
    assert response.status_code == 422
    assert "Your basket is empty" in response.get_data(as_text=True)
    assert db.session.execute(select(DownloadEvent)).first() is None


@pytest.mark.parametrize(
    ("missing", "said"),
    [
        ("purpose", "Say what the photo will be used for"),
        ("accept", "Tick to accept the licence terms"),
    ],
)
def test_one_purpose_and_one_acceptance_are_required(client, login_as, three_photos, missing, said):
    login_as("comms")
    fill_basket(client, three_photos)
    response = client.post("/basket/download", data={**DOWNLOAD, missing: ""})
    assert response.status_code == 422 and said in response.get_data(as_text=True)
    assert db.session.execute(select(DownloadEvent)).first() is None


def test_the_buttons_show_only_for_photos_the_user_may_download(
    client, login_as, login, make_user, three_photos, make_photo
):
    uncleared = make_photo(status="pending", title="Still in review")
    comms = login_as("comms")
    assert client.post(f"/basket/add/{uncleared.id}").status_code == 404
    page = client.get(f"/photos/{three_photos[0].id}").get_data(as_text=True)
    assert "Add to basket" in page
    fill_basket(client, three_photos[:1])
    page = client.get(f"/photos/{three_photos[0].id}").get_data(as_text=True)
    assert "Remove from basket" in page and "Add to basket" not in page
    # Kept in the database: still there at the next login, until removed.
    login(comms)
    assert "Basket (1)" in client.get("/basket").get_data(as_text=True)
    client.post(f"/basket/remove/{three_photos[0].id}")
    assert db.session.execute(select(BasketItem)).first() is None
    login(make_user("contributor"))
    page = client.get(f"/photos/{three_photos[0].id}").get_data(as_text=True)
    assert "basket" not in page.lower()

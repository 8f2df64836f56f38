"""Every image leaving the archive says whose it is and under what terms, and nothing more."""

import re

import pytest
from PIL import Image

from archive.demo.pictures import make_scene
from archive.extensions import db
from archive.licences.services import licence_by_code
from archive.photos.ingest import PhotoDetails, ingest_file
from archive.photos.models import PhotoStatus
from tests.downloads.exiftool import camera_or_place, read_tags, warnings_of
from tests.fixtures.photos import derivative_urls

CREDIT = "Photo: Zoë Łukasiewicz / University Technical Services, CC BY 4.0"


@pytest.fixture
def camera_photo(make_user, make_person, tmp_path):
    """An approved photo cleared for the web whose original names its camera, serial and place."""
    make_user("curator")
    person = make_person("Mei Lin", scopes=["web", "press", "exhibition"])
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Canon", "EOS R6"
    exif.get_ifd(0x8769)[0xA431] = "SN-0042-SECRET"  # BodySerialNumber
    exif.get_ifd(0x8825).update({1: "N", 2: (52.0, 56.0, 19.0), 3: "W", 4: (1.0, 11.0, 44.0)})
    path = tmp_path / "IMG_3.JPG"
    make_scene(1800, 1200, seed=3).save(path, "JPEG", exif=exif)
    photo = ingest_file(
        path,
        PhotoDetails(
            title="Spectromètre",
            caption="Mei Lin calibrates the spectrometer.",
            alt_text="A technician at an instrument",
            photographer="Zoë Łukasiewicz",
            licence_id=licence_by_code("CC-BY-4.0").id,
            people=[person],
        ),
        original_filename=path.name,
        uploaded_by=None,
    ).photo
    photo.status = PhotoStatus.APPROVED
    db.session.commit()
    return photo


def assert_credited_and_anonymous(data: bytes, folder) -> None:
    """Check an outward image: credit and rights in XMP and IIM; no camera, place or person."""
    tags = read_tags(data, folder)
    assert tags["XMP-photoshop:Credit"] == CREDIT
    assert tags["XMP-dc:Rights"] == f"Creative Commons Attribution 4.0. {CREDIT}"
    assert tags["XMP-xmpRights:WebStatement"] == "https://creativecommons.org/licenses/by/4.0/"
    assert "share and adapt" in tags["XMP-xmpRights:UsageTerms"]
    assert tags["IPTC:Credit"] == "Photo: Zoë Łukasiewicz / Unive"  # 32 bytes
    assert tags["IPTC:CopyrightNotice"].startswith("Creative Commons Attribution 4.0.")
    assert camera_or_place(tags) == []
    assert b"SN-0042" not in data and b"Canon" not in data
    # No personal data beyond the credit: no name of anyone shown, no caption or title.
    assert b"Mei Lin" not in data and b"Spectrom" not in data
    assert not [name for name in tags if name.endswith(("PersonInImage", ":Title", "Caption"))]
    assert warnings_of(data, folder) == []


def test_a_gallery_image_carries_credit_and_rights_but_no_camera_or_place(
    client, camera_photo, make_exhibition, tmp_path
):
    exhibition = make_exhibition([camera_photo])
    html = client.get(f"/exhibitions/{exhibition.slug}").get_data(as_text=True)
    urls = set(re.findall(r"/exhibitions/[\w-]+/media/[0-9a-f]{64}\.jpg", html))

    assert urls
    for url in urls:
        with client.get(url) as response:
            assert response.status_code == 200
            assert_credited_and_anonymous(response.get_data(), tmp_path)


def test_a_search_thumbnail_carries_credit_and_rights_but_no_camera_or_place(
    client, camera_photo, tmp_path
):
    html = client.get("/search?q=spectrometer").get_data(as_text=True)
    [url] = derivative_urls(html)

    with client.get(url) as response:
        assert response.status_code == 200
        assert_credited_and_anonymous(response.get_data(), tmp_path)

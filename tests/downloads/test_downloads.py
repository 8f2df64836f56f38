"""Comms staff download photos with credit and licence inside the file, and no location."""

import io

import pytest
from PIL import Image

from archive.core.audit import AuditEvent
from archive.downloads.models import DownloadEvent
from archive.extensions import db
from archive.licences.services import licence_by_code
from archive.photos.ingest import PhotoDetails, ingest_file
from archive.photos.models import PhotoStatus
from tests.downloads.test_embedding import alt, xmp_description, xmp_text


@pytest.fixture
def gps_photo(make_user, make_person, picture):
    """An approved, consented photo whose original carries GPS and a camera."""
    make_user("curator")
    person = make_person("Joseph Okafor", scopes=["press", "web"])
    photo = ingest_file(
        picture(size=(3000, 2000), gps=(52.9387, -1.1955), camera=("Canon", "EOS R6")),
        PhotoDetails(
            title="Apprentice welding",
            caption="Joseph practises TIG welding.",
            alt_text="A welder's arc lights a dark workshop",
            photographer="Jo Whitfield",
            licence_id=licence_by_code("CC-BY-4.0").id,
            people=[person],
        ),
        original_filename="IMG_9.JPG",
        uploaded_by=None,
    ).photo
    photo.status = PhotoStatus.APPROVED
    db.session.commit()
    return photo


def post_download(client, photo, size="large", purpose="Staff newsletter, March"):
    return client.post(
        f"/photos/{photo.id}/download",
        data={"size": size, "purpose": purpose, "accept": "y"},
    )


@pytest.mark.parametrize(
    ("size", "long_edge"), [("display", 1600), ("large", 2560), ("full", 3000)]
)
def test_the_downloaded_file_carries_its_credits_and_no_gps(
    client, login_as, gps_photo, size, long_edge
):
    login_as("comms")
    page = client.get(f"/photos/{gps_photo.id}/download").get_data(as_text=True)
    assert "Creative Commons Attribution 4.0" in page
    assert "Photo: Jo Whitfield / University Technical Services, CC BY 4.0" in page
    response = post_download(client, gps_photo, size)
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert (
        response.headers["Content-Disposition"]
        == f'attachment; filename="Apprentice welding-{size}.jpg"'
    )
    data = response.get_data()
    description = xmp_description(data)
    assert xmp_text(description, alt("dc:title")) == "Apprentice welding"
    assert xmp_text(description, "dc:creator/rdf:Seq/rdf:li") == "Jo Whitfield"
    assert xmp_text(description, "photoshop:Credit") == (
        "Photo: Jo Whitfield / University Technical Services, CC BY 4.0"
    )
    assert "share and adapt" in xmp_text(description, alt("xmpRights:UsageTerms"))
    assert xmp_text(description, alt("Iptc4xmpCore:AltTextAccessibility")) == (
        "A welder's arc lights a dark workshop"
    )
    image = Image.open(io.BytesIO(data))
    assert max(image.size) == long_edge
    assert not image.getexif().get_ifd(0x8825)  # no GPS
    assert b"GPS" not in data[: data.index(b"\xff\xda")] and b"EOS R6" not in data


def test_each_download_is_recorded_once_with_its_purpose(client, login_as, gps_photo):
    user = login_as("comms")
    post_download(client, gps_photo, "display", "Open day poster")
    [event] = DownloadEvent.query.all()
    assert (event.user_id, event.photo_id, event.size, event.purpose) == (
        user.id,
        gps_photo.id,
        "display",
        "Open day poster",
    )
    assert AuditEvent.query.filter_by(action="photo.downloaded").count() == 1
    history = client.get("/downloads").get_data(as_text=True)
    assert "Open day poster" in history and "Apprentice welding" in history


def test_the_licence_must_be_accepted_and_a_purpose_given(client, login_as, gps_photo):
    login_as("comms")
    refused = client.post(f"/photos/{gps_photo.id}/download", data={"size": "large", "purpose": ""})
    assert refused.status_code == 422
    assert DownloadEvent.query.count() == 0


@pytest.mark.parametrize("accept", ["false", "False", "0", "off", "no", ""])
def test_a_false_acceptance_does_not_download(client, login_as, gps_photo, accept):
    login_as("comms")
    refused = client.post(
        f"/photos/{gps_photo.id}/download",
        data={"size": "large", "purpose": "Staff newsletter", "accept": accept},
    )
    assert refused.status_code == 422 and refused.mimetype == "text/html"
    assert DownloadEvent.query.count() == 0


def test_photos_not_cleared_for_press_cannot_be_downloaded(
    client, login_as, make_user, make_person, make_photo
):
    make_user("curator")
    person = make_person("Hannah Clarke", scopes=["internal"])
    photo = make_photo(people=[person], status=PhotoStatus.APPROVED)
    login_as("comms")
    assert client.get(f"/photos/{photo.id}/download").status_code == 404
    assert post_download(client, photo).status_code == 404
    assert DownloadEvent.query.count() == 0


def test_admins_see_who_downloaded_a_photo(client, login_as, gps_photo):
    login_as("comms")
    post_download(client, gps_photo, "display", "Annual report")
    login_as("admin")
    page = client.get(f"/photos/{gps_photo.id}").get_data(as_text=True)
    assert "Annual report" in page


def test_contributors_cannot_download(client, login_as, gps_photo):
    login_as("contributor")
    assert client.get(f"/photos/{gps_photo.id}/download").status_code == 403

"""What a press office's tools read in a comms download: every IPTC field, in XMP and IIM."""

from datetime import datetime
from urllib.parse import unquote

import pytest
from PIL import Image
from sqlalchemy import select

from archive.downloads.embedding import credited_jpeg
from archive.downloads.services import credits_for
from archive.extensions import db
from archive.licences.services import licence_by_code
from archive.people.models import Term, Vocabulary
from archive.photos.imaging import decode_upright_srgb
from archive.photos.ingest import PhotoDetails, ingest_file
from archive.photos.models import PhotoStatus
from tests.downloads.exiftool import camera_or_place, read_tags, warnings_of

TITLE = "Réparation du spectromètre — إصلاح جهاز المطياف في مختبر الكيمياء"
CAPTION = "Zażółć gęślą jaźń: Łucja règle le détecteur. تقوم لوسيا بمعايرة الكاشف."
PHOTOGRAPHER = "Zoë Łukasiewicz"
CREDIT = "Photo: Zoë Łukasiewicz / University Technical Services, CC BY 4.0"
RIGHTS = f"Creative Commons Attribution 4.0. {CREDIT}"
PLUS = "http://ns.useplus.org/ldf/vocab/"  # the PLUS Model Release Status vocabulary


def within(value: str, text: str, limit: int) -> bool:
    """Return whether value is text cut to at most limit UTF-8 bytes between two characters."""
    if value == text:
        return len(text.encode()) <= limit
    rest = text[len(value) :]
    return text.startswith(value) and len(value.encode()) <= limit < len((value + rest[0]).encode())


def tag(name: str, vocabulary: Vocabulary) -> Term:
    term = db.session.execute(select(Term).filter_by(vocabulary=vocabulary, label=name)).scalar()
    if term is None:
        term = Term(vocabulary=vocabulary, label=name)
        db.session.add(term)
    return term


@pytest.fixture
def press_photo(make_user, make_person, picture):
    """An approved photo of two people cleared for press, with French, Polish and Arabic words."""
    make_user("curator")
    people = [
        make_person("Łucja Wróbel", scopes=["press"]),
        make_person("Mei Lin", scopes=["press", "web"]),
    ]
    photo = ingest_file(
        picture(
            size=(2000, 1500),
            taken_at=datetime(2024, 5, 6, 7, 8, 9),
            camera=("Canon", "EOS R6"),
            gps=(52.9387, -1.1955),
        ),
        PhotoDetails(
            title=TITLE,
            caption=CAPTION,
            alt_text="Une technicienne règle un spectromètre",
            photographer=PHOTOGRAPHER,
            licence_id=licence_by_code("CC-BY-4.0").id,
            people=people,
        ),
        original_filename="IMG_7.JPG",
        uploaded_by=None,
    ).photo
    photo.tags = [
        tag("Laboratory technician", Vocabulary.JOB_ROLE),
        tag("Chimie analytique", Vocabulary.DEPARTMENT),
    ]
    photo.status = PhotoStatus.APPROVED
    db.session.commit()
    return photo


def download(client, photo, size="display"):
    response = client.post(
        f"/photos/{photo.id}/download",
        data={"size": size, "purpose": "Communiqué de presse", "accept": "y"},
    )
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    return response


@pytest.mark.parametrize("size", ["display", "full"])
def test_every_iptc_field_reads_back_in_xmp_and_iim_without_a_warning(
    client, login_as, press_photo, tmp_path, size
):
    login_as("comms")
    data = download(client, press_photo, size).get_data()

    tags = read_tags(data, tmp_path)
    assert warnings_of(data, tmp_path) == []
    # Title, headline, description (the caption: EXIF ImageDescription too), creator.
    assert tags["XMP-dc:Title"] == TITLE and tags["XMP-photoshop:Headline"] == TITLE
    assert within(tags["IPTC:ObjectName"], TITLE, 64) and tags["IPTC:Headline"] == TITLE
    assert tags["XMP-dc:Description"] == CAPTION == tags["IPTC:Caption-Abstract"]
    assert tags["IFD0:ImageDescription"] == CAPTION
    assert tags["XMP-dc:Creator"] == [PHOTOGRAPHER] and tags["IPTC:By-line"] == PHOTOGRAPHER
    assert tags["IFD0:Artist"] == PHOTOGRAPHER
    # Credit line and copyright notice; IIM's are cut at its limits, between characters.
    assert tags["XMP-photoshop:Credit"] == CREDIT and within(tags["IPTC:Credit"], CREDIT, 32)
    assert tags["XMP-dc:Rights"] == RIGHTS and within(tags["IPTC:CopyrightNotice"], RIGHTS, 128)
    assert tags["IFD0:Copyright"] == RIGHTS
    # Date created, with the offset of the archive's time zone (Europe/London, summer time).
    assert tags["XMP-photoshop:DateCreated"] == "2024:05:06 07:08:09+01:00"
    assert (tags["IPTC:DateCreated"], tags["IPTC:TimeCreated"]) == ("2024:05:06", "07:08:09+01:00")
    # Keywords: the job role and department tags, and nothing else.
    keywords = ["Chimie analytique", "Laboratory technician"]
    assert tags["XMP-dc:Subject"] == keywords == tags["IPTC:Keywords"]
    # Licensor, web statement, usage terms, digital source type, alt text.
    assert tags["XMP-plus:Licensor"] == [
        {"LicensorName": "University Technical Services", "LicensorURL": "http://127.0.0.1:5000"}
    ]
    assert tags["XMP-xmpRights:WebStatement"] == "https://creativecommons.org/licenses/by/4.0/"
    assert "share and adapt" in tags["XMP-xmpRights:UsageTerms"]
    assert tags["XMP-iptcExt:DigitalSourceType"] == (
        "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"
    )
    assert tags["XMP-iptcCore:AltTextAccessibility"] == "Une technicienne règle un spectromètre"
    # Both people shown consented to press use: named, and released.
    assert tags["XMP-iptcExt:PersonInImage"] == ["Mei Lin", "Łucja Wróbel"]
    assert tags["XMP-plus:ModelReleaseStatus"] == "MR-UMR"  # ExifTool drops the namespace
    assert f"<plus:ModelReleaseStatus>{PLUS}MR-UMR<".encode() in data
    # The pixels are sRGB, and the file says so; IFD0 has what EXIF requires of it.
    assert tags["ICC_Profile:ProfileDescription"] == "sRGB built-in"
    assert (tags["IFD0:XResolution"], tags["IFD0:YResolution"]) == (72, 72)
    assert (tags["IFD0:ResolutionUnit"], tags["IFD0:YCbCrPositioning"]) == (2, 1)
    # Nothing of the camera's or of the place.
    assert camera_or_place(tags) == []


def test_the_file_name_is_the_title_with_an_ascii_fallback(client, login_as, press_photo):
    login_as("comms")
    disposition = download(client, press_photo).headers["Content-Disposition"]

    kind, *parameters = [part.strip() for part in disposition.split(";")]
    options = dict(parameter.split("=", 1) for parameter in parameters)
    assert kind == "attachment"
    assert options["filename*"].startswith("UTF-8''")
    assert unquote(options["filename*"][len("UTF-8''") :]) == f"{TITLE}-display.jpg"
    fallback = options["filename"].strip('"')
    assert fallback.isascii() and fallback.startswith("Reparation du spectrometre")


@pytest.mark.parametrize(
    ("scopes", "named", "release"),
    [
        pytest.param((["press"], ["press"]), ["Ada Byron", "Łucja Wróbel"], "MR-UMR", id="all"),
        pytest.param((["press"], ["web"]), ["Ada Byron"], "MR-LMR", id="partial"),
        pytest.param((["web"], ["internal"]), None, "MR-NON", id="none"),
        pytest.param(None, None, "MR-NAP", id="no-identifiable-people"),
    ],
)
def test_people_named_and_model_release_follow_press_consent(
    app, make_person, make_photo, tmp_path, scopes, named, release
):
    people = []
    if scopes is not None:
        people = [
            make_person("Ada Byron", scopes=scopes[0]),
            make_person("Łucja Wróbel", scopes=scopes[1]),
        ]
    photo = make_photo(people=people, licence="CC-BY-4.0", status="approved")
    with photo.derivative("display").open() as stored, Image.open(stored) as image:
        picture = decode_upright_srgb(image, 1600)
    data = credited_jpeg(picture, credits_for(photo, "University Technical Services", "http://x"))

    tags = read_tags(data, tmp_path)
    assert tags.get("XMP-iptcExt:PersonInImage") == named
    assert tags["XMP-plus:ModelReleaseStatus"] == release
    assert f"<plus:ModelReleaseStatus>{PLUS}{release}<".encode() in data  # the PLUS URI
    assert warnings_of(data, tmp_path) == []

"""The print pack: full-resolution files, wall labels, checklist and text panel, or what to fix."""

import csv
import html
import io
import zipfile
from datetime import date

import pytest
from PIL import Image, ImageCms
from pypdf import PdfReader

from archive.core.audit import AuditEvent
from archive.exhibitions.models import ExhibitionUse
from archive.extensions import db
from archive.photos.blur import blur_region
from tests.photos.test_blur import ELSEWHERE, FACE, checkerboard, contrast, ingest
from tests.test_html_validity import checker_messages

TITLES = ["Glassblowing", "Lathe work", "Réparation du spectromètre", "Field kit", "Wiring"]


@pytest.fixture
def physical(make_user, make_person, make_photo, make_exhibition):
    """A physical exhibition of five photos, each cleared for physical exhibitions."""
    make_user("curator")
    person = make_person("Zoë Łukasik", scopes=["exhibition", "web"])
    # The first is larger than every derivative: its file can only be the original.
    sizes = [(3000, 2000), (640, 480), (800, 1200), (640, 480), (1000, 700)]
    photos = [
        make_photo(
            title=title,
            caption=f"{title}: a technician's work, as the caption says.",
            photographer="Jo Whitfield",
            status="approved",
            size=size,
            people=[person] if title == "Field kit" else (),
        )
        for title, size in zip(TITLES, sizes, strict=True)
    ]
    exhibition = make_exhibition(photos, title="Hands at work", use=ExhibitionUse.PHYSICAL)
    exhibition.body = "## The room\n\nTechnicians *at* work."
    db.session.commit()
    return exhibition


def _pack(client, exhibition):
    return client.post(f"/curate/{exhibition.id}/print-pack")


def _files(response) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as pack:
        return {name: pack.read(name) for name in pack.namelist()}


def _pages(data: bytes) -> list[str]:
    """Return each page's text, its lines joined as one (labels wrap where they must)."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def test_the_pack_holds_full_size_srgb_files_one_label_a_page_and_the_checklist(
    client, login_as, physical
):
    login_as("curator")
    response = _pack(client, physical)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "print-pack.zip" in response.headers["Content-Disposition"]
    files = _files(response)

    images = sorted(name for name in files if name.startswith("images/"))
    assert images[2] == "images/003-Réparation du spectromètre.jpg"
    for name, item in zip(images, physical.items, strict=True):
        with Image.open(io.BytesIO(files[name])) as picture:
            assert picture.size == (item.photo.width, item.photo.height)  # never scaled
            profile = ImageCms.ImageCmsProfile(io.BytesIO(picture.info["icc_profile"]))
            assert "sRGB" in ImageCms.getProfileDescription(profile)
            assert round(picture.info["dpi"][0]) == 300

    labels = _pages(files["labels.pdf"])
    assert len(labels) == 5
    licence = physical.items[0].photo.licence.name
    for text, title in zip(labels, TITLES, strict=True):
        assert text.startswith(title)
        assert f"{title}: a technician's work, as the caption says." in text
        assert "Photo: Jo Whitfield" in text and licence in text

    rows = list(csv.DictReader(io.StringIO(files["checklist.csv"].decode("utf-8-sig"))))
    assert [row["title"] for row in rows] == TITLES
    assert rows[0]["position"] == "1" and rows[0]["file"] == images[0]
    assert (rows[0]["width_px"], rows[0]["height_px"]) == ("3000", "2000")
    assert rows[0]["max_print_mm_at_300dpi"] == "254 × 169 mm"
    assert rows[0]["max_print_in_at_300dpi"] == "10.0 × 6.7 in"
    assert rows[3]["consent"].startswith("Cleared for physical exhibitions")
    assert {row["consent_checked_on"] for row in rows} == {date.today().isoformat()}

    checklist = " ".join(_pages(files["checklist.pdf"]))
    assert f"Consent checked on {date.today().isoformat()}" in checklist
    assert "3000 × 2000" in checklist and "Łukasik" not in checklist
    (panel,) = _pages(files["text-panel.pdf"])
    assert "Hands at work" in panel and "The room" in panel and "Technicians at work." in panel
    assert "Photo: Jo Whitfield" in panel

    events = db.session.query(AuditEvent).filter_by(action="exhibition.print_pack").all()
    assert [(e.target_type, e.target_id, e.detail) for e in events] == [
        ("exhibition", physical.id, "5 items")
    ]


def test_an_item_without_physical_exhibition_consent_blocks_the_pack_by_name(
    client, login_as, make_person, make_photo, physical, tmp_path
):
    online_only = make_person("Ama Owusu", scopes=["web"])
    photo = make_photo(title="Soldering", status="approved", people=[online_only])
    from archive.exhibitions.services import add_photos

    add_photos(physical, [photo.id])
    login_as("curator")
    response = _pack(client, physical)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Item 6 (“Soldering”) cannot be shown" in page
    assert "Ama Owusu" in page and "Glassblowing" not in page
    assert "<title>Error: No print pack yet" in page
    refusal = tmp_path / "refused.html"
    refusal.write_text(page)
    assert [m for m in checker_messages([str(refusal)]) if m["type"] != "info"] == []
    assert db.session.query(AuditEvent).filter_by(action="exhibition.print_pack").count() == 0


def test_an_exhibition_not_for_a_room_is_told_to_set_its_use(
    client, login_as, exhibit_photos, make_exhibition
):
    exhibition = make_exhibition(exhibit_photos)  # a web gallery
    login_as("curator")
    response = _pack(client, exhibition)
    assert response.status_code == 409
    assert "set the exhibition's use" in html.unescape(response.get_data(as_text=True))
    edit = client.get(f"/curate/{exhibition.id}").get_data(as_text=True)
    assert "Print pack" not in edit


def test_the_builder_of_a_physical_exhibition_offers_the_pack(client, login_as, physical):
    login_as("curator")
    page = client.get(f"/curate/{physical.id}").get_data(as_text=True)
    assert f'action="/curate/{physical.id}/print-pack"' in page


def test_a_blurred_item_is_blurred_in_its_print_file(
    app, client, login_as, tmp_path, make_user, make_exhibition
):
    photo = ingest(checkerboard(tmp_path / "board.jpg"))
    blur_region(photo, FACE, by=make_user("curator"))
    exhibition = make_exhibition([photo], use=ExhibitionUse.PHYSICAL)
    login_as("curator")
    (name,) = [n for n in _files(_pack(client, exhibition)) if n.startswith("images/")]
    printed = Image.open(io.BytesIO(_files(_pack(client, exhibition))[name])).convert("L")
    assert printed.size == (3000, 2000)
    assert contrast(printed, FACE) < 10
    assert contrast(printed, ELSEWHERE) > 100


def test_a_long_caption_is_set_smaller_and_continues_and_the_label_size_is_a_setting(
    app, client, login_as, physical
):
    physical.items[0].caption = "A very long caption about glass. " * 120
    db.session.commit()
    app.config["PRINT_LABEL_SIZE"] = "A5"
    login_as("curator")
    reader = PdfReader(io.BytesIO(_files(_pack(client, physical))["labels.pdf"]))
    first = reader.pages[0]
    assert (round(float(first.mediabox.width)), round(float(first.mediabox.height))) == (420, 595)
    pages = [page.extract_text() for page in reader.pages]
    # The long caption goes on over the pages it takes; the next label starts a page of its own.
    assert len(pages) > 5
    assert all("A very long caption about glass." in page for page in pages[:-4])
    assert pages[-4].startswith("Lathe work")
    app.config["PRINT_LABEL_SIZE"] = "tiny"
    refused = _pack(client, physical)
    assert refused.status_code == 409 and "PRINT_LABEL_SIZE" in refused.get_data(as_text=True)


def test_a_childs_name_is_in_no_label_list_or_file_of_the_pack(
    client, login_as, make_person, make_photo, make_exhibition
):
    child = make_person("Sam Reid", scopes=["exhibition"])
    child.under_18 = True
    form = child.consent_forms[0]
    form.guardian_name, form.guardian_relationship = "Ruth Reid", "Mother"
    form.guardian_contact = "ruth@example.org"
    db.session.commit()
    photo = make_photo(
        title="Sam Reid at the lathe", caption="Sam Reid turns brass.", people=[child],
        status="approved",
    )  # fmt: skip
    exhibition = make_exhibition([photo], use=ExhibitionUse.PHYSICAL)
    login_as("curator")
    files = _files(_pack(client, exhibition))
    (label,) = _pages(files["labels.pdf"])
    assert label.startswith("A young participant at the lathe")
    for name, data in files.items():
        if name.endswith(".jpg"):
            # Only the metadata, before the compressed picture: its bytes may spell anything.
            data = data[: data.index(b"\xff\xda")]
        text = " ".join(_pages(data)) if name.endswith(".pdf") else data.decode("latin-1")
        assert "Sam" not in text and "Reid" not in text, name

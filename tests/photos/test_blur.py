"""A curator blurs a bystander: each picture of the photo is blurred there; the original kept."""

import hashlib
import io
import re
import zipfile

import pytest
from PIL import Image, ImageChops, ImageStat

from archive.core.audit import AuditEvent
from archive.extensions import db
from archive.licences.services import licence_by_code
from archive.photos.blur import blur_region, remove_blur
from archive.photos.blurring import PADDING
from archive.photos.derivatives import DerivativeKind
from archive.photos.ingest import PhotoDetails, ingest_file
from archive.photos.models import BlurRegion, PhotoStatus
from archive.photos.regions import Box
from tests.fixtures.photos import stored_files

FACE = Box(0.30, 0.25, 0.20, 0.30)  # where the "bystander" is, on the upright picture
ELSEWHERE = Box(0.70, 0.60, 0.20, 0.30)  # far from it: must not change


def checkerboard(path, size=(3000, 2000), square=40):
    """Write a sharp black and white checkerboard: the worst case for a blur to hide."""
    tile = Image.new("L", (2 * square, 2 * square))
    tile.paste(255, (square, 0, 2 * square, square))
    tile.paste(255, (0, square, square, 2 * square))
    picture = Image.new("L", size)
    for x in range(0, size[0], 2 * square):
        for y in range(0, size[1], 2 * square):
            picture.paste(tile, (x, y))
    picture.convert("RGB").save(path, "JPEG", quality=95)
    return path


def ingest(path, people=()):
    photo = ingest_file(
        path,
        PhotoDetails(
            title="At the lathe",
            alt_text="A technician at a lathe",
            photographer="Jo Whitfield",
            licence_id=licence_by_code("CC-BY-4.0").id,
            people=list(people),
            no_identifiable_people=not people,
        ),
        original_filename="IMG_1.JPG",
        uploaded_by=None,
    ).photo
    photo.status = PhotoStatus.APPROVED
    db.session.commit()
    return photo


@pytest.fixture
def sharp_photo(app, tmp_path):
    return ingest(checkerboard(tmp_path / "board.jpg"))


def stored(row) -> bytes:
    with row.open() as file:
        return file.read()


def picture_of(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("L")


def inner(box: Box, size) -> tuple[int, int, int, int]:
    """Return the box's pixels less a margin, where nothing of the sharp edge may be left."""
    left, top, right, bottom = box.in_pixels(size)
    margin_x, margin_y = (right - left) // 10, (bottom - top) // 10
    return left + margin_x, top + margin_y, right - margin_x, bottom - margin_y


def contrast(picture: Image.Image, box: Box) -> float:
    """Return the spread of grey levels in the box: about 127 on the board, near 0 once blurred."""
    return ImageStat.Stat(picture.crop(inner(box, picture.size))).stddev[0]


def difference(before: Image.Image, after: Image.Image, box: Box) -> float:
    """Return the mean change of grey level in the box between two pictures of one size."""
    area = box.in_pixels(before.size)
    return ImageStat.Stat(ImageChops.difference(before.crop(area), after.crop(area))).mean[0]


def changed_area(before: Image.Image, after: Image.Image) -> Box:
    """Return the box around every pixel that changed by more than JPEG noise."""
    mask = ImageChops.difference(before, after).point(lambda level: 255 if level > 40 else 0)
    return Box.from_pixels(*_as_size(mask.getbbox()), before.size)


def _as_size(bbox):
    left, top, right, bottom = bbox
    return left, top, right - left, bottom - top


def derivative_pictures(photo) -> dict[DerivativeKind, Image.Image]:
    return {d.kind: picture_of(stored(d)) for d in photo.derivatives}


def events(action: str) -> list[AuditEvent]:
    return db.session.query(AuditEvent).filter_by(action=action).all()


def test_a_blur_reaches_every_size_there_only_with_new_files_and_the_original_kept(
    app, sharp_photo, make_user
):
    photo = sharp_photo
    original, original_sha = stored(photo), photo.sha256
    before = derivative_pictures(photo)
    old_keys = {d.storage_key for d in photo.derivatives}
    for picture in before.values():
        assert contrast(picture, FACE) > 100  # the board is sharp at every size

    blur_region(photo, FACE, by=make_user("curator"))

    after = derivative_pictures(photo)
    assert set(after) == set(DerivativeKind)
    for kind, picture in after.items():
        assert contrast(picture, FACE) < 10, kind  # nothing of the pattern is left there
        assert difference(before[kind], picture, ELSEWHERE) < 2, kind  # elsewhere as it was
    new_keys = {d.storage_key for d in photo.derivatives}
    assert new_keys.isdisjoint(old_keys)  # new hashes, so new URLs
    for derivative in photo.derivatives:
        assert hashlib.sha256(stored(derivative)).hexdigest() == derivative.sha256
    keys = stored_files(app)
    assert new_keys <= set(keys) and not old_keys & set(keys)  # the sharp files are gone
    assert stored(photo) == original and hashlib.sha256(original).hexdigest() == original_sha
    assert [e.target_id for e in events("photo.blurred")] == [photo.id]


def test_removing_the_blur_shows_the_region_sharp_again(app, sharp_photo, make_user):
    photo = sharp_photo
    curator = make_user("curator")
    region = blur_region(photo, FACE, by=curator)
    blur_region(photo, ELSEWHERE, by=curator)

    remove_blur(photo, region.id, by=curator)

    pictures = derivative_pictures(photo)
    for kind, picture in pictures.items():
        assert contrast(picture, FACE) > 100, kind
        assert contrast(picture, ELSEWHERE) < 10, kind  # the other region stays blurred
    assert [r.box for r in photo.blur_regions] == [ELSEWHERE]
    assert len(events("photo.unblurred")) == 1
    with pytest.raises(LookupError):
        remove_blur(photo, region.id, by=curator)


def test_the_full_size_download_is_blurred_there_too(app, client, login_as, sharp_photo, make_user):
    blur_region(sharp_photo, FACE, by=make_user("curator"))
    login_as("comms")

    response = client.post(
        f"/photos/{sharp_photo.id}/download",
        data={"size": "full", "purpose": "Staff newsletter", "accept": "y"},
    )

    assert response.status_code == 200
    full = picture_of(response.get_data())
    assert full.size == (3000, 2000)
    assert contrast(full, FACE) < 10
    assert contrast(full, ELSEWHERE) > 100


def test_visitors_are_sent_the_blurred_pictures_once_blurred(
    app, client, sharp_photo, make_exhibition, make_user
):
    exhibition = make_exhibition([sharp_photo])
    gallery = f"/exhibitions/{exhibition.slug}"

    def images_named() -> list[str]:
        """Return the image URLs of the gallery, its manifest, the photo page and search."""
        pages = client.get(gallery).get_data(as_text=True)
        pages += client.get(f"/photos/{sharp_photo.id}").get_data(as_text=True)
        pages += client.get("/search?q=lathe").get_data(as_text=True)
        urls = re.findall(r'(?:src|href)="(/[^"]+\.jpg)', pages)
        absolute = _manifest_images(client.get(f"{gallery}/manifest.json").get_json())
        found = client.get("/api/search?q=lathe").get_json()["results"]
        absolute += [result["thumb_url"] for result in found]
        urls += ["/" + url.split("://", 1)[1].split("/", 1)[1] for url in absolute]
        assert len(urls) >= 6  # gallery, photo page, search page, manifest, search API
        return sorted(set(urls))

    sharp = images_named()
    for url in sharp:
        assert _status(client, url) == 200  # visitors' copies are kept meanwhile
    blur_region(sharp_photo, FACE, by=make_user("curator"))

    blurred = images_named()
    assert blurred and set(blurred).isdisjoint(sharp)
    for url in sharp:
        assert _status(client, url) == 404, url  # no cache sends the sharp one
    for url in blurred:
        response = client.get(url)
        assert response.status_code == 200, url
        assert contrast(picture_of(response.get_data()), FACE) < 10, url
        response.close()


def _status(client, url) -> int:
    response = client.get(url)
    response.close()
    return response.status_code


def _manifest_images(manifest) -> list[str]:
    found = []
    for canvas in manifest["items"]:
        found += [image["id"] for image in canvas.get("thumbnail", [])]
        for page in canvas["items"]:
            found += [annotation["body"]["id"] for annotation in page["items"]]
    return found


def test_the_kiosk_export_holds_the_blurred_pictures(
    app, client, login_as, sharp_photo, make_exhibition, make_user
):
    exhibition = make_exhibition([sharp_photo])
    blur_region(sharp_photo, FACE, by=make_user("curator"))
    login_as("curator")

    response = client.get(f"/curate/{exhibition.id}/export.zip")

    with zipfile.ZipFile(io.BytesIO(response.get_data())) as export:
        images = [name for name in export.namelist() if name.endswith(".jpg")]
        assert images
        for name in images:
            assert contrast(picture_of(export.read(name)), FACE) < 10, name


@pytest.mark.parametrize("name", ["landscape_6.jpg", "portrait_6.jpg", "landscape_8.jpg"])
def test_on_a_turned_camera_file_the_blur_lands_where_the_upright_picture_has_it(
    app, client, login_as, samples, make_user, name
):
    photo = ingest(samples / "orientation" / name)
    sharp_display = picture_of(stored(photo.derivative(DerivativeKind.DISPLAY)))
    login_as("comms")

    def full_download() -> Image.Image:
        response = client.post(
            f"/photos/{photo.id}/download",
            data={"size": "full", "purpose": "Staff newsletter", "accept": "y"},
        )
        return picture_of(response.get_data())

    sharp_full = full_download()
    box = Box(0.1, 0.2, 0.4, 0.3)
    blur_region(photo, box, by=make_user("curator"))
    padded = Box(
        box.left - box.width * PADDING,
        box.top - box.height * PADDING,
        box.width * (1 + 2 * PADDING),
        box.height * (1 + 2 * PADDING),
    )

    blurred_display = picture_of(stored(photo.derivative(DerivativeKind.DISPLAY)))
    for sharp, blurred in ((sharp_display, blurred_display), (sharp_full, full_download())):
        assert blurred.size == sharp.size == (photo.width, photo.height)  # upright
        changed = changed_area(sharp, blurred)
        for side in ("left", "top", "width", "height"):  # within a JPEG block of the box
            assert getattr(changed, side) == pytest.approx(getattr(padded, side), abs=0.03)


def test_the_curator_blurs_from_the_review_page_and_removes_it_once_confirmed(
    app, client, login_as, sharp_photo
):
    login_as("curator")
    page = client.get(f"/photos/{sharp_photo.id}").get_data(as_text=True)
    assert "Blur this region" in page and "blur-regions.js" in page

    response = client.post(
        f"/photos/{sharp_photo.id}/blur",
        data={"blur-left": "30", "blur-top": "25", "blur-width": "20", "blur-height": "30",
              "back": "review"},
    )  # fmt: skip
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/review/{sharp_photo.id}#blur")
    page = client.get(f"/review/{sharp_photo.id}").get_data(as_text=True)
    assert "Region 1: from 30.0 % across and 25.0 % down, 20.0 % wide and 30.0 % high" in page
    (region,) = sharp_photo.blur_regions
    assert region.box == pytest.approx(FACE) or region.box == FACE

    url = f"/photos/{sharp_photo.id}/blur/{region.id}/remove"
    asked = client.post(url, data={"back": "review"}).get_data(as_text=True)
    assert "Remove the blur from “At the lathe”?" in asked
    assert "whoever is there becomes recognisable" in asked
    assert db.session.get(BlurRegion, region.id) is not None

    done = client.post(url, data={"back": "review", "confirm": "yes"})
    assert done.status_code == 302
    assert db.session.get(BlurRegion, region.id) is None


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"blur-left": "90", "blur-width": "20"}, "reaches past the picture's right edge"),
        ({"blur-top": "80", "blur-height": "30"}, "reaches past the picture's bottom edge"),
        ({"blur-width": "0"}, "The width must be more than 0 %."),
        ({"blur-left": "a lot"}, "The distance from the left edge must be a number"),
        ({"blur-height": "nan"}, "The height must be between 0 and 100 %."),
        ({"blur-top": "-5"}, "The distance from the top edge must be between 0 and 100 %."),
        ({"blur-left": ""}, "Give the distance from the left edge of the region"),
    ],
)
def test_a_region_not_on_the_picture_is_refused_with_a_sentence_and_nothing_changes(
    app, client, login_as, sharp_photo, fields, said
):
    login_as("curator")
    files = {d.storage_key for d in sharp_photo.derivatives}
    data = {"blur-left": "10", "blur-top": "10", "blur-width": "10", "blur-height": "10"}

    response = client.post(f"/photos/{sharp_photo.id}/blur", data={**data, **fields})

    assert response.status_code == 422
    page = response.get_data(as_text=True).replace("&#39;", "'")
    assert said in page and "There is a problem" in page
    db.session.refresh(sharp_photo)
    assert sharp_photo.blur_regions == []
    assert {d.storage_key for d in sharp_photo.derivatives} == files

"""The social-media kit: four crops around the photo's subject, credited, one zip, one download."""

import io
import zipfile

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageStat

from archive.core.audit import AuditEvent
from archive.downloads.models import DownloadEvent
from archive.downloads.social_kit import kit_crops
from archive.extensions import db
from archive.licences.services import licence_by_code
from archive.photos.blur import blur_region
from archive.photos.focal import set_focal_point
from archive.photos.ingest import PhotoDetails, ingest_file
from archive.photos.models import PhotoStatus
from archive.photos.regions import Box
from tests.downloads.exiftool import read_tags
from tests.photos.face_set import WITH_FACES
from tests.photos.test_blur import checkerboard

CROPS = ["square-1x1.jpg", "portrait-4x5.jpg", "landscape-16x9.jpg", "story-9x16.jpg"]
RATIOS = {"square-1x1.jpg": (1, 1), "portrait-4x5.jpg": (4, 5)}
RATIOS.update({"landscape-16x9.jpg": (16, 9), "story-9x16.jpg": (9, 16)})
CREDIT = "Photo: Jo Whitfield / University Technical Services, CC BY 4.0"
ALT_TEXT = "A technician adjusts a red warning lamp on a test rig"
RED = (230, 20, 20)


def ingest(path, person, title="Testing the rig"):
    photo = ingest_file(
        path,
        PhotoDetails(
            title=title,
            alt_text=ALT_TEXT,
            photographer="Jo Whitfield",
            licence_id=licence_by_code("CC-BY-4.0").id,
            people=[person],
        ),
        original_filename="IMG_2.JPG",
        uploaded_by=None,
    ).photo
    photo.status = PhotoStatus.APPROVED
    db.session.commit()
    return photo


def patterned(size) -> Image.Image:
    """Return grey and blue squares over a gradient: nothing red, and every place different."""
    width, height = size
    picture = Image.linear_gradient("L").resize(size).convert("RGB")
    draw = ImageDraw.Draw(picture)
    for x in range(0, width, 100):
        for y in range(0, height, 100):
            if (x + y) // 100 % 2:
                draw.rectangle((x, y, x + 49, y + 49), fill=(40, 60, 200))
    return picture


def dot(picture: Image.Image, centre, radius=25) -> Image.Image:
    x, y = centre
    ImageDraw.Draw(picture).ellipse((x - radius, y - radius, x + radius, y + radius), fill=RED)
    return picture


def red_centre(picture: Image.Image, below: int = 0) -> tuple[float, float]:
    """Return the middle of the red pixels (the dot) below the row, in the picture's pixels."""
    red, green, blue = picture.convert("RGB").crop((0, below, *picture.size)).split()
    mask = ImageChops.multiply(
        red.point(lambda level: 255 if level > 170 else 0),
        ImageChops.lighter(green, blue).point(lambda level: 255 if level < 90 else 0),
    )
    left, top, right, bottom = mask.getbbox()
    return (left + right - 1) / 2, below + (top + bottom - 1) / 2


def post_kit(client, photo, purpose="Open day post on the institution's social accounts"):
    return client.post(f"/photos/{photo.id}/social-kit", data={"purpose": purpose, "accept": "y"})


def kit_files(response) -> dict[str, bytes]:
    assert response.status_code == 200 and response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as kit:
        return {name: kit.read(name) for name in kit.namelist()}


def opened(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def assert_ratio(name: str, picture: Image.Image) -> None:
    across, down = RATIOS[name]
    width, height = picture.size
    assert abs(width - height * across / down) <= 1, (name, picture.size)


@pytest.fixture
def dotted_photo(app, tmp_path, make_user, make_person):
    """A 3000 × 2000 photo with a red dot at (0.7, 0.3), its focal point set there."""
    path = tmp_path / "dot.jpg"
    dot(patterned((3000, 2000)), (2100, 600)).save(path, "JPEG", quality=95)
    photo = ingest(path, make_person("Dev Patel", scopes=["press"]))
    set_focal_point(photo, (0.7, 0.3), by=make_user("curator"))
    return photo


# Where the dot's middle (2100, 600) is in each file: the largest crop of the ratio, centred
# on it unless that would reach past an edge, then scaled down to 2160 px at most.
EXPECTED_DOT = {
    # 2000 × 2000 from x = 1000 (centred would be x = 1100: past the right edge).
    "square-1x1.jpg": ((2000, 2000), (1100, 600)),
    # 1600 × 2000 from x = 1300: centred across; the full height, so y stays.
    "portrait-4x5.jpg": ((1600, 2000), (800, 600)),
    # 3000 × 1688 from y = 0 (centred would start above the top), scaled by 0.72.
    "landscape-16x9.jpg": ((2160, 1215), (1512, 432)),
    # 1125 × 2000 from x = 1538: centred across.
    "story-9x16.jpg": ((1125, 2000), (562, 600)),
}


def test_four_crops_of_the_right_shapes_centre_on_the_focal_point(client, login_as, dotted_photo):
    login_as("comms")
    files = kit_files(post_kit(client, dotted_photo))
    assert sorted(files) == sorted([*CROPS, "alt-text-and-credit.txt"])
    for name, (size, (x, y)) in EXPECTED_DOT.items():
        picture = opened(files[name])
        assert_ratio(name, picture)
        assert picture.size == size, name
        found_x, found_y = red_centre(picture)
        assert abs(found_x - x) <= 2 and abs(found_y - y) <= 2, (name, (found_x, found_y))


def test_each_crop_carries_the_credit_and_rights_and_the_text_is_ready_to_copy(
    client, login_as, dotted_photo, tmp_path
):
    login_as("comms")
    page = client.get(f"/photos/{dotted_photo.id}/social-kit").get_data(as_text=True)
    assert CREDIT in page and ALT_TEXT in page
    files = kit_files(post_kit(client, dotted_photo))
    for name in CROPS:
        tags = read_tags(files[name], tmp_path)
        assert tags["XMP-photoshop:Credit"] == CREDIT, name
        assert tags["XMP-dc:Rights"] == f"Creative Commons Attribution 4.0. {CREDIT}", name
        assert tags["IFD0:Copyright"] == tags["XMP-dc:Rights"], name
        assert "share and adapt" in tags["XMP-xmpRights:UsageTerms"], name
        assert tags["XMP-iptcCore:AltTextAccessibility"] == ALT_TEXT, name
        assert tags["XMP-iptcExt:PersonInImage"] == ["Dev Patel"], name
        assert not [tag for tag in tags if tag.startswith(("GPS", "ExifIFD"))], name
    text = files["alt-text-and-credit.txt"].decode()
    assert ALT_TEXT in text and CREDIT in text and "Creative Commons Attribution 4.0" in text


def test_the_kit_is_one_download_with_its_purpose(client, login_as, dotted_photo):
    user = login_as("comms")
    response = post_kit(client, dotted_photo, "Instagram post for Technician Commitment week")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="Testing the rig-social-kit.zip"'
    )
    [event] = DownloadEvent.query.all()
    assert (event.user_id, event.photo_id, event.size, event.purpose) == (
        user.id,
        dotted_photo.id,
        "social-kit",
        "Instagram post for Technician Commitment week",
    )
    [audited] = AuditEvent.query.filter_by(action="photo.downloaded").all()
    assert audited.target_id == dotted_photo.id and "social-kit" in audited.detail
    history = client.get("/downloads").get_data(as_text=True)
    assert "Instagram post for Technician Commitment week" in history


def test_without_a_focal_point_the_crops_centre_on_the_face_found(
    client, login_as, make_person, tmp_path
):
    # Grace Hopper's portrait at twice its size on a 3300 × 1500 gradient, her face at
    # about (2212, 570); a red dot straight below it, off the portrait (which has red in it
    # too), shows where each crop was cut.
    hopper = WITH_FACES[0]
    portrait = hopper.upright()
    portrait = portrait.resize((portrait.width * 2, portrait.height * 2))
    canvas = Image.linear_gradient("L").resize((3300, 1500)).convert("RGB")
    corner = (1700, 150)
    canvas.paste(portrait, corner)
    face_x = corner[0] + hopper.face_at[0] * portrait.width
    face_y = corner[1] + hopper.face_at[1] * portrait.height
    below = corner[1] + portrait.height  # the rows under the portrait, where the dot is
    dot(canvas, (face_x, below + 60), radius=20)
    path = tmp_path / "hopper.jpg"
    canvas.save(path, "JPEG", quality=95)
    photo = ingest(path, make_person("Grace Hopper", scopes=["press"]), title="At the console")
    [face] = photo.faces
    assert photo.focal_x is None and face.box.contains((face_x / 3300, face_y / 1500))
    face_left, face_right = face.box.left * 3300, (face.box.left + face.box.width) * 3300
    assert not face_left < 1650 < face_right  # centring on the picture would miss her

    login_as("comms")
    files = kit_files(post_kit(client, photo))

    for name in ["square-1x1.jpg", "portrait-4x5.jpg", "story-9x16.jpg"]:
        picture = opened(files[name])
        assert_ratio(name, picture)
        # The dot, straight below the face, says where the crop starts on the picture; the
        # crop's middle is then inside the face found.
        middle = face_x - red_centre(picture, below)[0] + picture.width / 2
        assert face_left < middle < face_right, (name, middle, face_left, face_right)
    # 16:9 is 2667 px wide on a 3300 px picture: centred on the face it would reach past the
    # right edge, so it starts at x = 633, and is scaled to 2160 px.
    landscape = opened(files["landscape-16x9.jpg"])
    assert landscape.size == (2160, 1215)
    expected = (face_x - 633) * 2160 / 2667
    assert abs(red_centre(landscape, round(below * 2160 / 2667))[0] - expected) <= 2


def test_a_blurred_region_stays_blurred_in_every_crop(
    client, login_as, make_user, make_person, tmp_path
):
    photo = ingest(checkerboard(tmp_path / "board.jpg"), make_person("Sam Ito", scopes=["press"]))
    region = Box(0.30, 0.25, 0.20, 0.30)  # a bystander, on the upright picture
    blur_region(photo, region, by=make_user("curator"))
    login_as("comms")
    files = kit_files(post_kit(client, photo))
    left, top, right, bottom = region.in_pixels((3000, 2000))
    for crop in kit_crops(photo):
        picture = opened(files[crop.file_name]).convert("L")
        scale = crop.size[0] / (crop.box[2] - crop.box[0])
        # The region where it lands in the crop, less a margin where the blur meets the board.
        inside = (
            (max(left, crop.box[0]) - crop.box[0]) * scale + 20,
            (max(top, crop.box[1]) - crop.box[1]) * scale + 20,
            (min(right, crop.box[2]) - crop.box[0]) * scale - 20,
            (min(bottom, crop.box[3]) - crop.box[1]) * scale - 20,
        )
        blurred = picture.crop(tuple(round(edge) for edge in inside))
        assert ImageStat.Stat(blurred).stddev[0] < 10, crop.file_name
        assert ImageStat.Stat(picture).stddev[0] > 60, crop.file_name  # the rest stays sharp


def test_no_kit_without_a_purpose_and_the_licence_accepted(client, login_as, dotted_photo):
    login_as("comms")
    no_purpose = client.post(f"/photos/{dotted_photo.id}/social-kit", data={"accept": "y"})
    assert no_purpose.status_code == 422
    assert "Say what the photo will be used for" in no_purpose.get_data(as_text=True)
    not_accepted = client.post(
        f"/photos/{dotted_photo.id}/social-kit", data={"purpose": "A post", "accept": ""}
    )
    assert not_accepted.status_code == 422
    assert "Tick to accept the licence terms" in not_accepted.get_data(as_text=True)
    assert DownloadEvent.query.count() == 0


def test_no_kit_of_a_photo_not_cleared_for_press_nor_for_a_role_that_does_not_download(
    client, login_as, make_user, make_person, make_photo, dotted_photo
):
    make_user("curator")
    internal = make_photo(people=[make_person("Hannah Clarke", scopes=["internal"])])
    internal.status = PhotoStatus.APPROVED
    db.session.commit()
    login_as("contributor")
    assert client.get(f"/photos/{dotted_photo.id}/social-kit").status_code == 403
    assert post_kit(client, dotted_photo).status_code == 403
    login_as("comms")
    assert client.get(f"/photos/{internal.id}/social-kit").status_code == 404
    assert post_kit(client, internal).status_code == 404
    assert DownloadEvent.query.count() == 0


def test_the_photo_page_offers_the_kit_beside_the_download(client, login_as, dotted_photo):
    login_as("comms")
    page = client.get(f"/photos/{dotted_photo.id}").get_data(as_text=True)
    assert f'href="/photos/{dotted_photo.id}/download"' in page
    assert f'href="/photos/{dotted_photo.id}/social-kit">Social-media kit</a>' in page

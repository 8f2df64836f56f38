"""Photo-like pictures made with Pillow, for the demo collection, tests and benchmarks.

They have what matters to the pipeline: JPEG texture that compresses like a photograph,
EXIF orientation, dates, camera names and GPS where asked. Consent forms come as the
scanned page a project would file.
"""

import random
from datetime import datetime
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from archive.people.models import Person

# The stored pixels are the upright scene turned the other way, so that a viewer applying
# the EXIF orientation sees it upright, exactly as a phone held sideways writes it.
_STORED_FOR_ORIENTATION = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def make_scene(width: int, height: int, seed: int) -> Image.Image:
    """Return an upright workshop-like scene: wall, bench, equipment, lamps and sensor noise.

    The top-left corner is always red and the bottom-right always blue, so tests can
    tell by pixels which way up a derivative is.
    """
    rng = random.Random(seed)
    wall = tuple(rng.randint(120, 220) for _ in range(3))
    floor = tuple(rng.randint(40, 120) for _ in range(3))
    image = Image.new("RGB", (width, height), wall)
    draw = ImageDraw.Draw(image)
    horizon = int(height * rng.uniform(0.55, 0.7))
    draw.rectangle((0, horizon, width, height), fill=floor)
    for _ in range(rng.randint(4, 9)):
        left = rng.randint(0, width - width // 6)
        top = rng.randint(height // 8, horizon)
        right = left + rng.randint(width // 12, width // 4)
        bottom = top + rng.randint(height // 10, height // 3)
        colour = tuple(rng.randint(20, 235) for _ in range(3))
        draw.rectangle((left, top, right, bottom), fill=colour, outline=(30, 30, 30))
    for _ in range(rng.randint(1, 4)):
        x, y, r = (
            rng.randint(0, width),
            rng.randint(0, horizon // 2),
            rng.randint(8, width // 20),
        )
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(255, 244, 200))
    marker = max(8, min(width, height) // 12)
    draw.rectangle((0, 0, marker, marker), fill=(230, 20, 20))
    draw.rectangle((width - marker, height - marker, width, height), fill=(20, 40, 230))
    image = image.filter(ImageFilter.GaussianBlur(radius=max(1, width // 1500)))
    noise = Image.effect_noise((width, height), rng.randint(18, 30)).convert("RGB")
    return Image.blend(image, noise, 0.12)


def save_photo(
    image: Image.Image,
    path: Path,
    *,
    orientation: int = 1,
    taken_at: datetime | None = None,
    camera: tuple[str, str] | None = None,
    gps: tuple[float, float] | None = None,
    quality: int = 90,
) -> Path:
    """Save an upright scene as a camera would: pixels as stored, EXIF saying how to turn them."""
    transpose = _STORED_FOR_ORIENTATION[orientation]
    stored = image.transpose(transpose) if transpose is not None else image
    exif = Image.Exif()
    exif[0x0112] = orientation
    if camera:
        exif[0x010F], exif[0x0110] = camera
    if taken_at:
        exif.get_ifd(0x8769)[0x9003] = taken_at.strftime("%Y:%m:%d %H:%M:%S")
    if gps:
        gps_ifd = exif.get_ifd(0x8825)
        latitude, longitude = gps
        gps_ifd[1], gps_ifd[2] = ("N" if latitude >= 0 else "S"), _dms(latitude)
        gps_ifd[3], gps_ifd[4] = ("E" if longitude >= 0 else "W"), _dms(longitude)
    stored.save(path, "JPEG", quality=quality, exif=exif)
    return path


def consent_form_pdf(person: Person, path: Path) -> Path:
    """Write a signed consent form for the person as a one-page PDF at path; return path."""
    page = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=36)
    small = ImageFont.load_default(size=26)
    draw.text(
        (100, 120),
        "Technician photography project: consent form",
        fill="black",
        font=font,
    )
    lines = [
        f"Name: {person.name}",
        f"Role: {person.job_role.label}, {person.department.label}",
        "I agree to photographs of me being used for the uses ticked below.",
        "[x] Internal use   [x] Exhibitions   [x] Web   [x] Press and social media",
        f"Signed: {person.name}",
    ]
    for number, line in enumerate(lines):
        draw.text((100, 260 + 70 * number), line, fill="black", font=small)
    page.save(path, "PDF", resolution=150)
    return path


def _dms(value: float) -> tuple[float, float, float]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round((value - degrees - minutes / 60) * 3600, 2)
    return float(degrees), float(minutes), seconds

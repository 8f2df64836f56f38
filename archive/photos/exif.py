"""The camera's facts about a picture, read from its EXIF with Pillow, for every format.

Read from the image already open for decoding, so each file is read once; JPEG, TIFF,
HEIC, WebP and PNG lay out EXIF differently and Pillow reads each of them. Serial
numbers are never read.
"""

import math
from dataclasses import dataclass
from datetime import datetime

from PIL import ExifTags, Image


@dataclass(frozen=True)
class ExifFacts:
    """What the camera recorded that the archive keeps (never serial numbers)."""

    taken_at: datetime | None = None
    camera_make: str = ""
    camera_model: str = ""
    lens: str = ""
    orientation: int = 1
    gps_latitude: float | None = None
    gps_longitude: float | None = None


def exif_facts(image: Image.Image) -> ExifFacts:
    """Return the EXIF facts of an open image, any format; damaged EXIF gives empty facts.

    A PNG's EXIF may follow its pixels: call after decoding. The orientation is the one
    the EXIF still declares; make_derivatives() reports the one it applied.
    """
    try:
        exif = image.getexif()
        details = exif.get_ifd(ExifTags.IFD.Exif)
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        return ExifFacts(
            taken_at=_exif_datetime(
                _text(details.get(ExifTags.Base.DateTimeOriginal))
                or _text(exif.get(ExifTags.Base.DateTime))
            ),
            camera_make=_text(exif.get(ExifTags.Base.Make)),
            camera_model=_text(exif.get(ExifTags.Base.Model)),
            lens=_text(details.get(ExifTags.Base.LensModel)),
            orientation=valid_orientation(exif.get(ExifTags.Base.Orientation)),
            gps_latitude=_gps_degrees(
                gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef)
            ),
            gps_longitude=_gps_degrees(
                gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef)
            ),
        )
    except Exception:  # noqa: BLE001 - EXIF is optional: bad EXIF must not reject a good picture
        return ExifFacts()


def _text(value) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return value.strip(" \x00")[:100] if isinstance(value, str) else ""


def _exif_datetime(value: str) -> datetime | None:
    try:
        return datetime.strptime(value[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None


def valid_orientation(value) -> int:
    """Return an EXIF orientation tag's value if it is one of 1–8, else 1 (as it is)."""
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _gps_degrees(value, ref) -> float | None:
    try:
        degrees, minutes, seconds = (float(part) for part in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    result = degrees + minutes / 60 + seconds / 3600
    if not math.isfinite(result):
        return None
    return -result if _text(ref).upper() in ("S", "W") else result

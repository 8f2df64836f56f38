"""The social-media kit: a photo cut at the ratios social media and the press ask for, in one zip.

Each crop is the largest of its ratio that fits the picture, centred on the photo's focal
point as far as the edges allow, cut from the same full-size picture as the full-size
download (the blur applied) and carrying the same credit and rights inside the file. The
zip also holds a text file with the alt text and credit line, ready to copy; handing it out
is recorded as one download.
"""

import io
import zipfile
from dataclasses import dataclass
from datetime import date

from PIL import Image

from archive.auth.models import User
from archive.core.database import write_transaction
from archive.downloads.embedding import credited_jpeg
from archive.downloads.services import (
    credits_for,
    download_name,
    record_download,
    refuse_unless_allowed,
)
from archive.photos.blur import full_size_picture
from archive.photos.credits import Credits
from archive.photos.focal import Point, focal_point
from archive.photos.models import Photo

# What the kit is recorded as, in DownloadEvent.size and the audit trail.
KIT = "social-kit"
# Big enough for any feed or a 4K screen; the picture is never enlarged to reach it.
LONG_EDGE = 2160
TEXT_FILE = "alt-text-and-credit.txt"


@dataclass(frozen=True)
class Ratio:
    """A shape a crop is cut to, and where it is used."""

    name: str
    across: int
    down: int
    use: str

    @property
    def label(self) -> str:
        """Return the ratio as people write it: "4:5"."""
        return f"{self.across}:{self.down}"


RATIOS = (
    Ratio("square", 1, 1, "feed posts"),
    Ratio("portrait", 4, 5, "tall feed posts"),
    Ratio("landscape", 16, 9, "link previews, banners and video"),
    Ratio("story", 9, 16, "stories and reels"),
)


@dataclass(frozen=True)
class Crop:
    """One crop of the kit: its ratio, the pixels it cuts from the picture and its final size."""

    ratio: Ratio
    box: tuple[int, int, int, int]  # left, top, right, bottom on the full-size upright picture
    size: tuple[int, int]  # width and height of the file, at most LONG_EDGE

    @property
    def pixels(self) -> str:
        """Return the file's size in words: "2160 × 1215 px"."""
        return f"{self.size[0]} × {self.size[1]} px"

    @property
    def file_name(self) -> str:
        """Return the crop's name in the zip: "square-1x1.jpg"."""
        return f"{self.ratio.name}-{self.ratio.across}x{self.ratio.down}.jpg"


def crop_for(ratio: Ratio, size: tuple[int, int], focus: Point) -> Crop:
    """Return the largest crop of the ratio on a picture of size, centred on focus (clamped)."""
    width, height = size
    if width * ratio.down > height * ratio.across:  # wider than the ratio: keep the height
        across, down = round(height * ratio.across / ratio.down), height
    else:
        across, down = width, round(width * ratio.down / ratio.across)
    left = _clamped(focus[0] * width - across / 2, width - across)
    top = _clamped(focus[1] * height - down / 2, height - down)
    scale = min(1.0, LONG_EDGE / max(across, down))
    final = (max(1, round(across * scale)), max(1, round(down * scale)))
    return Crop(ratio, (left, top, left + across, top + down), final)


def _clamped(start: float, furthest: int) -> int:
    """Return the start moved back onto the picture: a crop never reaches past an edge."""
    return min(max(0, round(start)), furthest)


def kit_crops(photo: Photo) -> list[Crop]:
    """Return the kit's crops of the photo, one for each ratio."""
    size, focus = (photo.width, photo.height), focal_point(photo)
    return [crop_for(ratio, size, focus) for ratio in RATIOS]


def social_kit(
    photo: Photo,
    *,
    user: User,
    purpose: str,
    institution: str,
    public_url: str,
    today: date | None = None,
) -> tuple[bytes, str]:
    """Return the kit as a zip and its file name, and record it as one download."""
    refuse_unless_allowed(user, photo, purpose, today)
    credits = credits_for(photo, institution, public_url, today)
    picture = full_size_picture(photo)
    crops = kit_crops(photo)
    buffer = io.BytesIO()
    # The JPEGs are compressed already: stored, the zip is made at once and as small.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as kit:
        for crop in crops:
            cut = picture.resize(crop.size, Image.Resampling.LANCZOS, box=crop.box)
            kit.writestr(crop.file_name, credited_jpeg(cut, credits))
        kit.writestr(TEXT_FILE, kit_text(photo, credits, crops))
    with write_transaction():
        record_download(photo, KIT, user=user, purpose=purpose)
    return buffer.getvalue(), download_name(photo, f"{KIT}.zip")


def kit_text(photo: Photo, credits: Credits, crops: list[Crop]) -> str:
    """Return the words to post with the crops: the alt text, the credit line and the licence."""
    lines = [
        credits.title,  # the published title: a minor's name is never in it
        "",
        "Alt text (describe the image for people who cannot see it):",
        credits.alt_text or "(none written yet: describe what the photo shows)",
        "",
        "Credit line (use it wherever the photo appears):",
        credits.credit_line,
        "",
        f"Licence: {photo.licence.name}" if photo.licence else "Licence: none",
    ]
    if credits.licence_url:
        lines.append(credits.licence_url)
    lines += ["", "Crops:"]
    lines += [
        f"{crop.file_name}: {crop.ratio.label} for {crop.ratio.use}, {crop.pixels}"
        for crop in crops
    ]
    return "\n".join(lines) + "\n"

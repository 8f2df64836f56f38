"""Blurring a bystander: a region of a photo blurred in every derivative, the original kept.

Each change to a photo's regions makes its derivatives again from the original with every
region blurred, stamped with its credit, as new files under new hashes (derivative_swap):
every page, export and download that shows a derivative shows the blur from then on, and
the unblurred files are deleted. The original's bytes are never touched; the full-size
download and the print pack, made from it by full_size_picture, blur the same regions.
"""

import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from flask import current_app
from PIL import Image

from archive.auth.models import User
from archive.core.audit import record_event
from archive.core.database import WriteBusy
from archive.core.intake import RejectedUpload
from archive.core.spooling import upload_tmp_root
from archive.extensions import db
from archive.photos.analysis import Limits
from archive.photos.blurring import blurred
from archive.photos.derivative_swap import Superseded, replace_derivatives
from archive.photos.derivatives import make_derivatives
from archive.photos.imaging import decode_upright_srgb, open_image
from archive.photos.models import BlurRegion, Photo
from archive.photos.recrediting import credit_unchanged, current_credits
from archive.photos.regions import Box
from archive.storage import StorageError


class BlurRefused(Exception):
    """The blur could not be changed; the message says why, and nothing was changed."""


def full_size_picture(photo: Photo) -> Image.Image:
    """Return the original at its full size, upright, in sRGB, blurred where a curator asked.

    Derivatives are blurred when made; a picture made from the original, which never is,
    must be blurred here, so everything full size comes from this one place.
    """
    with photo.open() as stored, Image.open(stored) as image:
        picture = decode_upright_srgb(image, max(photo.width, photo.height))
    return blurred(picture, [region.box for region in photo.blur_regions])


def blur_region(photo: Photo, box: Box, by: User) -> BlurRegion:
    """Blur the box (of the upright picture) in every derivative of the photo, and record it."""
    region = BlurRegion(
        left=box.left, top=box.top, width=box.width, height=box.height, made_by_id=by.id
    )

    def add_region() -> None:
        photo.blur_regions.append(region)
        db.session.flush()
        record_event(by, "photo.blurred", "photo", photo.id, f"region {region.id}: {_where(box)}")

    _rebuild(photo, [r.box for r in photo.blur_regions] + [box], add_region)
    return region


def remove_blur(photo: Photo, region_id: int, by: User) -> None:
    """Show the region sharp again in every derivative; raise LookupError if not the photo's."""
    region = next((r for r in photo.blur_regions if r.id == region_id), None)
    if region is None:
        raise LookupError(f"photo {photo.id} has no blurred region {region_id}")

    def drop_region() -> None:
        photo.blur_regions.remove(region)
        record_event(
            by, "photo.unblurred", "photo", photo.id, f"region {region_id}: {_where(region.box)}"
        )

    _rebuild(photo, [r.box for r in photo.blur_regions if r.id != region_id], drop_region)


def _rebuild(photo: Photo, boxes: Sequence[Box], change: Callable[[], None]) -> None:
    """Make the photo's derivatives from its original with the boxes blurred, with the change."""
    if photo.erased:
        raise BlurRefused("the photo's files were erased, so there is no picture to blur")
    regions_before = [r.id for r in photo.blur_regions]
    credits = current_credits(photo)
    limits = Limits.from_config(current_app.config)
    with tempfile.TemporaryDirectory(dir=upload_tmp_root()) as workdir:
        original = Path(workdir) / "original"
        with photo.open() as stored, original.open("wb") as copy:
            shutil.copyfileobj(stored, copy)
        try:
            with open_image(original, limits.max_pixels) as image:
                made = make_derivatives(
                    image, Path(workdir), memory_limit=limits.max_decode_bytes, blur=boxes
                )
        except RejectedUpload as error:
            raise BlurRefused(f"the original can no longer be read: {error}") from None
        pictures = [(photo.derivative(file.kind), file.path.read_bytes()) for file in made.files]

    def unchanged() -> bool:
        regions_now = [r.id for r in photo.blur_regions]
        return regions_now == regions_before and credit_unchanged(photo, credits)

    try:
        replace_derivatives(
            photo,
            pictures,
            credits,
            still_current=unchanged,
            with_rows=change,
            purpose="after its photo's blurred regions changed",
        )
    except Superseded:
        raise BlurRefused(
            "someone changed this photo while it was being blurred; nothing was changed, try again"
        ) from None
    except StorageError:
        raise BlurRefused(
            "the file store did not take the blurred pictures; nothing was changed, try again"
        ) from None
    except WriteBusy:
        raise BlurRefused("the archive is busy; nothing was changed, try again soon") from None


def _where(box: Box) -> str:
    """Return the box in words, in percent of the picture, for the audit trail."""
    return (
        f"from {box.left:.0%} across and {box.top:.0%} down, "
        f"{box.width:.0%} wide and {box.height:.0%} high"
    )

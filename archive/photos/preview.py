"""A small upright JPEG of a file someone is about to upload, for the upload page; never stored."""

import io
from pathlib import Path

from archive.core.intake import RejectedUpload, check_size
from archive.photos.derivatives import DerivativeKind
from archive.photos.imaging import UNREADABLE, decode_upright_srgb, open_image, untrusted_image
from archive.photos.inspection import damage_message

# Browsers ask for a preview only of what they cannot decode themselves (HEIC from iPhones).
# It is decoded in the web process, outside the import workers' memory budget, so the
# limits are those of a phone's photo: a 48 MP camera's file fits, a scan of a poster does not.
PREVIEW_MAX_BYTES = 40 * 1024 * 1024
PREVIEW_MAX_PIXELS = 50_000_000
PREVIEW_LONG_EDGE = DerivativeKind.THUMB.long_edge


def preview_jpeg(path: Path) -> bytes:
    """Return a thumbnail-sized, upright sRGB JPEG of the image file at path."""
    check_size(path, PREVIEW_MAX_BYTES)
    with open_image(path, PREVIEW_MAX_PIXELS) as image:
        try:
            with untrusted_image():
                picture = decode_upright_srgb(image, PREVIEW_LONG_EDGE)
        except UNREADABLE as error:
            raise RejectedUpload(damage_message(error)) from None
    picture.thumbnail((PREVIEW_LONG_EDGE, PREVIEW_LONG_EDGE))
    if picture.mode != "RGB":
        picture = picture.convert("RGB")
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=75)
    return out.getvalue()

"""Write a photo as a JPEG for comms: sRGB profile, EXIF IFD0, and the credits in XMP and IIM."""

import io

from PIL import Image, ImageCms, TiffImagePlugin

from archive.photos.credits import Credits
from archive.photos.stamping import with_credits
from archive.photos.xmp import plain

EXIF_IMAGE_DESCRIPTION = 0x010E
EXIF_ARTIST = 0x013B
EXIF_COPYRIGHT = 0x8298
# IFD0 tags EXIF 2.32 requires of a JPEG, which ExifTool's -validate asks for (with
# XResolution and YResolution, which _exif writes as the file's dpi).
EXIF_REQUIRED = {
    0x0128: 2,  # ResolutionUnit: inches
    0x0213: 1,  # YCbCrPositioning: centred, as libjpeg subsamples
}
EXIF_X_RESOLUTION = 0x011A
EXIF_Y_RESOLUTION = 0x011B
# The pixels were converted to sRGB when decoded (decode_upright_srgb): say so in the file.
SRGB_PROFILE = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def credited_jpeg(
    image: Image.Image, credits: Credits, *, quality: int = 90, dpi: int = 72
) -> bytes:
    """Return an sRGB JPEG of the image whose XMP, IPTC and EXIF hold the credits, nothing else.

    dpi is only what the file says its print resolution is (the print pack says 300); the
    pixels are the image's.
    """
    picture = image.convert("RGB")  # always a new image, so clearing its info is safe
    # Pillow's JPEG writer falls back to image.info for some metadata (the comment, at
    # least), so the input's GPS, camera EXIF, ICC profile and comments must not reach it.
    picture.info = {}
    buffer = io.BytesIO()
    picture.save(
        buffer,
        "JPEG",
        quality=quality,
        exif=_exif(credits, dpi),
        icc_profile=SRGB_PROFILE,
        dpi=(dpi, dpi),
    )
    return with_credits(buffer.getvalue(), credits)


def _exif(credits: Credits, dpi: int) -> Image.Exif:
    """Return EXIF IFD0 holding the caption, artist and copyright, and the tags it requires."""
    exif = Image.Exif()
    exif.update(EXIF_REQUIRED)
    resolution = TiffImagePlugin.IFDRational(dpi, 1)
    exif.update({EXIF_X_RESOLUTION: resolution, EXIF_Y_RESOLUTION: resolution})
    # The Metadata Working Group maps ImageDescription to the caption (IPTC Description).
    for tag, text in [
        (EXIF_IMAGE_DESCRIPTION, credits.description),
        (EXIF_ARTIST, credits.creator),
        (EXIF_COPYRIGHT, credits.rights),
    ]:
        if clean := plain(text):
            # EXIF says ASCII, but Pillow would turn every non-ASCII letter into "?"; UTF-8 is
            # what the Metadata Working Group recommends and what ExifTool reads by default.
            exif[tag] = clean.encode()
    return exif

"""Turning any decoded picture into 8-bit sRGB RGB, and what that costs in memory.

Pillow's own convert("RGB") clips deep pixels (a 16-bit scan becomes white, a float
one black) and drops transparency onto black; these functions scale and flatten instead.
"""

import io
from functools import cache

from PIL import Image, ImageCms

# Bytes Pillow keeps per pixel for each mode (RGB is stored as four bytes, like RGBA).
_BYTES_PER_PIXEL = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16L": 2, "I;16B": 2, "I;16N": 2}
_DEEP_GREY = ("I;16", "I;16L", "I;16B", "I;16N", "I", "F")
_WITH_ALPHA = ("RGBA", "LA")
_NEEDS_ALPHA = ("PA",)
# Modes that become RGB in one conversion, when they carry no transparency colour.
_ONE_STEP = ("RGBA", "LA", "CMYK", "LAB", "1")
# What a decoder holds besides the picture while it decodes: libwebp's canvas, the frame
# before it and the bytes handed to Pillow; libheif's planes and its interleaved copy.
_DECODER_BYTES_PER_PIXEL = {"WEBP": 12, "HEIF": 8}


def to_srgb(image: Image.Image) -> Image.Image:
    """Return the picture as 8-bit sRGB RGB, deep values scaled and transparency on white.

    Intermediate copies are released as soon as the next one exists; the given image is
    left as it is (it may be returned itself when it already is sRGB RGB).
    """
    icc = image.info.get("icc_profile")
    picture = image
    if picture.mode in _DEEP_GREY:
        picture = _step(picture, _deep_grey_to_8bit(picture), image)
    if picture.mode in _NEEDS_ALPHA or (
        "transparency" in picture.info and picture.mode in ("L", "RGB", "P")
    ):
        picture = _step(picture, picture.convert("RGBA"), image)
    elif picture.mode in ("P", "1"):
        picture = _step(picture, picture.convert("RGB"), image)
    if icc:
        picture = _step(picture, _from_profile(picture, icc), image)
    elif picture.mode == "LAB":
        picture = _step(picture, _convert(picture, _lab_profile()), image)
    if picture.mode in _WITH_ALPHA:
        # Paste on a white canvas: no RGBA copy of the canvas, as alpha_composite makes.
        canvas = Image.new("RGB", picture.size, "white")
        canvas.paste(picture, mask=picture)
        picture = _step(picture, canvas, image)
    if picture.mode != "RGB":
        picture = _step(picture, picture.convert("RGB"), image)
    return picture


def peak_bytes(image: Image.Image) -> int:
    """Return about how much memory decoding the image (as drafted) and to_srgb() take."""
    pixels = image.width * image.height
    decoded = _BYTES_PER_PIXEL.get(image.mode, 4)
    transparent = "transparency" in image.info
    if image.mode == "RGB" and not transparent:
        converting = 0  # converted in place, or not at all
    elif image.mode in _ONE_STEP or (image.mode in ("L", "P") and not transparent):
        converting = 4  # one RGB result beside the decoded picture
    else:
        converting = 8  # an intermediate (RGBA, 32-bit grey) and the RGB result
    # The decoder's own buffers live as long as the decoded picture.
    decoding = _DECODER_BYTES_PER_PIXEL.get(image.format or "", 0)
    return pixels * (decoded + converting + decoding)


def _step(previous: Image.Image, result: Image.Image, original: Image.Image) -> Image.Image:
    """Return result, releasing the previous intermediate (never the caller's image)."""
    if previous is not original and previous is not result:
        previous.close()
    return result


def _deep_grey_to_8bit(image: Image.Image) -> Image.Image:
    """Return 16-bit, 32-bit and float greyscale as 8-bit "L", scaled rather than clipped.

    16-bit values span 0…65535 and are divided by 256. 32-bit integers and floats have no
    fixed range: floats within 0…1 are taken as 0 black to 1 white (the usual meaning),
    anything else is stretched from its lowest value (black) to its highest (white).
    """
    if image.mode.startswith("I;16"):
        scale, offset = 1 / 256, 0.0
        # Pillow scales only native 16-bit pixels; the other byte orders go through 32-bit.
        wide = image if image.mode == "I;16" else image.convert("I")
    else:
        wide = image
        low, high = image.getextrema()
        if image.mode == "F" and low >= 0 and high <= 1:
            low, high = 0, 1
        scale = 255 / (high - low) if high > low else 0
        offset = -low * scale
    scaled = wide.point(lambda value: value * scale + offset)
    if wide is not image:
        wide.close()
    grey = scaled.convert("L")
    scaled.close()
    return grey


def _from_profile(image: Image.Image, icc: bytes) -> Image.Image:
    """Return the image converted from its embedded profile to sRGB, or as it is if unusable."""
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # an unreadable profile: treat the pixels as sRGB, as browsers do
    return _convert(image, profile)


def _convert(image: Image.Image, profile: ImageCms.ImageCmsProfile) -> Image.Image:
    """Return the image converted from profile to sRGB; in place when the mode stays."""
    output = "RGBA" if image.mode in ("RGBA", "LA") else "RGB"
    try:
        if image.mode == output:
            ImageCms.profileToProfile(image, profile, _srgb_profile(), inPlace=True)
            return image
        return ImageCms.profileToProfile(image, profile, _srgb_profile(), outputMode=output)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # a profile that does not fit the pixels (a CMYK one on RGB): ignore it


@cache
def _srgb_profile() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@cache
def _lab_profile() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB"))

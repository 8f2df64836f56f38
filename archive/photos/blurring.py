"""Blurring parts of an upright picture past recognition: the faces of people who did not consent.

Nothing here touches the database, the storage or Flask: make_derivatives applies it in
bulk import's worker processes as in the web request, and the full-size download alike.
"""

from collections.abc import Iterable

from PIL import Image, ImageFilter

from archive.photos.regions import Box

# Each side of a box grows by this share of its size: a face box drawn or found tight
# still leaves an ear or a hairline sharp otherwise.
PADDING = 0.1
# A box becomes a mosaic this many cells across its longer side, then is smoothed over
# about a cell: 6 cells leave a face a blob of skin and hair colours, at any size it is shown.
CELLS = 6


def blurred(picture: Image.Image, boxes: Iterable[Box]) -> Image.Image:
    """Return a copy of the upright picture with each box (padded a little) made unrecognisable.

    The picture itself is left alone; without boxes the copy is the same picture.
    """
    result = picture.copy()
    for box in boxes:
        left, top, right, bottom = box.grown(PADDING).in_pixels(result.size)
        region = result.crop((left, top, right, bottom))
        result.paste(_obscured(region), (left, top))
    return result


def _obscured(region: Image.Image) -> Image.Image:
    """Return the region as a coarse mosaic smoothed over a cell: no feature's edge is left."""
    width, height = region.size
    cell = max(1, round(max(width, height) / CELLS))
    coarse = (max(1, round(width / cell)), max(1, round(height / cell)))
    mosaic = region.resize(coarse, Image.Resampling.BOX)
    mosaic = mosaic.resize(region.size, Image.Resampling.NEAREST)
    return mosaic.filter(ImageFilter.GaussianBlur(cell / 2))

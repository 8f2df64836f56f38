"""Finding where faces are in a picture, so a curator checks that everyone shown is tagged.

Detection only: the answer is rectangles. No face is recognised, matched, kept as a
template or compared with another photo's; nothing leaves the server. The model is OpenCV's
bundled Haar cascades (frontal and profile), which ship inside the opencv-python-headless
wheel: nothing is downloaded. No Flask and no database here: bulk import's worker processes
run it. OpenCV costs about 80 ms to import, so the web app imports this module only where
detection runs (analysis.analyse, `flask faces`), and the import workers preload it.
"""

from functools import cache
from pathlib import Path
from typing import BinaryIO

import cv2
import numpy
from PIL import Image

from archive.photos.regions import Box

# The picture is searched at this size (its longer edge). Three cascades over a 512 px
# picture take about half a second of one core; 640 px took a third more and found no more
# faces in the test set (tests/photos/test_face_check.py).
SEARCH_EDGE = 512
# A face smaller than this share of the picture's shorter edge is not looked for: smaller
# windows are where the cascades' false alarms are (textures, foliage, windows of buildings).
SMALLEST_FACE = 0.05
SMALLEST_FACE_PIXELS = 24
# Tuned on the test set: 1.1 and 5 neighbours find every face there and raise no false
# alarm; 1.15 with 4 neighbours is a third faster but saw a face in a photo without people.
SCALE_FACTOR = 1.1
MIN_NEIGHBOURS = 5


@cache
def _cascade(name: str) -> cv2.CascadeClassifier:
    """Return the bundled cascade, loaded once per process."""
    cascade = cv2.CascadeClassifier(cv2.data.haarcascades + name)
    if cascade.empty():
        raise RuntimeError(f"OpenCV's bundled cascade {name} is missing from this installation")
    return cascade


def detect_faces(picture: Image.Image) -> list[Box]:
    """Return the boxes of the faces found in the upright picture, in reading order."""
    grey = picture.convert("L")
    grey.thumbnail((SEARCH_EDGE, SEARCH_EDGE), Image.Resampling.BILINEAR)
    pixels = cv2.equalizeHist(numpy.asarray(grey))
    smallest = max(SMALLEST_FACE_PIXELS, round(SMALLEST_FACE * min(grey.size)))
    found = _search(pixels, "haarcascade_frontalface_alt2.xml", smallest)
    # The profile cascade knows faces turned to one side; the mirror image finds the other.
    found += _search(pixels, "haarcascade_profileface.xml", smallest)
    found += [
        (grey.width - left - width, top, width, height)
        for left, top, width, height in _search(
            numpy.ascontiguousarray(pixels[:, ::-1]), "haarcascade_profileface.xml", smallest
        )
    ]
    boxes = [Box.from_pixels(*rectangle, size=grey.size) for rectangle in _distinct(found)]
    return _reading_order(boxes)


def faces_in_jpeg(jpeg: Path | BinaryIO) -> list[Box]:
    """Return the boxes of the faces found in an upright JPEG, such as a display derivative."""
    with Image.open(jpeg) as picture:
        # The JPEG decoder's own scaling gives the searched size for a fraction of the work.
        picture.draft("L", (SEARCH_EDGE, SEARCH_EDGE))
        return detect_faces(picture)


def _search(pixels: numpy.ndarray, cascade: str, smallest: int) -> list[tuple[int, ...]]:
    rectangles = _cascade(cascade).detectMultiScale(
        pixels,
        scaleFactor=SCALE_FACTOR,
        minNeighbors=MIN_NEIGHBOURS,
        minSize=(smallest, smallest),
    )
    return [tuple(int(value) for value in rectangle) for rectangle in rectangles]


def _distinct(rectangles: list[tuple[int, ...]]) -> list[tuple[int, ...]]:
    """Keep one rectangle per face: the cascades often each find the same one."""
    kept: list[tuple[int, ...]] = []
    for rectangle in sorted(rectangles, key=lambda r: r[2] * r[3], reverse=True):
        left, top, width, height = rectangle
        centre = (left + width / 2, top + height / 2)
        if not any(_inside(centre, other) for other in kept):
            kept.append(rectangle)
    return kept


def _inside(point: tuple[float, float], rectangle: tuple[int, ...]) -> bool:
    left, top, width, height = rectangle
    return left <= point[0] <= left + width and top <= point[1] <= top + height


def _reading_order(boxes: list[Box]) -> list[Box]:
    """Sort boxes in rows from the top, each row from the left, as a caption names people."""
    rows: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: b.centre[1]):
        # A box whose middle is level with the row's first face belongs to that row.
        if rows and box.centre[1] - rows[-1][0].centre[1] < rows[-1][0].height / 2:
            rows[-1].append(box)
        else:
            rows.append([box])
    return [box for row in rows for box in sorted(row, key=lambda b: b.left)]

"""The focal point of a photo: where every crop made from it centres, as far as its edges allow.

The one place this is decided: the social-media kit's crops ask focal_point().
"""

from archive.auth.models import User
from archive.core.audit import record_event
from archive.core.database import write_transaction
from archive.photos.faces_rule import is_blurred
from archive.photos.models import Photo

Point = tuple[float, float]  # fractions of the upright picture's width and height
CENTRE: Point = (0.5, 0.5)


def focal_point(photo: Photo) -> Point:
    """Return the point a curator set, else the middle of the faces left sharp, else the centre.

    A blurred face is no one's to show off: a crop centred on it would frame a smudge.
    """
    if photo.focal_x is not None and photo.focal_y is not None:
        return photo.focal_x, photo.focal_y
    centres = [face.box.centre for face in photo.faces if not is_blurred(photo, face)]
    if not centres:
        return CENTRE
    return (
        sum(x for x, _ in centres) / len(centres),
        sum(y for _, y in centres) / len(centres),
    )


def set_focal_point(photo: Photo, point: Point, by: User) -> None:
    """Make the point (fractions of the upright picture) the photo's focal point, and record it."""
    x, y = point
    if not (0 <= x <= 1 and 0 <= y <= 1):
        raise ValueError(f"not a point on the picture: {point}")
    with write_transaction():
        photo.focal_x, photo.focal_y = x, y
        record_event(by, "photo.focal_point", "photo", photo.id, f"{x:.0%} across, {y:.0%} down")

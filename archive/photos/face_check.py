"""Running the face check on photos stored before it existed (`flask faces --unchecked`)."""

from collections.abc import Callable

from sqlalchemy import select

from archive.core.database import write_transaction
from archive.extensions import db
from archive.photos.derivatives import DerivativeKind
from archive.photos.models import Photo, face_boxes


def unchecked_photos() -> list[int]:
    """Return the ids of the photos the face check has never looked at, whose files remain."""
    query = select(Photo.id).where(Photo.faces_checked.is_(False), Photo.storage_key != "")
    return list(db.session.execute(query.order_by(Photo.id)).scalars())


def check_faces(photo: Photo) -> int:
    """Find the faces on the photo's display derivative and store their boxes; return how many."""
    # OpenCV is imported only where the check runs: the web app does not load it at start-up.
    from archive.photos.faces import faces_in_jpeg

    with photo.derivative(DerivativeKind.DISPLAY).open() as display:
        found = faces_in_jpeg(display)
    with write_transaction():
        photo.faces = face_boxes(found)
        photo.faces_checked = True
    return len(found)


def check_unchecked(on_progress: Callable[[int], None] = lambda faces: None) -> tuple[int, int]:
    """Check every photo never checked; return how many were checked and how many had faces."""
    checked = with_faces = 0
    for photo_id in unchecked_photos():
        found = check_faces(db.session.get(Photo, photo_id))
        checked += 1
        with_faces += found > 0
        on_progress(found)
    return checked, with_faces

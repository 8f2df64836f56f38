"""When the faces found on a photo need a curator's look before it may be approved.

The one place this is decided: the review queue's flag, the review page's tick box and
approval's refusal all ask face_warning().
"""

from archive.photos.models import FaceBox, Photo


def faces_to_account_for(photo: Photo) -> list[FaceBox]:
    """Return the faces found that someone must be tagged for, or judged not identifiable.

    A face a curator blurred is no one's to account for: no one can be recognised there.
    """
    return [face for face in photo.faces if not is_blurred(photo, face)]


def is_blurred(photo: Photo, face: FaceBox) -> bool:
    """Return whether a blurred region covers the middle of the face."""
    return any(region.box.contains(face.box.centre) for region in photo.blur_regions)


def face_warning(photo: Photo) -> str:
    """Return why the faces must be confirmed before approval, or "" when nothing needs it.

    A photo needs it when it is marked "no identifiable people" and faces were found, or when
    more faces were found than people are tagged; a curator's confirmation settles it.
    """
    if photo.faces_confirmed_at is not None:
        return ""
    found = len(faces_to_account_for(photo))
    tagged = len(photo.people)
    faces = f"{found} face" if found == 1 else f"{found} faces"
    if photo.no_identifiable_people and found:
        was = "was" if found == 1 else "were"
        return f"Marked as no identifiable people, but {faces} {was} found"
    if found > tagged:
        people = "person" if tagged == 1 else "people"
        return f"{faces} found, {tagged} {people} tagged — check before approving"
    return ""

"""Telling a contributor that a curator approved or rejected their upload."""

from archive.auth.models import User
from archive.links import public_url
from archive.mail.models import MailCategory
from archive.mail.outbox import queue_mail
from archive.photos.models import Photo, PhotoStatus

_TEMPLATES = {PhotoStatus.APPROVED: "photo_approved", PhotoStatus.REJECTED: "photo_rejected"}


def tell_uploader(photo: Photo, curator: User) -> None:
    """Queue the decision's notice to whoever uploaded the photo, in the caller's transaction.

    Nobody is told of their own decision, and an account that was turned off hears nothing.
    """
    uploader = photo.uploaded_by
    if uploader is None or not uploader.active or uploader.id == curator.id:
        return
    queue_mail(
        uploader.email,
        _TEMPLATES[photo.status],
        MailCategory.REVIEW,
        name=uploader.name,
        title=photo.display_title,
        reason=photo.review_note,
        photo_url=public_url("photos.photo_page", photo_id=photo.id),
        uploads_url=public_url("photos.my_uploads"),
    )

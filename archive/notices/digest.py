"""The curators' daily digest: the uploads that arrived the day before, awaiting review."""

from datetime import date, datetime, time, timedelta

from archive.links import public_url
from archive.mail.models import MailCategory
from archive.notices.curators import mail_each_curator
from archive.photos.models import Photo
from archive.photos.services import review_queue


def curators_daily_digest(day: date) -> int:
    """Queue each active curator the digest of day's eve's uploads; return how many queued.

    The digest of a day lists the uploads that arrived on the day before (UTC, as the
    archive stores times) and still await review, so each upload is in exactly one digest
    whatever time of day the run is; no message on a day after one with no uploads.
    """
    since = datetime.combine(day - timedelta(days=1), time())
    until = datetime.combine(day, time())
    arrived = review_queue(Photo.uploaded_at >= since, Photo.uploaded_at < until)
    if not arrived:
        return 0
    uploads = [
        {
            "title": photo.display_title,
            "uploader": photo.uploaded_by.name if photo.uploaded_by else "a bulk import",
            "uploaded_at": photo.uploaded_at,
            "review_url": public_url("photos.review", photo_id=photo.id),
        }
        for photo in arrived
    ]
    context = {
        "uploads": uploads,
        "waiting": len(review_queue()),
        "queue_url": public_url("photos.queue"),
        "since": since.date(),
    }
    return mail_each_curator("curators_digest", MailCategory.DIGEST, day, **context)

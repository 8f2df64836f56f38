"""What each role's home page shows, gathered in one place."""

from dataclasses import dataclass, field

from archive.auth.access import Action, can
from archive.consent.models import ConsentForm
from archive.consent.rules import can_view, expiring_consents
from archive.downloads.models import DownloadEvent
from archive.downloads.services import downloads_by
from archive.exhibitions.gallery import Shown, cover_of, published
from archive.exhibitions.models import Exhibition, ExhibitionStatus
from archive.exhibitions.services import all_exhibitions
from archive.photos.models import Photo
from archive.photos.services import review_queue, uploads_of

RECENT = 6  # how many recent uploads or downloads a home page lists
EXPIRING_WITHIN_DAYS = 30


@dataclass
class Home:
    """The parts of a home page; a part the role does not see is empty or None."""

    exhibitions: list[tuple[Exhibition, Shown | None]] = field(default_factory=list)
    search: bool = False
    uploads: list[tuple[Photo, bool]] = field(default_factory=list)  # (photo, may be shown)
    pending: int | None = None
    expiring: list[ConsentForm] = field(default_factory=list)
    drafts: list[Exhibition] = field(default_factory=list)
    downloads: list[DownloadEvent] = field(default_factory=list)


def home_for(user) -> Home:
    """Return what the user's home page shows: by role, and only photos they may see."""
    home = Home()
    if not user.is_authenticated:
        home.exhibitions = [(exhibition, cover_of(exhibition)) for exhibition in published()]
        home.search = True
        return home
    if can(user, Action.UPLOAD):
        home.uploads = [(photo, can_view(user, photo)) for photo in uploads_of(user)[:RECENT]]
    if can(user, Action.REVIEW):
        home.pending = len(review_queue())
        home.expiring = expiring_consents(EXPIRING_WITHIN_DAYS)
    if can(user, Action.CURATE_EXHIBITIONS):
        home.drafts = [e for e in all_exhibitions() if e.status is ExhibitionStatus.DRAFT]
    if can(user, Action.DOWNLOAD) and not can(user, Action.REVIEW):
        home.search = True
        # A photo whose consent has since gone is not named here (its page would not open).
        mine = [event for event in downloads_by(user) if can_view(user, event.photo)]
        home.downloads = mine[:RECENT]
    return home

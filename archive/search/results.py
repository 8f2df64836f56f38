"""The photos a search shows its caller."""

from archive.auth.access import Viewer, role_of
from archive.consent.rules import can_view
from archive.downloads.services import may_download
from archive.photos.models import Photo
from archive.photos.services import photos_in_order
from archive.search.query import SearchRequest, SearchResults, search


def shown_photos(asked: SearchRequest, user: Viewer) -> tuple[SearchResults, list[Photo]]:
    """Run the search for the user; return its results and the photos they may see, in order.

    The index decided; the database confirms, photo by photo, before anything is shown.
    Raises SearchRefused for a query too broad to run.
    """
    results = search(asked, role_of(user))
    shown = [photo for photo in photos_in_order(results.photo_ids) if can_view(user, photo)]
    return results, shown


def search_tiles(
    asked: SearchRequest, user: Viewer
) -> tuple[SearchResults, list[tuple[Photo, bool]]]:
    """Run the search for the user; return its results and (photo, may they download it?) tiles."""
    results, photos = shown_photos(asked, user)
    return results, [(photo, may_download(user, photo)) for photo in photos]

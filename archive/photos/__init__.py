"""Photos, derivatives, imaging, ingest, bulk import and review decisions."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Rewrite the credit inside photos' images when their licence is edited."""
    # Imported here: every photos module imports this package first, and these import them.
    from archive.core.signals import licence_changed
    from archive.photos.recrediting import recredit_photos_under

    # Blinker connects each receiver once, however many apps are created.
    licence_changed.connect(recredit_photos_under)

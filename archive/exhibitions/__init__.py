"""Curated virtual exhibitions: the builder, public galleries and the IIIF manifest."""

from flask import Flask

from archive.core.signals import consent_withdrawn
from archive.exhibitions.withdrawals import exhibitions_losing_photos


def init_app(app: Flask) -> None:
    """Have every withdrawal record the exhibitions it takes a photo out of."""
    # Blinker connects each receiver once, however many apps are created.
    consent_withdrawn.connect(exhibitions_losing_photos)

"""Mail to staff from the daily run: the curators' digest of new uploads, expiry reminders.

Each job is a receiver of core.signals.daily_notices, which `flask --app archive notify`
sends with the day; each queues its messages with a once_key, so a second run that day
queues nothing again. (Contributors hear of review decisions from photos.review_mail, as
the decision is made.)
"""

from flask import Flask


def init_app(app: Flask) -> None:
    """Connect the daily jobs to the daily run."""
    from archive.core.signals import daily_notices
    from archive.notices.digest import curators_daily_digest
    from archive.notices.expiry import expiry_reminders_to_curators

    # Blinker connects each receiver once, however many apps are created.
    daily_notices.connect(curators_daily_digest)
    daily_notices.connect(expiry_reminders_to_curators)

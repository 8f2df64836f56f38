"""Consent: the signed forms, the rule deciding where a photo may be shown, the personal
link, requests by e-mail, withdrawal and erasure."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Queue consent reminders, renewal requests and confirmations at 18 in `flask notify`;
    give templates `photo_texts(photo)`, a photo's texts as the person looking may see them."""
    # Imported here: every consent module imports this package first, and these import them.
    from flask_login import current_user

    from archive.consent.coming_of_age import adult_confirmation_requests
    from archive.consent.public_names import texts_for
    from archive.consent.renewals import consent_renewal_requests
    from archive.consent.requests import consent_request_reminders
    from archive.core.signals import daily_notices

    # Blinker connects each receiver once, however many apps are created.
    daily_notices.connect(consent_request_reminders)
    daily_notices.connect(consent_renewal_requests)
    daily_notices.connect(adult_confirmation_requests)
    # Every page that names a photo asks this, so no minor's name slips through one of them.
    app.jinja_env.globals["photo_texts"] = lambda photo: texts_for(current_user, photo)

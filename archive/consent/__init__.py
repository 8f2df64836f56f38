"""Consent: the signed forms, the rule deciding where a photo may be shown, the personal
link, withdrawal and erasure."""

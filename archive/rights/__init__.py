"""Consent, licences and the rules that decide where a photo may be used."""

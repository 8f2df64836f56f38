"""The one gating function: where a photo may be used today, and why not."""

from datetime import date, timedelta

import pytest

from archive.auth.models import Role
from archive.consent.models import ConsentScope
from archive.consent.rules import allowed, allowed_until, viewer_scopes
from archive.extensions import db
from archive.photos.models import PhotoStatus

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("expires_on", "is_allowed", "reason"),
    [
        (TODAY, True, ""),
        (
            TODAY - timedelta(days=1),
            False,
            "Mei Lin's consent for public web galleries expired on 22 November 2026",
        ),
        (None, True, ""),
    ],
)
def test_consent_expiring_today_still_allows_and_expired_yesterday_blocks(
    make_user, make_person, make_photo, expires_on, is_allowed, reason
):
    make_user("curator")
    person = make_person("Mei Lin", scopes=["web"], expires_on=expires_on)
    photo = make_photo(people=[person], status=PhotoStatus.APPROVED)
    assert allowed(photo, ConsentScope.WEB, today=TODAY) == (is_allowed, reason)


def test_each_rule_of_the_gate(make_user, make_person, make_photo):
    make_user("curator")
    person = make_person("Ben Carter", scopes=["internal"])
    photo = make_photo(people=[person])
    assert allowed(photo, ConsentScope.INTERNAL, TODAY) == (
        False,
        "the photo is pending, not approved",
    )
    photo.status = PhotoStatus.APPROVED
    assert allowed(photo, ConsentScope.INTERNAL, TODAY).allowed
    assert allowed(photo, ConsentScope.PRESS, TODAY) == (
        False,
        "Ben Carter has no consent covering press and social media",
    )
    photo.licence_id = None
    assert allowed(photo, ConsentScope.INTERNAL, TODAY) == (False, "the photo has no licence")


def test_every_person_shown_must_consent(make_user, make_person, make_photo):
    make_user("curator")
    consenting = make_person("Priya Raman", scopes=["web"])
    silent = make_person("Tom Gallagher")
    photo = make_photo(people=[consenting, silent], status=PhotoStatus.APPROVED)
    assert allowed(photo, ConsentScope.WEB, TODAY) == (
        False,
        "Tom Gallagher has no consent covering public web galleries",
    )


def test_a_licence_allows_use_until_its_last_day_which_the_index_stores(
    make_user, make_person, make_photo
):
    make_user("curator")
    person = make_person("Mei Lin", scopes=["web"])
    photo = make_photo(people=[person], status=PhotoStatus.APPROVED)
    photo.licence.ends_on = TODAY
    db.session.commit()
    assert allowed(photo, ConsentScope.WEB, TODAY) == (True, "")
    assert allowed(photo, ConsentScope.WEB, TODAY + timedelta(days=1)) == (
        False,
        "the photo's licence ended on 23 November 2026",
    )
    assert allowed_until(photo, ConsentScope.WEB, TODAY) == TODAY  # what the index stores


def test_no_identifiable_people_needs_no_consent(make_photo):
    photo = make_photo(status=PhotoStatus.APPROVED)
    assert all(allowed(photo, scope, TODAY).allowed for scope in ConsentScope)


@pytest.mark.parametrize("role", [None, *Role])
def test_signing_in_never_narrows_the_uses_that_show_a_photo(role):
    scopes = viewer_scopes(role)
    assert scopes is None or viewer_scopes(None) <= scopes  # None: every photo
